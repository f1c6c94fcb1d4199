use crate::{
	mock::*, Error, Event, Farms, HoldReason, LastNodeId, Node, NodeIdByTwin, NodeInvites, Nodes,
};
use frame_support::traits::fungible::InspectHold;
use frame_support::{assert_noop, assert_ok};
use grid_primitives::{Resources, GIB, TIB};

#[test]
fn create_node_registers_it_under_its_own_twin() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		invite(3);
		assert_ok!(TfgridModule::create_node(RuntimeOrigin::signed(USER), 1, capacity()));
		System::assert_last_event(
			Event::NodeCreated { node_id: 2, farm_id: 1, twin_id: 3, resources: capacity() }.into(),
		);
		assert_eq!(
			Nodes::<Test>::get(2),
			Some(Node {
				id: 2,
				farm_id: 1,
				twin_id: 3,
				account: USER,
				resources: capacity(),
				deposit: TfgridModule::node_deposit()
			})
		);
		assert_eq!(NodeIdByTwin::<Test>::get(3), Some(2));
		assert_eq!(LastNodeId::<Test>::get(), 2);
	});
}

#[test]
fn create_node_needs_a_twin_and_a_farm() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_noop!(
			TfgridModule::create_node(RuntimeOrigin::signed(STRANGER), 1, capacity()),
			Error::<Test>::TwinNotFound
		);
		assert_noop!(
			TfgridModule::create_node(RuntimeOrigin::signed(USER), 9, capacity()),
			Error::<Test>::FarmNotFound
		);
	});
}

#[test]
fn a_twin_runs_one_node() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_noop!(
			TfgridModule::create_node(RuntimeOrigin::signed(NODE_OWNER), 1, capacity()),
			Error::<Test>::TwinHasNode
		);
	});
}

#[test]
fn node_ids_do_not_wrap_around() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		invite(3);
		LastNodeId::<Test>::put(u32::MAX);
		assert_noop!(
			TfgridModule::create_node(RuntimeOrigin::signed(USER), 1, capacity()),
			Error::<Test>::IdsExhausted
		);
	});
}

/// Capacities out of bounds, one resource at a time.
fn invalid_capacities() -> Vec<Resources> {
	let ok = capacity();
	vec![
		Resources { cru: 0, ..ok },
		Resources { cru: Resources::MAX_CRU + 1, ..ok },
		Resources { mru: 0, ..ok },
		Resources { mru: GIB - 1, ..ok },
		Resources { mru: 16 * TIB + 1, ..ok },
		Resources { sru: 1024 * TIB + 1, ..ok },
		Resources { hru: u64::MAX, ..ok },
	]
}

#[test]
fn resources_out_of_bounds_are_refused() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		invite(3);
		for resources in invalid_capacities() {
			assert_noop!(
				TfgridModule::create_node(RuntimeOrigin::signed(USER), 1, resources),
				Error::<Test>::InvalidResources
			);
			assert_noop!(
				TfgridModule::update_node(RuntimeOrigin::signed(NODE_OWNER), 1, resources),
				Error::<Test>::InvalidResources
			);
		}
	});
}

#[test]
fn resources_at_their_bounds_are_accepted() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		let largest = Resources {
			cru: Resources::MAX_CRU,
			sru: Resources::MAX_DISK,
			hru: Resources::MAX_DISK,
			mru: Resources::MAX_MRU,
		};
		assert_ok!(TfgridModule::update_node(RuntimeOrigin::signed(NODE_OWNER), 1, largest));
		let smallest = Resources { cru: 1, sru: 0, hru: 0, mru: Resources::MIN_MRU };
		invite(3);
		assert_ok!(TfgridModule::create_node(RuntimeOrigin::signed(USER), 1, smallest));
	});
}

#[test]
fn update_node_replaces_its_capacity() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		let bigger = Resources { cru: 16, ..capacity() };
		assert_ok!(TfgridModule::update_node(RuntimeOrigin::signed(NODE_OWNER), 1, bigger));
		System::assert_last_event(Event::NodeUpdated { node_id: 1, resources: bigger }.into());
		assert_eq!(Nodes::<Test>::get(1).map(|n| n.resources), Some(bigger));
	});
}

#[test]
fn only_the_nodes_twin_updates_or_deletes_it() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		// Not even the farmer; nor an account without a twin.
		for who in [FARMER, USER, STRANGER] {
			assert_noop!(
				TfgridModule::update_node(RuntimeOrigin::signed(who), 1, capacity()),
				Error::<Test>::NotNodeOwner
			);
			assert_noop!(
				TfgridModule::delete_node(RuntimeOrigin::signed(who), 1),
				Error::<Test>::NotNodeOwner
			);
		}
	});
}

#[test]
fn unknown_nodes_are_refused() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_noop!(
			TfgridModule::update_node(RuntimeOrigin::signed(NODE_OWNER), 5, capacity()),
			Error::<Test>::NodeNotFound
		);
		assert_noop!(
			TfgridModule::delete_node(RuntimeOrigin::signed(NODE_OWNER), 5),
			Error::<Test>::NodeNotFound
		);
	});
}

#[test]
fn delete_node_frees_the_twin_for_another_node() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_ok!(TfgridModule::delete_node(RuntimeOrigin::signed(NODE_OWNER), 1));
		System::assert_last_event(Event::NodeDeleted { node_id: 1 }.into());
		assert!(!Nodes::<Test>::contains_key(1));
		assert!(!NodeIdByTwin::<Test>::contains_key(2));
		invite(2);
		assert_ok!(TfgridModule::create_node(RuntimeOrigin::signed(NODE_OWNER), 1, capacity()));
		assert_eq!(NodeIdByTwin::<Test>::get(2), Some(2));
	});
}

