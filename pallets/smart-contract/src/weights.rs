//! BOOTSTRAP ONLY, replaced by scripts/benchmark.sh before commit.
use frame_support::weights::Weight;
pub trait WeightInfo {
	fn create_node_contract(p: u32) -> Weight;
	fn update_node_contract() -> Weight;
	fn confirm_deployment() -> Weight;
	fn cancel_contract(p: u32) -> Weight;
	fn add_consumption_reports(n: u32) -> Weight;
	fn settle_debt() -> Weight;
	fn set_pricing_policy() -> Weight;
	fn set_tft_price() -> Weight;
	fn end_grace_periods(c: u32) -> Weight;
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
	fn add_consumption_reports(_n: u32) -> Weight {
		Weight::MAX
	}
	fn settle_debt() -> Weight {
		Weight::MAX
	}
	fn set_pricing_policy() -> Weight {
		Weight::MAX
	}
	fn set_tft_price() -> Weight {
		Weight::MAX
	}
	fn end_grace_periods(_c: u32) -> Weight {
		Weight::zero()
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
	fn add_consumption_reports(_n: u32) -> Weight {
		Weight::zero()
	}
	fn settle_debt() -> Weight {
		Weight::zero()
	}
	fn set_pricing_policy() -> Weight {
		Weight::zero()
	}
	fn set_tft_price() -> Weight {
		Weight::zero()
	}
	fn end_grace_periods(_c: u32) -> Weight {
		Weight::zero()
	}
}
