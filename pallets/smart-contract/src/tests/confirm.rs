use crate::{mock::*, ContractState, Contracts, Error, Event};
use frame_support::{assert_noop, assert_ok};

#[test]
fn the_node_confirms_with_the_contracts_hash() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "web", 1);
		assert_ok!(SmartContractModule::confirm_deployment(
			RuntimeOrigin::signed(NODE_OPERATOR),
			id,
			hash("web")
		));
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.state), Some(ContractState::Deployed));
		System::assert_last_event(
			Event::DeploymentConfirmed { contract_id: id, node_id: NODE }.into(),
		);
	});
}

#[test]
fn only_the_contracts_node_confirms() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "web", 0);
		for who in [OTHER_OPERATOR, USER, FARMER, NOBODY] {
			assert_noop!(
				SmartContractModule::confirm_deployment(
					RuntimeOrigin::signed(who),
					id,
					hash("web")
				),
				Error::<Test>::NotContractNode
			);
		}
	});
}

#[test]
fn a_wrong_hash_is_refused_and_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "web", 0);
		assert_noop!(
			SmartContractModule::confirm_deployment(
				RuntimeOrigin::signed(NODE_OPERATOR),
				id,
				hash("evil")
			),
			Error::<Test>::DeploymentHashMismatch
		);
		assert_eq!(
			Contracts::<Test>::get(id).map(|c| c.state),
			Some(ContractState::Created { expires: 1 + TIMEOUT })
		);
	});
}

#[test]
fn confirming_twice_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "web", 0);
		assert_ok!(SmartContractModule::confirm_deployment(
			RuntimeOrigin::signed(NODE_OPERATOR),
			id,
			hash("web")
		));
		assert_noop!(
			SmartContractModule::confirm_deployment(
				RuntimeOrigin::signed(NODE_OPERATOR),
				id,
				hash("web")
			),
			Error::<Test>::AlreadyDeployed
		);
	});
}

#[test]
fn confirming_an_unknown_contract_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			SmartContractModule::confirm_deployment(
				RuntimeOrigin::signed(NODE_OPERATOR),
				3,
				hash("web")
			),
			Error::<Test>::ContractNotFound
		);
	});
}