#[test]
fn a_node_in_use_cannot_be_deleted() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		FakeContracts::set_in_use(1, true);
		assert_noop!(
			TfgridModule::delete_node(RuntimeOrigin::signed(NODE_OWNER), 1),
			Error::<Test>::NodeInUse
		);
		FakeContracts::set_in_use(1, false);
		assert_ok!(TfgridModule::delete_node(RuntimeOrigin::signed(NODE_OWNER), 1));
	});
}

#[test]
fn node_cannot_shrink_below_what_its_contracts_reserve() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		// Contracts reserve 4 cores and 16 GiB; the node would claim less to overbook, or so that
		// reports within a reservation it agreed to look like more than it has.
		let reserved = Resources { cru: 4, sru: 0, hru: 0, mru: 16 * GIB };
		FakeContracts::set_reserved(1, reserved);
		let smaller = Resources { cru: 2, ..capacity() };
		assert_noop!(
			TfgridModule::update_node(RuntimeOrigin::signed(NODE_OWNER), 1, smaller),
			Error::<Test>::CapacityBelowReserved
		);
		let exactly = Resources { cru: 4, mru: 16 * GIB, ..capacity() };
		assert_ok!(TfgridModule::update_node(RuntimeOrigin::signed(NODE_OWNER), 1, exactly));
	});
}

#[test]
fn a_stranger_cannot_put_a_node_on_a_farm_uninvited() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_noop!(
			TfgridModule::create_node(RuntimeOrigin::signed(USER), 1, capacity()),
			Error::<Test>::NodeNotInvited
		);
	});
}

#[test]
fn an_invitation_admits_one_node_and_is_used_up() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_ok!(TfgridModule::invite_node(RuntimeOrigin::signed(FARMER), 1, 3));
		System::assert_last_event(Event::NodeInvited { farm_id: 1, twin_id: 3 }.into());
		assert!(NodeInvites::<Test>::contains_key(1, 3));
		assert_ok!(TfgridModule::create_node(RuntimeOrigin::signed(USER), 1, capacity()));
		assert!(!NodeInvites::<Test>::contains_key(1, 3));
		// Deleting the node and registering it again needs a new invitation.
		assert_ok!(TfgridModule::delete_node(RuntimeOrigin::signed(USER), 2));
		assert_noop!(
			TfgridModule::create_node(RuntimeOrigin::signed(USER), 1, capacity()),
			Error::<Test>::NodeNotInvited
		);
	});
}

#[test]
fn an_invitation_holds_a_deposit_from_the_farmer_until_used_or_revoked() {
	ExtBuilder::default().with_grid().with_twin(POOR).build_and_execute(|| {
		let held = || Balances::balance_on_hold(&HoldReason::FarmDeposit.into(), &FARMER);
		let farm_deposit = || Farms::<Test>::get(1).map(|farm| farm.deposit);
		let (before, recorded) = (held(), farm_deposit());
		let share = TfgridModule::invite_deposit();
		assert!(share > 0);
		invite(3);
		invite(4);
		assert_eq!(held(), before + 2 * share);
		assert_eq!(farm_deposit(), recorded.map(|d| d + 2 * share));

		assert_ok!(TfgridModule::create_node(RuntimeOrigin::signed(USER), 1, capacity()));
		assert_eq!(held(), before + share);
		assert_ok!(TfgridModule::revoke_node_invite(RuntimeOrigin::signed(FARMER), 1, 4));
		System::assert_last_event(Event::NodeInviteRevoked { farm_id: 1, twin_id: 4 }.into());
		assert_eq!(held(), before);
		assert_eq!(farm_deposit(), recorded);
	});
}

#[test]
fn a_revoked_invitation_admits_no_node() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		invite(3);
		assert_ok!(TfgridModule::revoke_node_invite(RuntimeOrigin::signed(FARMER), 1, 3));
		assert_noop!(
			TfgridModule::create_node(RuntimeOrigin::signed(USER), 1, capacity()),
			Error::<Test>::NodeNotInvited
		);
	});
}

#[test]
fn only_the_farmer_invites_and_revokes() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		for who in [NODE_OWNER, USER] {
			assert_noop!(
				TfgridModule::invite_node(RuntimeOrigin::signed(who), 1, 3),
				Error::<Test>::NotFarmOwner
			);
		}
		invite(3);
		for who in [NODE_OWNER, USER] {
			assert_noop!(
				TfgridModule::revoke_node_invite(RuntimeOrigin::signed(who), 1, 3),
				Error::<Test>::NotFarmOwner
			);
		}
	});
}

#[test]
fn bad_invitations_are_refused_by_name() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		let invite_node = |farm_id, twin_id| {
			TfgridModule::invite_node(RuntimeOrigin::signed(FARMER), farm_id, twin_id)
		};
		assert_noop!(invite_node(9, 3), Error::<Test>::FarmNotFound);
		assert_noop!(invite_node(1, 9), Error::<Test>::InviteeNotFound);
		// Twin 2 runs node 1 already.
		assert_noop!(invite_node(1, 2), Error::<Test>::TwinHasNode);
		invite(3);
		assert_noop!(invite_node(1, 3), Error::<Test>::AlreadyInvited);
		let revoke = |farm_id, twin_id| {
			TfgridModule::revoke_node_invite(RuntimeOrigin::signed(FARMER), farm_id, twin_id)
		};
		assert_noop!(revoke(9, 3), Error::<Test>::FarmNotFound);
		assert_noop!(revoke(1, 1), Error::<Test>::InviteNotFound);
	});
}
