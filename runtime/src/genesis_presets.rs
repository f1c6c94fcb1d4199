//! Genesis presets: `development` (one validator, Alice, and a demo grid) and `local_testnet`
//! (four validators).
//!
//! The node builds its `--dev` and `--chain local` chain specs from these presets, and any tool
//! using `sp-genesis-builder` (e.g. `chain-spec-builder`) can list and use them.

use crate::{
	configs::FoundationAccount, AccountId, BalancesConfig, BlockNumber, RuntimeGenesisConfig,
	SmartContractModuleConfig, SudoConfig, TfgridModuleConfig, DAYS, EXISTENTIAL_DEPOSIT, HOURS,
	TFT,
};
use alloc::string::ToString;
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use grid_primitives::{Resources, GIB, TIB};
use pallet_smart_contract::pricing::{MicroUsd, PricingPolicy};
use pallet_tfgrid::{GenesisFarm, GenesisNode};
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::Perbill;

/// What each well-known development account holds at genesis: one million TFT.
pub const ENDOWMENT: crate::Balance = 1_000_000 * TFT;

/// The well-known development validators, by name: the Aura key is the sr25519 key of that name,
/// the GRANDPA key the ed25519 key of the same name.
fn validator_keys(names: &[(Sr25519Keyring, Ed25519Keyring)]) -> Vec<(AuraId, GrandpaId)> {
	names.iter().map(|(aura, grandpa)| (aura.public().into(), grandpa.public().into())).collect()
}

/// The pricing policy both presets start with: per hour 0.025 USD a compute unit, 0.0125 USD a
/// storage unit and 0.005 USD a public IP, 0.015 USD per GiB of traffic; 60% of every payment to
/// the farmer, 20% to the foundation, 20% burned; 14 days of grace; an hour for a node to
/// confirm a new contract.
pub const PRICING_POLICY: PricingPolicy<BlockNumber> = PricingPolicy {
	cu: 25_000,
	su: 12_500,
	ipv4: 5_000,
	nu: 15_000,
	farmer_share: Perbill::from_percent(60),
	foundation_share: Perbill::from_percent(20),
	grace_period: 14 * DAYS,
	deployment_timeout: HOURS,
};
/// The TFT price both presets start with: 0.01 USD.
pub const TFT_PRICE: MicroUsd = 10_000;

/// The genesis of a chain validated by `keys`, with `root` as its sudo key and `grid` as its
/// registry. Every development account is endowed, and the foundation's account is created,
/// so that no share of a first small payment to it is lost.
fn genesis(keys: Vec<(AuraId, GrandpaId)>, root: AccountId, grid: TfgridModuleConfig) -> Value {
	let endowed = development_accounts()
		.into_iter()
		.map(|who| (who, ENDOWMENT))
		.chain([(FoundationAccount::get(), EXISTENTIAL_DEPOSIT)])
		.collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed },
		aura: pallet_aura::GenesisConfig {
			authorities: keys.iter().map(|(aura, _)| aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: keys.iter().map(|(_, grandpa)| (grandpa.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		tfgrid_module: grid,
		smart_contract_module: SmartContractModuleConfig {
			pricing_policy: Some(PRICING_POLICY),
			tft_price: TFT_PRICE,
		},
	})
}

/// The well-known development accounts: Alice … Ferdie and their `//stash` accounts.
fn development_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| !matches!(k, Sr25519Keyring::One | Sr25519Keyring::Two))
		.map(|k| k.to_account_id())
		.collect()
}

/// The name of the development chain's demo farm.
pub const DEMO_FARM_NAME: &str = "demo-farm";
/// The public IPs of the demo farm, with their gateway.
pub const DEMO_FARM_IPS: [(&str, &str); 4] = [
	("185.206.122.10/24", "185.206.122.1"),
	("185.206.122.11/24", "185.206.122.1"),
	("185.206.122.12/24", "185.206.122.1"),
	("185.206.122.13/24", "185.206.122.1"),
];
/// The capacity of the demo node: 16 cores, 64 GiB memory, 2 TiB SSD and 8 TiB HDD.
pub const DEMO_NODE_RESOURCES: Resources =
	Resources { cru: 16, sru: 2 * TIB, hru: 8 * TIB, mru: 64 * GIB };

/// A ready grid for the development chain: Charlie (twin 1) owns farm 1, `demo-farm`, with four
/// public IPs; Dave (twin 2) runs node 1 on it. A user creates a twin and can put a contract
/// on node 1 at once.
fn demo_grid() -> TfgridModuleConfig {
	TfgridModuleConfig {
		twins: vec![
			(Sr25519Keyring::Charlie.to_account_id(), None),
			(Sr25519Keyring::Dave.to_account_id(), None),
		],
		farms: vec![GenesisFarm {
			name: DEMO_FARM_NAME.to_string(),
			twin_id: 1,
			ips: DEMO_FARM_IPS
				.iter()
				.map(|(ip, gateway)| (ip.to_string(), gateway.to_string()))
				.collect(),
		}],
		nodes: vec![GenesisNode { farm_id: 1, twin_id: 2, resources: DEMO_NODE_RESOURCES }],
	}
}

/// A single-validator chain for development: Alice authors, finalizes and holds sudo; the
/// demo grid is ready for contracts.
pub fn development() -> Value {
	genesis(
		validator_keys(&[(Sr25519Keyring::Alice, Ed25519Keyring::Alice)]),
		Sr25519Keyring::Alice.to_account_id(),
		demo_grid(),
	)
}

/// A four-validator chain for a local testnet: Alice, Bob, Charlie and Dave; Alice holds sudo.
pub fn local_testnet() -> Value {
	genesis(
		validator_keys(&[
			(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		]),
		Sr25519Keyring::Alice.to_account_id(),
		TfgridModuleConfig::default(),
	)
}

/// The JSON genesis patch of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET => development(),
		LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
}
