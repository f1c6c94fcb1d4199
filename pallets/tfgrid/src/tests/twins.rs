use crate::{mock::*, Error, Event, LastTwinId, Twin, TwinIdByAccount, Twins};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn create_twin_numbers_twins_and_indexes_their_accounts() {
	ExtBuilder::default().build_and_execute(|| {
		let relay = bounded("relay.grid.example");
		let pk = bounded("0123456789abcdef0123456789abcdef");
		assert_ok!(TfgridModule::create_twin(
			RuntimeOrigin::signed(USER),
			Some(relay.clone()),
			Some(pk.clone())
		));
		System::assert_last_event(
			Event::TwinCreated {
				twin_id: 1,
				account: USER,
				relay: Some(relay.clone()),
				pk: Some(pk.clone()),
			}
			.into(),
		);
		assert_ok!(TfgridModule::create_twin(RuntimeOrigin::signed(FARMER), None, None));
		assert_eq!(TwinIdByAccount::<Test>::get(USER), Some(1));
		assert_eq!(TwinIdByAccount::<Test>::get(FARMER), Some(2));
		assert_eq!(
			Twins::<Test>::get(1),
			Some(Twin {
				id: 1,
				account: USER,
				relay: Some(relay),
				pk: Some(pk),
				farms: 0,
				deposit: TfgridModule::twin_deposit()
			})
		);
		assert_eq!(LastTwinId::<Test>::get(), 2);
	});
}

#[test]
fn an_account_has_one_twin() {
	ExtBuilder::default().with_twin(USER).build_and_execute(|| {
		assert_noop!(
			TfgridModule::create_twin(RuntimeOrigin::signed(USER), None, None),
			Error::<Test>::TwinExists
		);
	});
}

#[test]
fn relay_must_be_printable_ascii_without_spaces() {
	ExtBuilder::default().build_and_execute(|| {
		for relay in ["", "relay grid", "relay\n", "relay\u{7f}", "rélay"] {
			assert_noop!(
				TfgridModule::create_twin(RuntimeOrigin::signed(USER), Some(bounded(relay)), None),
				Error::<Test>::InvalidRelay
			);
		}
	});
}

#[test]
fn relay_and_key_at_their_bounds_are_accepted() {
	ExtBuilder::default().build_and_execute(|| {
		let relay = "r".repeat(MAX_RELAY as usize);
		let pk = "k".repeat(MAX_PK as usize);
		assert_ok!(TfgridModule::create_twin(
			RuntimeOrigin::signed(USER),
			Some(bounded(&relay)),
			Some(bounded(&pk))
		));
		// One byte more does not even make a call argument.
		assert!(crate::RelayOf::<Test>::try_from(vec![b'r'; MAX_RELAY as usize + 1]).is_err());
		assert!(crate::PkOf::<Test>::try_from(vec![b'k'; MAX_PK as usize + 1]).is_err());
	});
}

#[test]
fn empty_public_key_is_refused() {
	ExtBuilder::default().with_twin(FARMER).build_and_execute(|| {
		assert_noop!(
			TfgridModule::create_twin(RuntimeOrigin::signed(USER), None, Some(bounded(""))),
			Error::<Test>::EmptyPublicKey
		);
		assert_noop!(
			TfgridModule::update_twin(RuntimeOrigin::signed(FARMER), None, Some(bounded(""))),
			Error::<Test>::EmptyPublicKey
		);
	});
}

#[test]
fn twin_ids_do_not_wrap_around() {
	ExtBuilder::default().build_and_execute(|| {
		LastTwinId::<Test>::put(u32::MAX);
		assert_noop!(
			TfgridModule::create_twin(RuntimeOrigin::signed(USER), None, None),
			Error::<Test>::IdsExhausted
		);
	});
}

#[test]
fn update_twin_replaces_relay_and_key() {
	ExtBuilder::default().with_twin(USER).build_and_execute(|| {
		let pk = bounded("new-key");
		assert_ok!(TfgridModule::update_twin(RuntimeOrigin::signed(USER), None, Some(pk.clone())));
		System::assert_last_event(
			Event::TwinUpdated { twin_id: 1, relay: None, pk: Some(pk.clone()) }.into(),
		);
		assert_eq!(Twins::<Test>::get(1).map(|t| t.pk), Some(Some(pk)));
		assert_noop!(
			TfgridModule::update_twin(RuntimeOrigin::signed(USER), Some(bounded("a b")), None),
			Error::<Test>::InvalidRelay
		);
	});
}

#[test]
fn update_twin_needs_a_twin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			TfgridModule::update_twin(RuntimeOrigin::signed(STRANGER), None, None),
			Error::<Test>::TwinNotFound
		);
	});
}

#[test]
fn unsigned_calls_are_refused() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_noop!(
			TfgridModule::create_twin(RuntimeOrigin::none(), None, None),
			DispatchError::BadOrigin
		);
		assert_noop!(
			TfgridModule::create_farm(RuntimeOrigin::root(), bounded("farm")),
			DispatchError::BadOrigin
		);
		assert_noop!(TfgridModule::delete_node(RuntimeOrigin::none(), 1), DispatchError::BadOrigin);
	});
}
