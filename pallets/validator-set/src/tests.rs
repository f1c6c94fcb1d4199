use crate::{mock::*, Error, Event, SessionLength, SetChanged, Validators};
use frame_support::{assert_noop, assert_ok, traits::Get};
use pallet_session::SessionManager;
use sp_runtime::BuildStorage;
use sp_runtime::DispatchError;

fn validators() -> Vec<u64> {
	Validators::<Test>::get().into_inner()
}

#[test]
fn genesis_sets_the_sorted_validators_and_the_session_length() {
	new_test_ext(|| {
		assert_eq!(validators(), vec![10, 20, 30]);
		assert_eq!(SessionLength::<Test>::get(), SESSION_LENGTH);
		assert_eq!(crate::SessionLengthOf::<Test>::get(), SESSION_LENGTH);
		assert_eq!(ValidatorSet::new_session_genesis(0), Some(vec![10, 20, 30]));
		assert!(!SetChanged::<Test>::get());
	});
}

#[test]
fn a_validator_with_keys_is_added_and_planned_for_the_next_session() {
	new_test_ext(|| {
		FakeSessionKeys::set(15);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 15));
		assert_eq!(validators(), vec![10, 15, 20, 30]);
		System::assert_last_event(Event::ValidatorAdded { validator: 15 }.into());

		assert_eq!(ValidatorSet::new_session(2), Some(vec![10, 15, 20, 30]));
		System::assert_last_event(Event::SetPlanned { session: 2, validators: 4 }.into());
		// Unchanged since: pallet-session keeps the set it has.
		assert_eq!(ValidatorSet::new_session(3), None);
	});
}

#[test]
fn a_removed_validator_leaves_the_next_planned_set() {
	new_test_ext(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 20));
		assert_eq!(validators(), vec![10, 30]);
		System::assert_last_event(Event::ValidatorRemoved { validator: 20 }.into());
		assert_eq!(ValidatorSet::new_session(2), Some(vec![10, 30]));
	});
}

#[test]
fn stranger_cannot_add_or_remove_validators() {
	new_test_ext(|| {
		FakeSessionKeys::set(99);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(99), 99),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::signed(10), 20),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn account_without_session_keys_cannot_be_added() {
	new_test_ext(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 15),
			Error::<Test>::KeysNotSet
		);
	});
}

#[test]
fn validator_cannot_be_added_twice() {
	new_test_ext(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 20),
			Error::<Test>::AlreadyValidator
		);
	});
}

#[test]
fn set_cannot_grow_beyond_its_maximum() {
	new_test_ext(|| {
		for who in [40, 50] {
			FakeSessionKeys::set(who);
		}
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 40));
		assert_eq!(validators().len() as u32, MAX_VALIDATORS);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 50),
			Error::<Test>::TooManyValidators
		);
	});
}

#[test]
fn non_validator_cannot_be_removed() {
	new_test_ext(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 15),
			Error::<Test>::NotAValidator
		);
	});
}

#[test]
fn set_cannot_shrink_below_its_minimum() {
	new_test_ext(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 10));
		assert_eq!(validators().len() as u32, MIN_VALIDATORS);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 20),
			Error::<Test>::TooFewValidators
		);
	});
}

#[test]
#[should_panic(expected = "a validator is listed twice")]
fn genesis_refuses_a_repeated_validator() {
	genesis(vec![10, 10], SESSION_LENGTH);
}

#[test]
#[should_panic(expected = "a session must last at least one block")]
fn genesis_refuses_sessions_of_no_block() {
	genesis(vec![10], 0);
}

fn genesis(validators: Vec<u64>, session_length: u64) {
	let _ = crate::GenesisConfig::<Test> { validators, session_length }.build_storage();
}
