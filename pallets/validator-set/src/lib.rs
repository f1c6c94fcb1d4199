//! # Validator set pallet
//!
//! Who validates the chain, decided by governance and put in force by `pallet-session`.
//!
//! A candidate runs a node, has it generate session keys (`author_rotateKeysWithOwner`, or
//! `author_rotateKeys`) and registers them from its account with `session.setKeys`. Governance
//! ([`Config::AddRemoveOrigin`]: a council motion, or root) then adds the account with
//! [`Pallet::add_validator`], or removes a validator with [`Pallet::remove_validator`]. The
//! pallet hands the new set to `pallet-session` when the session after the change is planned,
//! so the set changes at a session boundary without a restart: at most two sessions after the
//! call (the session being planned starts one session later).
//!
//! Sessions are [`SessionLength`] blocks long, set at genesis: a live network uses hours, a
//! test network a minute.
//!
//! The set never falls below [`Config::MinValidators`] through a removal, nor grows beyond
//! [`Config::MaxValidators`]; an account without registered keys cannot be added. A validator
//! that later purges its keys is left out of the session's set by `pallet-session` until it
//! sets keys again.

#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(
	not(test),
	deny(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::panic
	)
)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::arithmetic_side_effects, clippy::panic)]
mod benchmarking;
mod genesis;
mod impls;
#[cfg(test)]
mod mock;
mod session;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod weights;

pub use pallet::*;

/// The length of a session, in blocks, of a genesis that does not say: an hour of six-second
/// blocks.
pub const DEFAULT_SESSION_LENGTH: u32 = 600;

/// What the benchmarks need from the runtime: accounts with session keys.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers session keys for `who`, as `session.setKeys` would.
	fn register_keys(who: &AccountId);
}
pub use session::SessionLengthOf;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::ValidatorRegistration};
	use frame_system::pallet_prelude::*;

	/// The layout of this pallet's storage; raised, with a migration, whenever it changes.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who may add and remove validators: governance.
		type AddRemoveOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Tells whether an account has registered session keys (`pallet-session`): only such
		/// an account can be added, since a validator without keys cannot author or vote.
		type KeysRegistered: ValidatorRegistration<Self::AccountId>;

		/// The fewest validators a removal may leave.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// The most validators the set may hold.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Registers session keys for the benchmarks' accounts.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The validators, sorted by account: the set `pallet-session` puts in force at the next
	/// session it plans after a change.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Whether [`Validators`] changed since the last set handed to `pallet-session`.
	#[pallet::storage]
	pub type SetChanged<T> = StorageValue<_, bool, ValueQuery>;

	/// The length of a session, in blocks; fixed at genesis.
	#[pallet::storage]
	pub type SessionLength<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The first validators; each needs its keys in `pallet-session`'s genesis.
		pub validators: Vec<T::AccountId>,
		/// The length of a session, in blocks (at least one).
		pub session_length: BlockNumberFor<T>,
	}

	/// No validators, and sessions of [`DEFAULT_SESSION_LENGTH`] blocks.
	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { validators: Vec::new(), session_length: DEFAULT_SESSION_LENGTH.into() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `validator` joined the set; it validates from a coming session boundary.
		ValidatorAdded {
			/// The account added.
			validator: T::AccountId,
		},
		/// `validator` left the set; it stops validating at a coming session boundary.
		ValidatorRemoved {
			/// The account removed.
			validator: T::AccountId,
		},
		/// The changed set was handed to `pallet-session` for session `session`, which starts
		/// one session from now.
		SetPlanned {
			/// The index of the session that will run with the new set.
			session: u32,
			/// How many validators it has.
			validators: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is a validator already.
		AlreadyValidator,
		/// The account is not a validator.
		NotAValidator,
		/// The account has not registered session keys: it must call `session.setKeys` first.
		KeysNotSet,
		/// The set holds [`Config::MaxValidators`] validators already.
		TooManyValidators,
		/// The removal would leave fewer than [`Config::MinValidators`] validators.
		TooFewValidators,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MinValidators::get() >= 1 && T::MinValidators::get() <= T::MaxValidators::get(),
				"the validator set's minimum must be between one and its maximum"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Adds an account to the validators. It validates from a session boundary at most two
		/// sessions away.
		///
		/// The origin must be [`Config::AddRemoveOrigin`] (governance). The account must have
		/// registered its session keys with `session.setKeys`.
		///
		/// Emits [`Event::ValidatorAdded`]. Errors: [`Error::AlreadyValidator`],
		/// [`Error::KeysNotSet`], [`Error::TooManyValidators`].
		#[pallet::call_index(0)]
		pub fn add_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			Self::do_add_validator(validator)
		}

		/// Removes an account from the validators. It stops validating at a session boundary at
		/// most two sessions away; its session keys stay registered until it purges them.
		///
		/// The origin must be [`Config::AddRemoveOrigin`] (governance).
		///
		/// Emits [`Event::ValidatorRemoved`]. Errors: [`Error::NotAValidator`],
		/// [`Error::TooFewValidators`].
		#[pallet::call_index(1)]
		pub fn remove_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			Self::do_remove_validator(validator)
		}
	}
}
