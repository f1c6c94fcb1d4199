//! Each genesis preset builds the chain it promises, and the runtime's metadata lists the
//! pallets clients rely on.

use frame_support::traits::fungible::Inspect;
use gridchain_runtime::{
	configs::CouncilCollective,
	genesis_presets::{self, ENDOWMENT},
	Balances, Runtime, TfgridModule, EXISTENTIAL_DEPOSIT, MINUTES,
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

mod common;
use common::chain_of as genesis_of;

#[test]
fn runtime_lists_both_presets() {
	let names: Vec<String> = genesis_presets::preset_names()
		.into_iter()
		.map(|id| String::from_utf8_lossy(id.as_ref()).into_owned())
		.collect();
	assert_eq!(names, vec!["development".to_string(), "local_testnet".to_string()]);
}

#[test]
fn development_preset_has_one_validator_and_funded_accounts() {
	genesis_of("development").execute_with(|| {
		assert_validators(&[(Sr25519Keyring::Alice, Ed25519Keyring::Alice)]);
		assert_eq!(pallet_validator_set::SessionLength::<Runtime>::get(), 10 * MINUTES);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		assert_council(&[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]);
		assert_oracle(&[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]);
		for who in [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Ferdie] {
			assert_eq!(Balances::balance(&who.to_account_id()), ENDOWMENT);
		}
		// Alice … Ferdie and their six stash accounts, and the foundation's account, which
		// exists from genesis with the existential deposit.
		let foundation = gridchain_runtime::configs::FoundationAccount::get();
		assert_eq!(Balances::balance(&foundation), gridchain_runtime::EXISTENTIAL_DEPOSIT);
		assert_eq!(
			Balances::total_issuance(),
			12 * ENDOWMENT + gridchain_runtime::EXISTENTIAL_DEPOSIT
		);
	});
}

#[test]
fn development_preset_has_a_demo_farm_with_public_ips_and_a_node() {
	use grid_primitives::GridProvider;
	use gridchain_runtime::genesis_presets::{DEMO_FARM_IPS, DEMO_FARM_NAME, DEMO_NODE_RESOURCES};
	use pallet_tfgrid::{FarmIpCounts, Farms, IpCounts};

	genesis_of("development").execute_with(|| {
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let dave = Sr25519Keyring::Dave.to_account_id();
		assert_eq!(TfgridModule::twin_of(&charlie), Some(1));
		assert_eq!(TfgridModule::twin_of(&dave), Some(2));
		let farm = Farms::<Runtime>::get(1).expect("the demo farm exists");
		assert_eq!(farm.name.as_slice(), DEMO_FARM_NAME.as_bytes());
		assert_eq!(farm.twin_id, 1);
		let ips = DEMO_FARM_IPS.len() as u32;
		assert_eq!(FarmIpCounts::<Runtime>::get(1), IpCounts { total: ips, free: ips });
		let node = TfgridModule::node(1).expect("the demo node exists");
		assert_eq!((node.farm_id, node.twin_id, node.resources), (1, 2, DEMO_NODE_RESOURCES));
		// Nobody else has a twin yet: a newcomer's first twin gets id 3.
		assert_eq!(TfgridModule::twin_of(&Sr25519Keyring::Alice.to_account_id()), None);
	});
}

#[test]
fn local_testnet_preset_has_four_validators_governed_by_their_council_without_sudo() {
	genesis_of("local_testnet").execute_with(|| {
		assert_eq!(pallet_tfgrid::Farms::<Runtime>::iter().count(), 0, "no demo grid");
		let foundation = gridchain_runtime::configs::FoundationAccount::get();
		assert_eq!(Balances::balance(&foundation), EXISTENTIAL_DEPOSIT, "the foundation exists");
		assert_validators(&[
			(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		]);
		assert_eq!(pallet_validator_set::SessionLength::<Runtime>::get(), MINUTES / 2);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "no sudo key");
		assert_council(&[
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		]);
		assert_oracle(&[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]);
	});
}

/// The validator set, the session keys, and the Aura and GRANDPA authorities are those of
/// `names` (the sr25519 key of a name is its account and its Aura key, the ed25519 key its
/// GRANDPA key), in the set's order.
fn assert_validators(names: &[(Sr25519Keyring, Ed25519Keyring)]) {
	let mut validators: Vec<_> =
		names.iter().map(|(sr, ed)| (sr.to_account_id(), sr.public(), ed.public())).collect();
	validators.sort_by(|a, b| a.0.cmp(&b.0));
	let accounts: Vec<_> = validators.iter().map(|(account, _, _)| account.clone()).collect();
	assert_eq!(pallet_validator_set::Validators::<Runtime>::get().into_inner(), accounts);
	assert_eq!(pallet_session::Validators::<Runtime>::get(), accounts);
	for (account, aura, grandpa) in &validators {
		let keys = pallet_session::NextKeys::<Runtime>::get(account).expect("keys at genesis");
		assert_eq!((keys.aura, keys.grandpa), ((*aura).into(), (*grandpa).into()));
	}
	let aura: Vec<AuraId> = pallet_aura::Authorities::<Runtime>::get().into_inner();
	assert_eq!(aura, validators.iter().map(|(_, aura, _)| (*aura).into()).collect::<Vec<_>>());
	let grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
	assert_eq!(
		grandpa,
		validators.iter().map(|(_, _, grandpa)| ((*grandpa).into(), 1)).collect::<Vec<_>>()
	);
}

/// The oracle's members are `names`.
fn assert_oracle(names: &[Sr25519Keyring]) {
	let mut members: Vec<_> = names.iter().map(|name| name.to_account_id()).collect();
	members.sort();
	assert_eq!(
		pallet_membership::Members::<Runtime, pallet_membership::Instance2>::get().into_inner(),
		members
	);
}

/// The council's members, in the collective and its membership pallet, are `names`.
fn assert_council(names: &[Sr25519Keyring]) {
	let mut members: Vec<_> = names.iter().map(|name| name.to_account_id()).collect();
	members.sort();
	assert_eq!(pallet_collective::Members::<Runtime, CouncilCollective>::get(), members);
	assert_eq!(
		pallet_membership::Members::<Runtime, pallet_membership::Instance1>::get().into_inner(),
		members
	);
}

#[test]
fn unknown_preset_is_refused() {
	assert!(genesis_presets::get_preset(&"mainnet".into()).is_none());
}

#[test]
fn existential_deposit_is_a_hundredth_of_a_tft() {
	assert_eq!(EXISTENTIAL_DEPOSIT, 100_000);
	assert_eq!(gridchain_runtime::TFT, 10u128.pow(gridchain_runtime::TOKEN_DECIMALS as u32));
}

#[test]
fn metadata_lists_the_runtime_pallets() {
	use frame_support::__private::metadata::RuntimeMetadata;
	let metadata = Runtime::metadata();
	let RuntimeMetadata::V14(metadata) = metadata.1 else {
		panic!("the default metadata is V14");
	};
	let pallets: Vec<&str> = metadata.pallets.iter().map(|p| p.name.as_str()).collect();
	assert_eq!(
		pallets,
		vec![
			"System",
			"Timestamp",
			"Aura",
			"Grandpa",
			"Balances",
			"TransactionPayment",
			"Sudo",
			"Utility",
			"Multisig",
			"TfgridModule",
			"SmartContractModule",
			"ValidatorSet",
			"Session",
			"Council",
			"CouncilMembership",
			"Whitelist",
			"Oracle",
			"OracleMembership"
		]
	);
	let system = &metadata.pallets[0];
	let ss58 = system
		.constants
		.iter()
		.find(|c| c.name == "SS58Prefix")
		.expect("System exposes its SS58 prefix");
	assert_eq!(ss58.value, gridchain_runtime::SS58_PREFIX.to_le_bytes().to_vec());
}
