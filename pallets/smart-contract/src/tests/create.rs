use crate::{
	mock::*, Billing, Contract, ContractState, Contracts, Deployments, Error, Event, HoldReason,
	LastContractId, NodeContracts, NodeReserved,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use grid_primitives::{DeploymentHash, GridProvider, GridUsage, Resources, GIB};
use pallet_tfgrid::{FarmIpCounts, FarmIps, IpCounts};

fn create_as(who: u64, node_id: u32, hash: DeploymentHash, ips: u32) -> sp_runtime::DispatchResult {
	SmartContractModule::create_node_contract(
		RuntimeOrigin::signed(who),
		node_id,
		hash,
		data(16),
		vm(),
		ips,
	)
}

#[test]
fn create_stores_the_contract_reserves_ips_and_holds_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(SmartContractModule::create_node_contract(
			RuntimeOrigin::signed(USER),
			NODE,
			hash("web"),
			data(16),
			vm(),
			2
		));
		let contract = Contracts::<Test>::get(1).expect("contract 1 exists");
		assert_eq!(
			contract,
			Contract {
				contract_id: 1,
				twin_id: 3,
				owner: USER,
				node_id: NODE,
				farm_id: 1,
				resources: vm(),
				deployment_hash: hash("web"),
				public_ips: 2,
				state: ContractState::Created { expires: 1 + TIMEOUT },
				deposit: contract.deposit,
			}
		);
		assert_eq!(billing(1), Some(Billing { billed_until: START, debt: 0 }));
		let deployment = Deployments::<Test>::get(1).expect("its deployment");
		assert_eq!(deployment.deployment_data, data(16));
		assert_eq!(deployment.public_ips.len(), 2);
		for ip in deployment.public_ips.iter() {
			assert_eq!(FarmIps::<Test>::get(1, ip.ip).and_then(|e| e.contract_id), Some(1));
		}
		assert_eq!(FarmIpCounts::<Test>::get(1), IpCounts { total: 3, free: 1 });
		assert_eq!(NodeContracts::<Test>::get(NODE, hash("web")), Some(1));

		// The deposit pays for 3 entries and the bytes stored: the contract's key (24 bytes),
		// the contract as it will be at its largest (9 more bytes of state in grace), its
		// deployment with its key (24 bytes), its index entry with its key (76 bytes), and its
		// id and billing in its node's entry (24 bytes: the id, the time and the debt).
		let bytes = 24
			+ codec::Encode::encoded_size(&contract) as u64
			+ 9 + 24 + codec::Encode::encoded_size(&deployment) as u64
			+ 76 + 24;
		assert_eq!(contract.deposit, 3 * DEPOSIT_PER_ITEM + bytes * DEPOSIT_PER_BYTE);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::ContractDeposit.into(), &USER),
			contract.deposit
		);
		assert_eq!(Balances::balance(&USER), ENDOWMENT - contract.deposit);
		System::assert_last_event(
			Event::ContractCreated {
				contract_id: 1,
				twin_id: 3,
				node_id: NODE,
				deployment_hash: hash("web"),
				resources: vm(),
				public_ips: deployment.public_ips.clone(),
				deposit: contract.deposit,
				expires: 1 + TIMEOUT,
			}
			.into(),
		);
	});
}

#[test]
fn a_contract_without_ips_or_data_is_fine() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(SmartContractModule::create_node_contract(
			RuntimeOrigin::signed(USER),
			OTHER_NODE,
			hash("db"),
			data(0),
			vm(),
			0
		));
		assert_eq!(Contracts::<Test>::get(1).expect("contract 1 exists").public_ips, 0);
		let deployment = Deployments::<Test>::get(1).expect("its deployment");
		assert!(deployment.public_ips.is_empty());
		assert!(deployment.deployment_data.is_empty());
	});
}

#[test]
fn create_needs_a_twin_and_an_existing_node() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(create_as(NOBODY, NODE, hash("web"), 0), Error::<Test>::TwinNotFound);
		assert_noop!(create_as(USER, 77, hash("web"), 0), Error::<Test>::NodeNotFound);
	});
}

#[test]
fn more_ips_than_the_farm_has_are_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// A node whose farm has no IPs at all, and a farm with fewer than asked for.
		assert_noop!(
			create_as(USER, OTHER_NODE, hash("web"), 1),
			Error::<Test>::NotEnoughIpsOnFarm
		);
		assert_noop!(
			create_as(USER, NODE, hash("web"), FARM_IPS + 1),
			Error::<Test>::NotEnoughIpsOnFarm
		);
	});
}

#[test]
fn more_ips_than_are_free_are_refused() {
	ExtBuilder::default().build_and_execute(|| {
		create(NODE, "first", 2);
		assert_noop!(
			create_as(USER, NODE, hash("second"), 2),
			Error::<Test>::NotEnoughFreeIpsOnFarm
		);
		assert_ok!(create_as(USER, NODE, hash("second"), 1));
	});
}

#[test]
fn more_ips_than_a_contract_may_hold_are_refused() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			create_as(USER, NODE, hash("web"), MAX_PUBLIC_IPS + 1),
			Error::<Test>::TooManyPublicIps
		);
		assert_noop!(create_as(USER, NODE, hash("web"), u32::MAX), Error::<Test>::TooManyPublicIps);
	});
}

