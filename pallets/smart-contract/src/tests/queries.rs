//! What nodes and user interfaces read: the runtime API's functions, and the invariant checks.

use crate::{mock::*, Contracts, DeploymentMismatch, HoldReason};
use frame_support::{
	assert_ok,
	traits::fungible::{Inspect, MutateHold},
};
use grid_primitives::GridUsage;

#[test]
fn check_deployment_says_why_a_deployment_does_not_match() {
	ExtBuilder::build_and_execute(|| {
		let id = create(NODE, "web", 0);
		assert_eq!(SmartContractModule::check_deployment(NODE, id, 3, hash("web")), Ok(()));
		assert_eq!(
			SmartContractModule::check_deployment(NODE, id, 3, hash("evil")),
			Err(DeploymentMismatch::HashMismatch)
		);
		assert_eq!(
			SmartContractModule::check_deployment(NODE, id, 5, hash("web")),
			Err(DeploymentMismatch::TwinMismatch)
		);
		assert_eq!(
			SmartContractModule::check_deployment(OTHER_NODE, id, 3, hash("web")),
			Err(DeploymentMismatch::WrongNode)
		);
		assert_eq!(
			SmartContractModule::check_deployment(NODE, id + 1, 3, hash("web")),
			Err(DeploymentMismatch::ContractNotFound)
		);
	});
}

#[test]
fn node_contracts_are_listed_page_by_page() {
	ExtBuilder::build_and_execute(|| {
		let mut ids: Vec<u64> = (0..5).map(|i| create(NODE, &format!("d{i}"), 0)).collect();
		create(OTHER_NODE, "elsewhere", 0);
		let mut seen = Vec::new();
		let mut after = None;
		loop {
			let page = SmartContractModule::node_contracts(NODE, after, 2);
			assert!(page.len() <= 2);
			let Some(&(_, last_hash)) = page.last() else { break };
			for (id, hash) in &page {
				assert_eq!(Contracts::<Test>::get(id).map(|c| c.deployment_hash), Some(*hash));
			}
			seen.extend(page.iter().map(|(id, _)| *id));
			after = Some(last_hash);
		}
		seen.sort();
		ids.sort();
		assert_eq!(seen, ids);
		assert!(SmartContractModule::node_contracts(77, None, 10).is_empty());
	});
}

#[test]
fn a_node_is_in_use_while_it_has_live_contracts() {
	ExtBuilder::build_and_execute(|| {
		assert!(!SmartContractModule::is_node_in_use(NODE));
		let id = create(NODE, "web", 0);
		assert!(SmartContractModule::is_node_in_use(NODE));
		assert!(!SmartContractModule::is_node_in_use(OTHER_NODE));
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(USER), id));
		assert!(!SmartContractModule::is_node_in_use(NODE));
	});
}

fn broken_by(corrupt: impl FnOnce(u64)) -> bool {
	let mut broken = false;
	ExtBuilder::build().execute_with(|| {
		let id = create(NODE, "web", 2);
		assert!(SmartContractModule::do_try_state().is_ok());
		corrupt(id);
		broken = SmartContractModule::do_try_state().is_err();
	});
	broken
}

#[test]
fn try_state_finds_broken_contracts() {
	// An IP held for a contract that does not list it.
	assert!(broken_by(|_| {
		assert_ok!(<TfgridModule as grid_primitives::GridProvider<u64>>::reserve_ips(1, 999, 1));
	}));
	// A deposit held that no contract records.
	assert!(broken_by(|_| {
		assert_ok!(Balances::hold(&HoldReason::ContractDeposit.into(), &USER, 5));
	}));
	// An index entry without its contract, and a contract without its index entry.
	assert!(broken_by(|id| crate::NodeContracts::<Test>::insert(NODE, hash("ghost"), id)));
	assert!(broken_by(|_| crate::NodeContracts::<Test>::remove(NODE, hash("web"))));
	// A contract whose recorded owner is not its twin's account.
	assert!(broken_by(|id| {
		Contracts::<Test>::mutate(id, |c| {
			if let Some(c) = c {
				c.owner = STRANGER;
			}
		})
	}));
	// A contract whose IP list lost an entry.
	assert!(broken_by(|id| {
		Contracts::<Test>::mutate(id, |c| {
			if let Some(c) = c {
				let first = c.public_ips_list[0];
				c.public_ips_list = frame_support::BoundedVec::truncate_from(vec![first]);
			}
		})
	}));
}

#[test]
fn the_foundation_account_exists_from_genesis() {
	ExtBuilder::build_and_execute(|| {
		// Minted by the pallet's genesis: a first share smaller than the existential deposit
		// is paid, not burned.
		assert_eq!(Balances::balance(&FOUNDATION), FOUNDATION_FUNDS);
		assert_eq!(FOUNDATION_FUNDS, Balances::minimum_balance());
	});
}
