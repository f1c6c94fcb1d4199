//! Benchmarks of the set's calls, each at its worst: the set one short of full for an
//! addition, full for a removal.

use crate::{pallet::*, BenchmarkHelper};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};

/// Fills the set with `n` validators that have keys.
fn fill<T: Config>(n: u32) {
	let mut validators: Vec<T::AccountId> =
		(0..n).map(|i| account::<T::AccountId>("validator", i, 0)).collect();
	validators.iter().for_each(T::BenchmarkHelper::register_keys);
	validators.sort();
	Validators::<T>::put(BoundedVec::try_from(validators).expect("at most the maximum; qed"));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator() -> Result<(), BenchmarkError> {
		fill::<T>(T::MaxValidators::get() - 1);
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let candidate: T::AccountId = account("candidate", 0, 0);
		T::BenchmarkHelper::register_keys(&candidate);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, candidate.clone());

		assert!(Validators::<T>::get().contains(&candidate));
		Ok(())
	}

	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		fill::<T>(T::MaxValidators::get());
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let leaving = Validators::<T>::get().first().cloned().expect("the set is full; qed");

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, leaving.clone());

		assert!(!Validators::<T>::get().contains(&leaving));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::genesis_ext(), crate::mock::Test);
}
