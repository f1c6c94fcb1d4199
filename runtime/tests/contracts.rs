//! Contracts in the real runtime, on the development preset's demo grid: a twin owned by a
//! 2-of-3 pallet-multisig account creates and cancels a contract; one signer alone cannot.

use frame_support::{
	assert_ok,
	dispatch::GetDispatchInfo,
	traits::fungible::{Inspect, InspectHold},
};
use grid_primitives::{deployment_hash, GridProvider, Resources, GIB};
use gridchain_runtime::{
	AccountId, Balances, Runtime, RuntimeCall, RuntimeHoldReason, RuntimeOrigin, TfgridModule, TFT,
};
use pallet_smart_contract::{ContractState, Contracts, HoldReason};
use pallet_tfgrid::{FarmIpCounts, IpCounts};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Dave, Eve, Ferdie};
use sp_runtime::traits::Dispatchable;

mod common;
use common::{chain_of, development, DEMO_NODE};

/// A 2-of-3 multisig of Alice, Bob and Eve.
struct Multisig {
	account: AccountId,
	signatories: Vec<AccountId>,
}

impl Multisig {
	fn new() -> Self {
		let mut signatories: Vec<AccountId> =
			[Alice, Bob, Eve].iter().map(|k| k.to_account_id()).collect();
		signatories.sort();
		let account = pallet_multisig::Pallet::<Runtime>::multi_account_id(&signatories, 2);
		Self { account, signatories }
	}

	/// `signer` approves `call` for the multisig; the call runs with the second approval.
	fn approve(&self, signer: &AccountId, call: &RuntimeCall) {
		let others: Vec<AccountId> =
			self.signatories.iter().filter(|s| *s != signer).cloned().collect();
		let hash = sp_io::hashing::blake2_256(&codec::Encode::encode(call));
		let timepoint =
			pallet_multisig::Multisigs::<Runtime>::get(&self.account, hash).map(|m| m.when);
		let as_multi = RuntimeCall::Multisig(pallet_multisig::Call::as_multi {
			threshold: 2,
			other_signatories: others,
			maybe_timepoint: timepoint,
			call: Box::new(call.clone()),
			max_weight: call.get_dispatch_info().call_weight,
		});
		assert_ok!(as_multi.dispatch(RuntimeOrigin::signed(signer.clone())));
	}
}

fn create_contract_call() -> RuntimeCall {
	RuntimeCall::SmartContractModule(pallet_smart_contract::Call::create_node_contract {
		node_id: DEMO_NODE,
		deployment_hash: deployment_hash(b"multisig deployment"),
		deployment_data: Default::default(),
		resources: Resources { cru: 2, mru: 4 * GIB, sru: 100 * GIB, hru: 0 },
		public_ips: 1,
	})
}

