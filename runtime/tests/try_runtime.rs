//! The runtime's `try-runtime` checks, on the development chain with contracts waiting for
//! their node, deployed and billed, and in a grace period: the upgrade hooks pass, every
//! pallet's on-chain storage version is the one in its code, the whole state decodes and every
//! `try_state` invariant holds — and each of those checks fails when its part of the state is
//! broken.
//!
//! `SKIP_WASM_BUILD=1 cargo test -p gridchain-runtime --features try-runtime --test try_runtime`
//! (the genesis is built natively, so no wasm is needed).
#![cfg(feature = "try-runtime")]

use frame_support::{
	assert_ok,
	storage::unhashed,
	traits::{GetStorageVersion, StorageVersion},
};
use frame_try_runtime::UpgradeCheckSelect;
use grid_primitives::{deployment_hash, ContractId, Resources, GIB};
use gridchain_runtime::{
	AccountId, Balances, Executive, Runtime, RuntimeOrigin, SmartContractModule, TfgridModule, TFT,
};
use pallet_smart_contract::{ConsumptionReport, ContractState, Contracts};
use pallet_tfgrid::{FarmIpCounts, IpCounts};
use sp_keyring::Sr25519Keyring::{Bob, Dave, Ferdie};

mod common;
use common::DEMO_NODE;
/// The clock at block 1, in Unix seconds.
const START: u64 = 1_700_000_000;

/// The development chain at block 1, its clock at [`START`].
fn development_chain() -> sp_io::TestExternalities {
	let mut ext = common::development();
	ext.execute_with(|| set_clock(START));
	ext
}

/// Sets the chain's clock to `seconds` (directly: a block's timestamp inherent also checks
/// Aura's slot, which these tests have no use for).
fn set_clock(seconds: u64) {
	pallet_timestamp::Now::<Runtime>::put(seconds * 1000);
}

/// What each contract reserves: 4 cores and 4 GiB of memory (two compute units).
const RESERVATION: Resources = Resources { cru: 4, sru: 0, hru: 0, mru: 4 * GIB };

fn create_contract(owner: &AccountId, name: &[u8]) -> ContractId {
	assert_ok!(SmartContractModule::create_node_contract(
		RuntimeOrigin::signed(owner.clone()),
		DEMO_NODE,
		deployment_hash(name),
		Default::default(),
		RESERVATION,
		1
	));
	pallet_smart_contract::LastContractId::<Runtime>::get()
}

fn confirm(contract_id: ContractId, name: &[u8]) {
	assert_ok!(SmartContractModule::confirm_deployment(
		RuntimeOrigin::signed(Dave.to_account_id()),
		contract_id,
		deployment_hash(name)
	));
}

/// The node reports an hour of each contract's whole reservation.
fn report_an_hour(contracts: &[ContractId]) {
	let reports = contracts
		.iter()
		.map(|&contract_id| ConsumptionReport {
			contract_id,
			timestamp: START + 3_600,
			cru: RESERVATION.cru,
			sru: RESERVATION.sru,
			hru: RESERVATION.hru,
			mru: RESERVATION.mru,
			nru: 0,
		})
		.collect::<Vec<_>>();
	assert_ok!(SmartContractModule::add_consumption_reports(
		RuntimeOrigin::signed(Dave.to_account_id()),
		reports.try_into().expect("within the batch limit")
	));
}

/// The development chain with four contracts, each holding a public IP: one waiting for its
/// node, one deployed and billed, one updated and waiting for its node again, one whose owner
/// could not pay its bill (in grace). Returns their ids in that order.
fn contracts_in_every_state() -> (sp_io::TestExternalities, [ContractId; 4]) {
	let mut ext = development_chain();
	let ids = ext.execute_with(|| {
		let bob = Bob.to_account_id();
		let poor = AccountId::from([7; 32]);
		assert_ok!(Balances::transfer_keep_alive(
			RuntimeOrigin::signed(Ferdie.to_account_id()),
			poor.clone().into(),
			2 * TFT
		));
		for owner in [&bob, &poor] {
			assert_ok!(TfgridModule::create_twin(RuntimeOrigin::signed(owner.clone()), None, None));
		}
		let waiting = create_contract(&bob, b"waiting");
		let billed = create_contract(&bob, b"billed");
		let updated = create_contract(&bob, b"updated");
		let unpaid = create_contract(&poor, b"unpaid");
		confirm(billed, b"billed");
		confirm(updated, b"updated");
		confirm(unpaid, b"unpaid");
		assert_ok!(SmartContractModule::update_node_contract(
			RuntimeOrigin::signed(bob.clone()),
			updated,
			deployment_hash(b"updated again"),
			Default::default(),
			RESERVATION
		));
		set_clock(START + 3_600);
		report_an_hour(&[billed, updated, unpaid]);

		let state = |id| Contracts::<Runtime>::get(id).expect("live").state;
		assert!(matches!(state(waiting), ContractState::Created { .. }), "{:?}", state(waiting));
		assert_eq!(state(billed), ContractState::Deployed);
		assert_eq!(state(updated), ContractState::Updated);
		assert!(matches!(state(unpaid), ContractState::GracePeriod { .. }), "{:?}", state(unpaid));
		assert_eq!(FarmIpCounts::<Runtime>::get(1), IpCounts { total: 4, free: 0 });
		[waiting, billed, updated, unpaid]
	});
	(ext, ids)
}

#[test]
fn upgrade_checks_pass_with_contracts_in_every_state() {
	let (mut ext, _) = contracts_in_every_state();
	ext.execute_with(|| {
		assert_eq!(SmartContractModule::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(TfgridModule::on_chain_storage_version(), StorageVersion::new(1));
		assert_ok!(Executive::try_runtime_upgrade(UpgradeCheckSelect::All));
	});
}

#[test]
fn upgrade_checks_fail_on_a_storage_version_the_code_does_not_have() {
	let (mut ext, _) = contracts_in_every_state();
	ext.execute_with(|| {
		StorageVersion::new(0).put::<SmartContractModule>();
		assert_eq!(
			Executive::try_runtime_upgrade(UpgradeCheckSelect::PreAndPost),
			Err("On chain and in-code storage version do not match. Missing runtime upgrade?"
				.into())
		);
	});
}

#[test]
fn upgrade_checks_fail_on_a_record_that_does_not_decode() {
	let (mut ext, [_, billed, _, _]) = contracts_in_every_state();
	ext.execute_with(|| {
		unhashed::put_raw(&Contracts::<Runtime>::hashed_key_for(billed), &[0xff; 3]);
		assert_eq!(
			Executive::try_runtime_upgrade(UpgradeCheckSelect::PreAndPost),
			Err("`try_decode_entire_state` failed".into())
		);
	});
}

#[test]
fn upgrade_checks_fail_when_an_invariant_is_broken() {
	let (mut ext, _) = contracts_in_every_state();
	ext.execute_with(|| {
		// All four IPs are taken; say none is.
		FarmIpCounts::<Runtime>::insert(1, IpCounts { total: 4, free: 4 });
		assert_ok!(Executive::try_runtime_upgrade(UpgradeCheckSelect::PreAndPost));
		assert_eq!(
			Executive::try_runtime_upgrade(UpgradeCheckSelect::TryState),
			Err("Detected errors while executing `try_state` checks. See logs for more info."
				.into())
		);
		assert_eq!(
			TfgridModule::do_try_state(),
			Err("IP counters differ from the IP entries".into())
		);
	});
}
