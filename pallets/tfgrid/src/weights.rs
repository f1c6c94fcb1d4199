//! BOOTSTRAP ONLY, replaced by scripts/benchmark.sh before commit.
use frame_support::weights::Weight;
pub trait WeightInfo {
	fn create_twin() -> Weight;
	fn update_twin() -> Weight;
	fn create_farm() -> Weight;
	fn add_farm_ip() -> Weight;
	fn remove_farm_ip() -> Weight;
	fn create_node() -> Weight;
	fn update_node() -> Weight;
	fn delete_node() -> Weight;
}
pub struct SubstrateWeight<T>(core::marker::PhantomData<T>);
impl<T> WeightInfo for SubstrateWeight<T> {
	fn create_twin() -> Weight {
		Weight::MAX
	}
	fn update_twin() -> Weight {
		Weight::MAX
	}
	fn create_farm() -> Weight {
		Weight::MAX
	}
	fn add_farm_ip() -> Weight {
		Weight::MAX
	}
	fn remove_farm_ip() -> Weight {
		Weight::MAX
	}
	fn create_node() -> Weight {
		Weight::MAX
	}
	fn update_node() -> Weight {
		Weight::MAX
	}
	fn delete_node() -> Weight {
		Weight::MAX
	}
}
impl WeightInfo for () {
	fn create_twin() -> Weight {
		Weight::zero()
	}
	fn update_twin() -> Weight {
		Weight::zero()
	}
	fn create_farm() -> Weight {
		Weight::zero()
	}
	fn add_farm_ip() -> Weight {
		Weight::zero()
	}
	fn remove_farm_ip() -> Weight {
		Weight::zero()
	}
	fn create_node() -> Weight {
		Weight::zero()
	}
	fn update_node() -> Weight {
		Weight::zero()
	}
	fn delete_node() -> Weight {
		Weight::zero()
	}
}