#[test]
fn deployment_data_at_its_bound_is_accepted_and_past_it_cannot_be_sent() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(SmartContractModule::create_node_contract(
			RuntimeOrigin::signed(USER),
			NODE,
			hash("web"),
			data(MAX_DATA as usize),
			vm(),
			0
		));
		assert!(crate::DeploymentDataOf::<Test>::try_from(vec![0; MAX_DATA as usize + 1]).is_err());
	});
}

#[test]
fn a_node_runs_one_live_contract_per_deployment_hash() {
	ExtBuilder::default().build_and_execute(|| {
		create(NODE, "web", 0);
		assert_noop!(
			create_as(STRANGER, NODE, hash("web"), 0),
			Error::<Test>::DuplicateDeploymentHash
		);
		// The same hash on another node is another deployment.
		assert_ok!(create_as(USER, OTHER_NODE, hash("web"), 0));
	});
}

#[test]
fn the_zero_hash_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			create_as(USER, NODE, DeploymentHash::zero(), 0),
			Error::<Test>::InvalidDeploymentHash
		);
	});
}

#[test]
fn an_account_that_cannot_pay_the_deposit_is_refused_and_keeps_the_ips_free() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			create_as(POOR, NODE, hash("web"), 2),
			Error::<Test>::InsufficientBalanceForDeposit
		);
		assert_eq!(FarmIpCounts::<Test>::get(1), IpCounts { total: 3, free: 3 });
	});
}

#[test]
fn contract_ids_do_not_wrap_around() {
	ExtBuilder::default().build_and_execute(|| {
		LastContractId::<Test>::put(u64::MAX);
		assert_noop!(create_as(USER, NODE, hash("web"), 0), Error::<Test>::IdsExhausted);
	});
}

#[test]
fn contract_ids_are_never_reused() {
	ExtBuilder::default().build_and_execute(|| {
		let first = create(NODE, "web", 0);
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(USER), first));
		assert_eq!(create(NODE, "web", 0), first + 1);
		assert_eq!(TfgridModule::twin_of(&USER), Some(3));
	});
}

#[test]
fn create_reserves_its_resources_on_the_node() {
	ExtBuilder::default().build_and_execute(|| {
		create(NODE, "a", 0);
		create(NODE, "b", 0);
		let two_vms = Resources { cru: 4, mru: 8 * GIB, sru: 200 * GIB, hru: 0 };
		assert_eq!(NodeReserved::<Test>::get(NODE), Some(two_vms));
		assert_eq!(<SmartContractModule as GridUsage>::reserved_resources(NODE), two_vms);
	});
}

#[test]
fn a_twin_cannot_grow_a_nodes_billing_beyond_its_bound() {
	ExtBuilder::default().build_and_execute(|| {
		// Contracts that reserve nothing fit any node's capacity: only the bound stops them,
		// so that the node's billing entry, which each of its batches reads and writes whole,
		// stays bounded.
		let empty = |name: &str| {
			SmartContractModule::create_node_contract(
				RuntimeOrigin::signed(USER),
				NODE,
				hash(name),
				data(0),
				Resources::default(),
				0,
			)
		};
		for i in 0..MAX_CONTRACTS_PER_NODE {
			assert_ok!(empty(&format!("c{i}")));
		}
		assert_noop!(empty("one too many"), Error::<Test>::TooManyContractsOnNode);
		// Cancelling one makes room again.
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(USER), 1));
		assert_ok!(empty("one too many"));
	});
}

#[test]
fn owners_cannot_overbook_a_node() {
	ExtBuilder::default().build_and_execute(|| {
		// The test node has 16 cores: eight 2-core VMs fill it, a ninth does not fit.
		for name in ["a", "b", "c", "d", "f", "g", "h", "i"] {
			create(NODE, name, 0);
		}
		assert_noop!(create_as(USER, NODE, hash("e"), 0), Error::<Test>::NodeCapacityExceeded);
		// A single reservation beyond the whole node is refused too, even on an empty node, and
		// values that would overflow the node's sum as well.
		let huge = Resources { cru: u64::MAX, ..vm() };
		assert_noop!(
			SmartContractModule::create_node_contract(
				RuntimeOrigin::signed(USER),
				OTHER_NODE,
				hash("huge"),
				data(0),
				huge,
				0
			),
			Error::<Test>::NodeCapacityExceeded
		);
		// Cancelling one frees its share of the node.
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(USER), 1));
		assert_ok!(create_as(USER, NODE, hash("e"), 0));
	});
}

#[test]
fn a_node_cannot_shrink_below_what_its_contracts_reserve() {
	ExtBuilder::default().build_and_execute(|| {
		create(NODE, "a", 0);
		create(NODE, "b", 0);
		// The node would shrink to make its contracts' reports look out of bounds, or to
		// overbook later by growing back: the registry asks what the contracts reserve.
		let shrunk = Resources { cru: 3, ..node_capacity() };
		assert_noop!(
			TfgridModule::update_node(RuntimeOrigin::signed(NODE_OPERATOR), NODE, shrunk),
			pallet_tfgrid::Error::<Test>::CapacityBelowReserved
		);
		let snug = Resources { cru: 4, ..node_capacity() };
		assert_ok!(TfgridModule::update_node(RuntimeOrigin::signed(NODE_OPERATOR), NODE, snug));
	});
}
