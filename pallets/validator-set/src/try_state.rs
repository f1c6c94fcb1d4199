//! The set's invariants, checked after every test and by `try-runtime`.

use crate::pallet::*;
use frame_support::ensure;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// The set is sorted without repeats, never empty, and sessions last at least a block.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let validators = Validators::<T>::get();
		ensure!(!validators.is_empty(), "the validator set is empty");
		ensure!(
			validators.windows(2).all(|pair| matches!(pair, [a, b] if a < b)),
			"the validator set is not sorted, or repeats an account"
		);
		ensure!(!SessionLength::<T>::get().is_zero(), "sessions last no block");
		Ok(())
	}
}
