//! The set's genesis: the first validators and the sessions' length.

use crate::pallet::*;
use sp_runtime::traits::{Get, Zero};

impl<T: Config> Pallet<T> {
	/// Stores the genesis set, sorted; an invalid one stops the chain from being built, with
	/// the reason (there is no chain yet to return an error to).
	#[allow(clippy::panic)]
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		if config.session_length.is_zero() {
			panic!("genesis: a session must last at least one block");
		}
		let mut validators = config.validators.clone();
		validators.sort();
		validators.dedup();
		if validators.len() != config.validators.len() {
			panic!("genesis: a validator is listed twice");
		}
		let Ok(validators) = validators.try_into() else {
			panic!("genesis: more than {} validators", T::MaxValidators::get());
		};
		Validators::<T>::put::<frame_support::BoundedVec<_, _>>(validators);
		SessionLength::<T>::put(config.session_length);
	}
}
