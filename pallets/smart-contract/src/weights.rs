//! BOOTSTRAP ONLY, replaced by scripts/benchmark.sh before commit.
use frame_support::weights::Weight;
pub trait WeightInfo {
	fn create_node_contract(p: u32) -> Weight;
	fn update_node_contract() -> Weight;
	fn confirm_deployment() -> Weight;
	fn cancel_contract(p: u32) -> Weight;
}
pub struct SubstrateWeight<T>(core::marker::PhantomData<T>);
impl<T> WeightInfo for SubstrateWeight<T> {
	fn create_node_contract(_p: u32) -> Weight {
		Weight::MAX
	}
	fn update_node_contract() -> Weight {
		Weight::MAX
	}
	fn confirm_deployment() -> Weight {
		Weight::MAX
	}
	fn cancel_contract(_p: u32) -> Weight {
		Weight::MAX
	}
}
impl WeightInfo for () {
	fn create_node_contract(_p: u32) -> Weight {
		Weight::zero()
	}
	fn update_node_contract() -> Weight {
		Weight::zero()
	}
	fn confirm_deployment() -> Weight {
		Weight::zero()
	}
	fn cancel_contract(_p: u32) -> Weight {
		Weight::zero()
	}
}
