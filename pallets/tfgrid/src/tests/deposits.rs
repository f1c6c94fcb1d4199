use crate::{mock::*, Error, Farms, HoldReason, Nodes, Twins};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};

fn held(reason: HoldReason, who: u64) -> u64 {
	Balances::balance_on_hold(&reason.into(), &who)
}

fn add_ip(who: u64, farm_id: u32, ip: &str) -> sp_runtime::DispatchResult {
	TfgridModule::add_farm_ip(
		RuntimeOrigin::signed(who),
		farm_id,
		bounded(ip),
		bounded("185.206.122.1"),
	)
}

#[test]
fn deposits_cover_the_largest_records_at_the_configured_prices() {
	ExtBuilder::default().build_and_execute(|| {
		// Entries × 100 + bytes × 1; a map key is a 16-byte hash and the key. Twin: record
		// 16 + 4 + (id 4, account 8, relay 1 + 1 + 32, key 1 + 1 + 33, farms 4, deposit 8) and
		// account index 16 + 8 + 4.
		assert_eq!(TfgridModule::twin_deposit(), 2 * 100 + 113 + 28);
		// Farm: record 16 + 4 + (id 4, name 1 + 16, twin 4, account 8, nodes 4, deposit 8),
		// name index 16 + 17 + 4, IP counters 16 + 4 + 8.
		assert_eq!(TfgridModule::farm_deposit(), 3 * 100 + 65 + 37 + 28);
		// IP (an address is 1 + 16 bytes at most): key 16 + 4 + 16 + 17; the record, key +
		// (prefix 1, gateway 17, contract 1 + 8); the free-list entry, key.
		assert_eq!(TfgridModule::ip_deposit(), 2 * 100 + 53 + 27 + 53);
		// Node: record 16 + 4 + (ids 3 × 4, account 8, resources 4 × 8, deposit 8), twin index
		// 16 + 4 + 4.
		assert_eq!(TfgridModule::node_deposit(), 2 * 100 + 80 + 24);
	});
}

#[test]
fn a_twin_holds_its_deposit_from_its_account() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(TfgridModule::create_twin(RuntimeOrigin::signed(USER), None, None));
		let deposit = TfgridModule::twin_deposit();
		assert_eq!(Twins::<Test>::get(1).map(|twin| twin.deposit), Some(deposit));
		assert_eq!(held(HoldReason::TwinDeposit, USER), deposit);
		assert_eq!(Balances::balance(&USER), ENDOWMENT - deposit);
	});
}

#[test]
fn a_farm_holds_its_deposit_and_a_share_for_each_ip() {
	ExtBuilder::default().with_twin(FARMER).build_and_execute(|| {
		assert_ok!(TfgridModule::create_farm(RuntimeOrigin::signed(FARMER), bounded("farm")));
		let (farm, ip) = (TfgridModule::farm_deposit(), TfgridModule::ip_deposit());
		assert_eq!(held(HoldReason::FarmDeposit, FARMER), farm);

		assert_ok!(add_ip(FARMER, 1, "185.206.122.10/24"));
		assert_ok!(add_ip(FARMER, 1, "185.206.122.11/24"));
		assert_eq!(held(HoldReason::FarmDeposit, FARMER), farm + 2 * ip);
		assert_eq!(Farms::<Test>::get(1).map(|f| f.deposit), Some(farm + 2 * ip));

		let free = Balances::balance(&FARMER);
		assert_ok!(TfgridModule::remove_farm_ip(
			RuntimeOrigin::signed(FARMER),
			1,
			bounded("185.206.122.10")
		));
		assert_eq!(held(HoldReason::FarmDeposit, FARMER), farm + ip);
		assert_eq!(Farms::<Test>::get(1).map(|f| f.deposit), Some(farm + ip));
		assert_eq!(Balances::balance(&FARMER), free + ip);
	});
}

#[test]
fn a_node_holds_its_deposit_until_it_is_deleted() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		let before = Balances::balance(&USER);
		invite(3);
		assert_ok!(TfgridModule::create_node(RuntimeOrigin::signed(USER), 1, capacity()));
		let deposit = TfgridModule::node_deposit();
		assert_eq!(Nodes::<Test>::get(2).map(|node| node.deposit), Some(deposit));
		assert_eq!(held(HoldReason::NodeDeposit, USER), deposit);
		assert_eq!(Balances::balance(&USER), before - deposit);

		assert_ok!(TfgridModule::delete_node(RuntimeOrigin::signed(USER), 2));
		assert_eq!(held(HoldReason::NodeDeposit, USER), 0);
		assert_eq!(Balances::balance(&USER), before);
	});
}

#[test]
fn the_genesis_grid_holds_its_deposits_too() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_eq!(held(HoldReason::TwinDeposit, FARMER), TfgridModule::twin_deposit());
		assert_eq!(
			held(HoldReason::FarmDeposit, FARMER),
			TfgridModule::farm_deposit() + GRID_IPS.len() as u64 * TfgridModule::ip_deposit()
		);
		assert_eq!(held(HoldReason::NodeDeposit, NODE_OWNER), TfgridModule::node_deposit());
	});
}

#[test]
fn nothing_is_registered_without_the_deposit() {
	ExtBuilder::default().with_twin(POOR).with_farm("poor-farm", 1, &[]).build_and_execute(|| {
		assert_noop!(
			TfgridModule::create_twin(RuntimeOrigin::signed(BROKE), None, None),
			Error::<Test>::InsufficientBalanceForDeposit
		);
		assert_noop!(
			TfgridModule::create_farm(RuntimeOrigin::signed(POOR), bounded("second")),
			Error::<Test>::InsufficientBalanceForDeposit
		);
		assert_noop!(
			add_ip(POOR, 1, "185.206.122.10/24"),
			Error::<Test>::InsufficientBalanceForDeposit
		);
		assert_noop!(
			TfgridModule::invite_node(RuntimeOrigin::signed(POOR), 1, 1),
			Error::<Test>::InsufficientBalanceForDeposit
		);
		// Invited without a deposit, the node's own deposit is still missing.
		crate::NodeInvites::<Test>::insert(1, 1, ());
		assert_noop!(
			TfgridModule::create_node(RuntimeOrigin::signed(POOR), 1, capacity()),
			Error::<Test>::InsufficientBalanceForDeposit
		);
		crate::NodeInvites::<Test>::remove(1, 1);
	});
}
