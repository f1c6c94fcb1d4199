//! Nothing is held forever: twins and farms are deleted once they hold nothing, releasing their
//! deposits.

use crate::{mock::*, Error, Event, FarmIdByName, Farms, HoldReason, TwinIdByAccount, Twins};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};

fn held(reason: HoldReason, who: u64) -> u64 {
	Balances::balance_on_hold(&reason.into(), &who)
}

fn delete_farm(who: u64, farm_id: u32) -> sp_runtime::DispatchResult {
	TfgridModule::delete_farm(RuntimeOrigin::signed(who), farm_id)
}

fn delete_twin(who: u64) -> sp_runtime::DispatchResult {
	TfgridModule::delete_twin(RuntimeOrigin::signed(who))
}

#[test]
fn a_farm_with_nothing_left_is_deleted_and_its_deposit_released() {
	ExtBuilder::default().with_twin(FARMER).with_farm("farm-one", 1, &[]).build_and_execute(|| {
		let before = Balances::balance(&FARMER);
		assert_eq!(held(HoldReason::FarmDeposit, FARMER), TfgridModule::farm_deposit());
		assert_ok!(delete_farm(FARMER, 1));
		System::assert_last_event(Event::FarmDeleted { farm_id: 1 }.into());
		assert!(!Farms::<Test>::contains_key(1));
		assert_eq!(held(HoldReason::FarmDeposit, FARMER), 0);
		assert_eq!(Balances::balance(&FARMER), before + TfgridModule::farm_deposit());
		assert_eq!(Twins::<Test>::get(1).map(|twin| twin.farms), Some(0));
		// The name is free again, for a new farm with a new id.
		let key: crate::FarmNameOf<Test> = bounded("farm-one");
		assert!(!FarmIdByName::<Test>::contains_key(&key));
		assert_ok!(TfgridModule::create_farm(RuntimeOrigin::signed(FARMER), bounded("FARM-one")));
		assert_eq!(FarmIdByName::<Test>::get(&key), Some(2));
	});
}

#[test]
fn a_farm_is_not_deleted_while_it_holds_ips_nodes_or_invitations() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_noop!(delete_farm(FARMER, 1), Error::<Test>::FarmHasIps);
		for ip in GRID_IPS {
			let address = ip.split('/').next().unwrap_or_default();
			assert_ok!(TfgridModule::remove_farm_ip(
				RuntimeOrigin::signed(FARMER),
				1,
				bounded(address)
			));
		}
		assert_noop!(delete_farm(FARMER, 1), Error::<Test>::FarmHasNodes);
		assert_ok!(TfgridModule::delete_node(RuntimeOrigin::signed(NODE_OWNER), 1));
		invite(3);
		assert_noop!(delete_farm(FARMER, 1), Error::<Test>::FarmHasInvites);
		assert_ok!(TfgridModule::revoke_node_invite(RuntimeOrigin::signed(FARMER), 1, 3));
		assert_ok!(delete_farm(FARMER, 1));
		assert_eq!(held(HoldReason::FarmDeposit, FARMER), 0);
	});
}

#[test]
fn only_the_farmer_deletes_a_farm() {
	ExtBuilder::default()
		.with_twin(FARMER)
		.with_twin(USER)
		.with_farm("f", 1, &[])
		.build_and_execute(|| {
			assert_noop!(delete_farm(USER, 1), Error::<Test>::NotFarmOwner);
			assert_noop!(delete_farm(FARMER, 9), Error::<Test>::FarmNotFound);
		});
}

#[test]
fn a_twin_with_nothing_left_is_deleted_and_its_deposit_released() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		let before = Balances::balance(&USER);
		assert_ok!(delete_twin(USER));
		System::assert_last_event(Event::TwinDeleted { twin_id: 3 }.into());
		assert!(!Twins::<Test>::contains_key(3));
		assert!(!TwinIdByAccount::<Test>::contains_key(USER));
		assert_eq!(held(HoldReason::TwinDeposit, USER), 0);
		assert_eq!(Balances::balance(&USER), before + TfgridModule::twin_deposit());
		// The account may come back, as a new twin: ids are never given twice.
		assert_ok!(TfgridModule::create_twin(RuntimeOrigin::signed(USER), None, None));
		assert_eq!(TwinIdByAccount::<Test>::get(USER), Some(4));
	});
}

#[test]
fn a_twin_is_not_deleted_while_it_runs_a_node_owns_a_farm_or_a_contract() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_noop!(delete_twin(NODE_OWNER), Error::<Test>::TwinRunsNode);
		assert_noop!(delete_twin(FARMER), Error::<Test>::TwinHasFarms);
		FakeContracts::set_twin_in_use(3, true);
		assert_noop!(delete_twin(USER), Error::<Test>::TwinInUse);
		FakeContracts::set_twin_in_use(3, false);
		assert_noop!(delete_twin(STRANGER), Error::<Test>::TwinNotFound);
		assert_ok!(delete_twin(USER));
	});
}

#[test]
fn an_invitation_outlives_its_deleted_twin_and_admits_nobody() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		invite(3);
		assert_ok!(delete_twin(USER));
		assert_ok!(TfgridModule::create_twin(RuntimeOrigin::signed(USER), None, None));
		assert_noop!(
			TfgridModule::create_node(RuntimeOrigin::signed(USER), 1, capacity()),
			Error::<Test>::NodeNotInvited
		);
		// The farmer revokes it and gets its deposit back.
		let before = held(HoldReason::FarmDeposit, FARMER);
		assert_ok!(TfgridModule::revoke_node_invite(RuntimeOrigin::signed(FARMER), 1, 3));
		assert_eq!(held(HoldReason::FarmDeposit, FARMER), before - TfgridModule::invite_deposit());
	});
}
