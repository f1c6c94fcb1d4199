//! A test runtime with the validator set alone, and fake session keys: an account has keys
//! once a test registers them.

use crate::{self as pallet_validator_set};
use core::cell::RefCell;
use frame_support::{derive_impl, traits::ConstU32, traits::ValidatorRegistration};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;
use std::collections::BTreeSet;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		ValidatorSet: pallet_validator_set,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The fewest validators of the test runtime.
pub const MIN_VALIDATORS: u32 = 2;
/// The most validators of the test runtime: small, to reach the bound.
pub const MAX_VALIDATORS: u32 = 4;
/// The genesis validators.
pub const GENESIS_VALIDATORS: [u64; 3] = [10, 20, 30];
/// The sessions' length at genesis.
pub const SESSION_LENGTH: u64 = 5;

thread_local! {
	static KEYS: RefCell<BTreeSet<u64>> = const { RefCell::new(BTreeSet::new()) };
}

/// Session keys as far as the set can tell: the accounts a test registered.
pub struct FakeSessionKeys;

impl FakeSessionKeys {
	/// Registers keys for `who`.
	pub fn set(who: u64) {
		KEYS.with(|keys| keys.borrow_mut().insert(who));
	}
}

impl ValidatorRegistration<u64> for FakeSessionKeys {
	fn is_registered(who: &u64) -> bool {
		KEYS.with(|keys| keys.borrow().contains(who))
	}
}

impl pallet_validator_set::Config for Test {
	type AddRemoveOrigin = EnsureRoot<u64>;
	type KeysRegistered = FakeSessionKeys;
	type MinValidators = ConstU32<MIN_VALIDATORS>;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = FakeSessionKeys;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for FakeSessionKeys {
	fn register_keys(who: &u64) {
		Self::set(*who);
	}
}

/// The genesis set, with keys for each validator, at block 1.
pub fn genesis_ext() -> sp_io::TestExternalities {
	KEYS.with(|keys| *keys.borrow_mut() = GENESIS_VALIDATORS.into_iter().collect());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_validator_set::GenesisConfig::<Test> {
		validators: GENESIS_VALIDATORS.to_vec(),
		session_length: SESSION_LENGTH,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on the genesis set, then checks the invariants.
pub fn new_test_ext(test: impl FnOnce()) {
	genesis_ext().execute_with(|| {
		test();
		ValidatorSet::do_try_state().unwrap();
	});
}
