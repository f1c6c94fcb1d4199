//! What nodes and user interfaces read: the runtime API's functions.

use crate::{mock::*, Contracts, DeploymentMismatch};
use frame_support::assert_ok;
use grid_primitives::GridUsage;

#[test]
fn check_deployment_says_why_a_deployment_does_not_match() {
	ExtBuilder::default().build_and_execute(|| {
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
	ExtBuilder::default().build_and_execute(|| {
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
	ExtBuilder::default().build_and_execute(|| {
		assert!(!SmartContractModule::is_node_in_use(NODE));
		let id = create(NODE, "web", 0);
		assert!(SmartContractModule::is_node_in_use(NODE));
		assert!(!SmartContractModule::is_node_in_use(OTHER_NODE));
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(USER), id));
		assert!(!SmartContractModule::is_node_in_use(NODE));
	});
}
