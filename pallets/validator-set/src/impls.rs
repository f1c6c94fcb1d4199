//! The calls' logic.

use crate::pallet::*;
use frame_support::{ensure, traits::ValidatorRegistration};
use sp_runtime::{traits::Get, DispatchResult};

impl<T: Config> Pallet<T> {
	/// Adds `validator` to the set, if it has session keys and there is room.
	pub(crate) fn do_add_validator(validator: T::AccountId) -> DispatchResult {
		ensure!(T::KeysRegistered::is_registered(&validator), Error::<T>::KeysNotSet);
		Validators::<T>::try_mutate(|validators| {
			let at =
				validators.binary_search(&validator).err().ok_or(Error::<T>::AlreadyValidator)?;
			validators.try_insert(at, validator.clone()).map_err(|_| Error::<T>::TooManyValidators)
		})?;
		SetChanged::<T>::put(true);
		Self::deposit_event(Event::ValidatorAdded { validator });
		Ok(())
	}

	/// Removes `validator` from the set, if that leaves enough validators.
	pub(crate) fn do_remove_validator(validator: T::AccountId) -> DispatchResult {
		Validators::<T>::try_mutate(|validators| {
			let at = validators.binary_search(&validator).map_err(|_| Error::<T>::NotAValidator)?;
			ensure!(
				validators.len() > T::MinValidators::get() as usize,
				Error::<T>::TooFewValidators
			);
			validators.remove(at);
			Ok::<_, Error<T>>(())
		})?;
		SetChanged::<T>::put(true);
		Self::deposit_event(Event::ValidatorRemoved { validator });
		Ok(())
	}
}
