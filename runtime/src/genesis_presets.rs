//! Genesis presets: `development` (one validator, Alice, with sudo and a demo grid) and
//! `local_testnet` (four validators and their operators' council, no sudo).
//!
//! The node builds its `--dev` and `--chain local` chain specs from these presets, and any tool
//! using `sp-genesis-builder` (e.g. `chain-spec-builder`) can list and use them.

use crate::{
	configs::FoundationAccount, AccountId, BalancesConfig, BlockNumber, CouncilMembershipConfig,
	OracleMembershipConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys,
	SmartContractModuleConfig, SudoConfig, TfgridModuleConfig, ValidatorSetConfig, DAYS,
	EXISTENTIAL_DEPOSIT, HOURS, MINUTES, TFT,
};
use alloc::string::ToString;
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use grid_primitives::{Resources, GIB, TIB};
use pallet_smart_contract::pricing::{MicroUsd, PricingPolicy};
use pallet_tfgrid::{GenesisFarm, GenesisNode};
use serde_json::Value;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::Perbill;

/// What each well-known development account holds at genesis: one million TFT.
pub const ENDOWMENT: crate::Balance = 1_000_000 * TFT;

/// A validator of a preset: its account and its session keys (Aura and GRANDPA).
struct Validator {
	account: AccountId,
	keys: SessionKeys,
}

/// The well-known development validators, by name: the account and the Aura key are the
/// sr25519 key of that name, the GRANDPA key the ed25519 key of the same name.
fn validators(names: &[(Sr25519Keyring, Ed25519Keyring)]) -> Vec<Validator> {
	names
		.iter()
		.map(|(sr25519, ed25519)| Validator {
			account: sr25519.to_account_id(),
			keys: SessionKeys { aura: sr25519.public().into(), grandpa: ed25519.public().into() },
		})
		.collect()
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
	charge_interval: 1,
};
/// The TFT price both presets start with: 0.01 USD.
pub const TFT_PRICE: MicroUsd = 10_000;

/// Who governs a preset's chain.
struct Governance {
	/// The sudo key, on a development chain only.
	sudo: Option<AccountId>,
	/// The council's members.
	council: Vec<AccountId>,
	/// The oracle's members, who submit the TFT price.
	oracle: Vec<AccountId>,
}

/// The genesis of a chain validated by `validators` in sessions of `session_length` blocks,
/// governed by `governance`, with `grid` as its registry. Every development account is
/// endowed, and the foundation's account is created, so that no share of a first small payment
/// to it is lost.
fn genesis(
	validators: Vec<Validator>,
	session_length: BlockNumber,
	governance: Governance,
	grid: TfgridModuleConfig,
) -> Value {
	let endowed = development_accounts()
		.into_iter()
		.map(|who| (who, ENDOWMENT))
		.chain([(FoundationAccount::get(), EXISTENTIAL_DEPOSIT)])
		.collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed },
		validator_set: ValidatorSetConfig {
			validators: validators.iter().map(|v| v.account.clone()).collect::<Vec<_>>(),
			session_length,
		},
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|v| (v.account.clone(), v.account, v.keys))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: governance.sudo },
		council_membership: CouncilMembershipConfig {
			members: governance.council.try_into().expect("a preset's council fits; qed"),
		},
		oracle_membership: OracleMembershipConfig {
			members: governance.oracle.try_into().expect("a preset's oracle fits; qed"),
		},
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

/// A single-validator chain for development: Alice authors, finalizes and holds sudo; Alice,
/// Bob and Charlie form the council and the oracle; the demo grid is ready for contracts.
/// Sessions last ten minutes.
pub fn development() -> Value {
	genesis(
		validators(&[(Sr25519Keyring::Alice, Ed25519Keyring::Alice)]),
		10 * MINUTES,
		Governance {
			sudo: Some(Sr25519Keyring::Alice.to_account_id()),
			council: accounts(&[
				Sr25519Keyring::Alice,
				Sr25519Keyring::Bob,
				Sr25519Keyring::Charlie,
			]),
			oracle: accounts(&[
				Sr25519Keyring::Alice,
				Sr25519Keyring::Bob,
				Sr25519Keyring::Charlie,
			]),
		},
		demo_grid(),
	)
}

/// A network of four validators, Alice, Bob, Charlie and Dave, governed without sudo: their
/// operators form the council, and Alice, Bob and Charlie the oracle. Sessions last half a
/// minute (five blocks), so that a change of validators shows within a minute; a long-lived
/// network would choose hours.
pub fn local_testnet() -> Value {
	let names = [
		(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
	];
	let council = names.iter().map(|(operator, _)| operator.to_account_id()).collect();
	let oracle = accounts(&[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]);
	genesis(
		validators(&names),
		MINUTES / 2,
		Governance { sudo: None, council, oracle },
		TfgridModuleConfig::default(),
	)
}

/// The accounts of the well-known keys `names`.
fn accounts(names: &[Sr25519Keyring]) -> Vec<AccountId> {
	names.iter().map(|name| name.to_account_id()).collect()
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