#[test]
fn a_multisig_twin_creates_and_cancels_a_contract_with_two_of_three_signatures() {
	development().execute_with(|| {
		let multisig = Multisig::new();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		assert_ok!(Balances::transfer_keep_alive(
			RuntimeOrigin::signed(Ferdie.to_account_id()),
			multisig.account.clone().into(),
			100 * TFT
		));

		// The multisig account gets a twin: Alice proposes, Bob's approval executes it.
		let create_twin =
			RuntimeCall::TfgridModule(pallet_tfgrid::Call::create_twin { relay: None, pk: None });
		multisig.approve(&alice, &create_twin);
		assert_eq!(TfgridModule::twin_of(&multisig.account), None, "one signature is not enough");
		multisig.approve(&bob, &create_twin);
		let twin_id = TfgridModule::twin_of(&multisig.account).expect("the multisig has a twin");

		// The contract: one approval creates nothing, the second creates it.
		let create = create_contract_call();
		multisig.approve(&alice, &create);
		assert_eq!(Contracts::<Runtime>::iter().count(), 0);
		multisig.approve(&bob, &create);
		let (contract_id, contract) = Contracts::<Runtime>::iter().next().expect("one contract");
		assert_eq!(contract.twin_id, twin_id);
		assert!(matches!(contract.state, ContractState::Created { .. }), "{:?}", contract.state);
		assert_eq!(FarmIpCounts::<Runtime>::get(1), IpCounts { total: 4, free: 3 });
		let reason: RuntimeHoldReason = HoldReason::ContractDeposit.into();
		assert_eq!(Balances::balance_on_hold(&reason, &multisig.account), contract.deposit);

		// A signer acting alone acts for their own account, which has no twin.
		assert!(RuntimeCall::SmartContractModule(pallet_smart_contract::Call::cancel_contract {
			contract_id
		})
		.dispatch(RuntimeOrigin::signed(alice.clone()))
		.is_err());

		// The node confirms; then two signers cancel, and the IP and the deposit come back.
		assert_ok!(RuntimeCall::SmartContractModule(
			pallet_smart_contract::Call::confirm_deployment {
				contract_id,
				deployment_hash: deployment_hash(b"multisig deployment"),
			}
		)
		.dispatch(RuntimeOrigin::signed(Dave.to_account_id())));
		let cancel =
			RuntimeCall::SmartContractModule(pallet_smart_contract::Call::cancel_contract {
				contract_id,
			});
		let free_before = Balances::balance(&multisig.account);
		multisig.approve(&bob, &cancel);
		assert!(Contracts::<Runtime>::contains_key(contract_id), "one signature is not enough");
		multisig.approve(&Eve.to_account_id(), &cancel);
		assert!(!Contracts::<Runtime>::contains_key(contract_id));
		assert_eq!(FarmIpCounts::<Runtime>::get(1), IpCounts { total: 4, free: 4 });
		assert_eq!(Balances::balance_on_hold(&reason, &multisig.account), 0);
		assert_eq!(Balances::balance(&multisig.account), free_before + contract.deposit);

		pallet_tfgrid::Pallet::<Runtime>::do_try_state().expect("registry invariants hold");
		pallet_smart_contract::Pallet::<Runtime>::do_try_state().expect("contract invariants hold");
	});
}

#[test]
fn the_deposit_of_a_contract_is_what_the_docs_say() {
	development().execute_with(|| {
		let bob = Bob.to_account_id();
		assert_ok!(TfgridModule::create_twin(RuntimeOrigin::signed(bob.clone()), None, None));
		let create = |name: &[u8], ips| {
			assert_ok!(gridchain_runtime::SmartContractModule::create_node_contract(
				RuntimeOrigin::signed(bob.clone()),
				DEMO_NODE,
				deployment_hash(name),
				Default::default(),
				Resources::default(),
				ips
			));
			Contracts::<Runtime>::get(pallet_smart_contract::LastContractId::<Runtime>::get())
				.expect("created")
				.deposit
		};
		// docs/contracts.md: 3 entries, and 24 bytes of key and 146 of record, 24 of key and 2
		// of deployment, 76 of index entry, and 32 of billing in the node's entry; 11 more
		// bytes per IPv4 address.
		let empty = 24 + 146 + 24 + 2 + 76 + 32;
		assert_eq!(create(b"empty", 0), gridchain_runtime::deposit(3, empty));
		assert_eq!(create(b"one ip", 1), gridchain_runtime::deposit(3, empty + 11));
		assert_eq!(gridchain_runtime::deposit(3, empty), 6_040_000, "0.604 TFT");
	});
}

#[test]
fn registry_deposits_are_what_the_docs_say() {
	use gridchain_runtime::deposit;
	// docs/registry.md: entries and bytes of each record at its largest.
	assert_eq!(TfgridModule::twin_deposit(), deposit(2, 390));
	assert_eq!(TfgridModule::farm_deposit(), deposit(3, 260));
	assert_eq!(TfgridModule::ip_deposit(), deposit(2, 133));
	assert_eq!(TfgridModule::node_deposit(), deposit(2, 136));
	assert_eq!(TfgridModule::invite_deposit(), deposit(1, 40));
	assert_eq!(deposit(2, 390), 5_900_000, "0.59 TFT");
	assert_eq!(deposit(1, 40), 1_400_000, "0.14 TFT");
}

#[test]
fn both_presets_price_an_hour_of_a_small_vm_at_3_125_tft() {
	for preset in ["development", "local_testnet"] {
		chain_of(preset).execute_with(|| {
			// 1 CU at 0.025 USD and 0.5 SU at 0.0125 USD an hour, at 0.01 USD per TFT.
			let vm = Resources { cru: 2, mru: 4 * GIB, sru: 100 * GIB, hru: 0 };
			assert_eq!(
				gridchain_runtime::SmartContractModule::hourly_quote(vm, 0),
				Some(3 * TFT + TFT / 8)
			);
		});
	}
}
