use super::reports::{report, send};
use crate::{
	mock::*, ContractState, Contracts, Deployments, Error, Event, HoldReason, NodeContracts,
	NodeReserved,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use grid_primitives::{DeploymentHash, Resources};

#[test]
fn update_replaces_the_deployment_and_waits_for_a_new_confirmation() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "v1", 1);
		assert_ok!(SmartContractModule::confirm_deployment(
			RuntimeOrigin::signed(NODE_OPERATOR),
			id,
			hash("v1")
		));
		assert_ok!(SmartContractModule::update_node_contract(
			RuntimeOrigin::signed(USER),
			id,
			hash("v2"),
			data(40),
			vm()
		));
		let contract = Contracts::<Test>::get(id).expect("the contract lives");
		assert_eq!(contract.state, ContractState::Updated);
		assert_eq!(contract.deployment_hash, hash("v2"));
		let deployment = Deployments::<Test>::get(id).expect("its deployment");
		assert_eq!(deployment.deployment_data, data(40));
		assert_eq!(deployment.public_ips.len(), 1, "the IPs stay");
		assert_eq!(contract.public_ips, 1);
		assert_eq!(NodeContracts::<Test>::get(NODE, hash("v2")), Some(id));
		assert!(!NodeContracts::<Test>::contains_key(NODE, hash("v1")));
		System::assert_last_event(
			Event::ContractUpdated {
				contract_id: id,
				deployment_hash: hash("v2"),
				resources: vm(),
				deposit: contract.deposit,
			}
			.into(),
		);
	});
}

#[test]
fn the_deposit_follows_the_size_of_the_data() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "v1", 0);
		let held = || Balances::balance_on_hold(&HoldReason::ContractDeposit.into(), &USER);
		let at_16 = held();
		assert_ok!(SmartContractModule::update_node_contract(
			RuntimeOrigin::signed(USER),
			id,
			hash("v1"),
			data(48),
			vm()
		));
		assert_eq!(held(), at_16 + 32 * DEPOSIT_PER_BYTE);
		assert_ok!(SmartContractModule::update_node_contract(
			RuntimeOrigin::signed(USER),
			id,
			hash("v1"),
			data(0),
			vm()
		));
		assert_eq!(held(), at_16 - 16 * DEPOSIT_PER_BYTE);
	});
}

#[test]
fn only_the_owner_updates() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "v1", 0);
		for who in [STRANGER, NODE_OPERATOR, NOBODY] {
			assert_noop!(
				SmartContractModule::update_node_contract(
					RuntimeOrigin::signed(who),
					id,
					hash("v2"),
					data(0),
					vm()
				),
				Error::<Test>::NotContractOwner
			);
		}
	});
}

#[test]
fn update_of_an_unknown_contract_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			SmartContractModule::update_node_contract(
				RuntimeOrigin::signed(USER),
				9,
				hash("v2"),
				data(0),
				vm()
			),
			Error::<Test>::ContractNotFound
		);
	});
}

#[test]
fn update_to_a_hash_the_node_already_runs_or_to_zero_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "v1", 0);
		create(NODE, "other", 0);
		assert_noop!(
			SmartContractModule::update_node_contract(
				RuntimeOrigin::signed(USER),
				id,
				hash("other"),
				data(0),
				vm()
			),
			Error::<Test>::DuplicateDeploymentHash
		);
		assert_noop!(
			SmartContractModule::update_node_contract(
				RuntimeOrigin::signed(USER),
				id,
				DeploymentHash::zero(),
				data(0),
				vm()
			),
			Error::<Test>::InvalidDeploymentHash
		);
	});
}

#[test]
fn a_bigger_deposit_the_owner_cannot_pay_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "v1", 0);
		// Leave the owner with less than the extra deposit 48 more bytes need.
		let spendable =
			<Balances as frame_support::traits::fungible::Inspect<u64>>::reducible_balance(
				&USER,
				frame_support::traits::tokens::Preservation::Expendable,
				frame_support::traits::tokens::Fortitude::Polite,
			);
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(USER),
			STRANGER,
			spendable - 10
		));
		assert_noop!(
			SmartContractModule::update_node_contract(
				RuntimeOrigin::signed(USER),
				id,
				hash("v1"),
				data(64),
				vm()
			),
			Error::<Test>::InsufficientBalanceForDeposit
		);
	});
}

#[test]
fn update_moves_the_reservation_within_the_nodes_capacity() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "v1", 0);
		create(NODE, "other", 0);
		let update = |resources| {
			SmartContractModule::update_node_contract(
				RuntimeOrigin::signed(USER),
				id,
				hash("v1"),
				data(0),
				resources,
			)
		};
		// The other contract keeps 2 of the node's 16 cores: 14 fit, 15 do not.
		assert_noop!(update(Resources { cru: 15, ..vm() }), Error::<Test>::NodeCapacityExceeded);
		let fourteen = Resources { cru: 14, ..vm() };
		assert_ok!(update(fourteen));
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.resources), Some(fourteen));
		assert_eq!(NodeReserved::<Test>::get(NODE).map(|r| r.cru), Some(16));
		// Less is always fine.
		assert_ok!(update(Resources::default()));
		assert_eq!(NodeReserved::<Test>::get(NODE), Some(vm()));
	});
}

#[test]
fn reports_on_an_updated_contract_are_billed_within_the_new_reservation_until_confirmed() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "v1", 0);
		assert_ok!(SmartContractModule::confirm_deployment(
			RuntimeOrigin::signed(NODE_OPERATOR),
			id,
			hash("v1")
		));
		let half = Resources { cru: 1, mru: 2 * grid_primitives::GIB, ..vm() };
		assert_ok!(SmartContractModule::update_node_contract(
			RuntimeOrigin::signed(USER),
			id,
			hash("v2"),
			data(0),
			half
		));
		// The node still runs v1: its report of v1's use is above the new reservation...
		Clock::set(START + 3_600);
		let send = |used| send(NODE_OPERATOR, vec![report(id, START + 3_600, used, 0)]);
		assert_ok!(send(vm()));
		System::assert_last_event(
			Event::ConsumptionReportRejected {
				contract_id: id,
				reason: crate::ReportRejection::AboveReservation,
			}
			.into(),
		);
		// ... and within it, billed though the node has not confirmed v2 yet.
		assert_ok!(send(half));
		assert_eq!(billing(id).map(|b| b.billed_until), Some(START + 3_600));
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.state), Some(ContractState::Updated));
	});
}
