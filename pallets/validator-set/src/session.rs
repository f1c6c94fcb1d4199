//! What `pallet-session` asks of the set: the validators of each new session, and the
//! sessions' length.

use crate::pallet::*;
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Get, One};

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	/// The set for session `new_index`, if it changed since the last one handed over;
	/// otherwise `pallet-session` keeps the set it has.
	fn new_session(new_index: u32) -> Option<Vec<T::AccountId>> {
		if !SetChanged::<T>::take() {
			return None;
		}
		let validators = Validators::<T>::get();
		Self::deposit_event(Event::SetPlanned {
			session: new_index,
			validators: validators.len() as u32,
		});
		Some(validators.into_inner())
	}

	/// The genesis set, for the first two sessions.
	fn new_session_genesis(_new_index: u32) -> Option<Vec<T::AccountId>> {
		Some(Validators::<T>::get().into_inner())
	}

	fn end_session(_end_index: u32) {}

	fn start_session(_start_index: u32) {}
}

/// The length of a session, [`SessionLength`], for `pallet_session::PeriodicSessions`: never
/// less than one block.
pub struct SessionLengthOf<T>(PhantomData<T>);

impl<T: Config> Get<BlockNumberFor<T>> for SessionLengthOf<T> {
	fn get() -> BlockNumberFor<T> {
		SessionLength::<T>::get().max(One::one())
	}
}
