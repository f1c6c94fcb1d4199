//! Genesis presets: `development` (one validator, Alice) and `local_testnet` (four validators).
//!
//! The node builds its `--dev` and `--chain local` chain specs from these presets, and any tool
//! using `sp-genesis-builder` (e.g. `chain-spec-builder`) can list and use them.

use crate::{AccountId, BalancesConfig, RuntimeGenesisConfig, SudoConfig, TFT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What each well-known development account holds at genesis: one million TFT.
pub const ENDOWMENT: crate::Balance = 1_000_000 * TFT;

/// The well-known development validators, by name: the Aura key is the sr25519 key of that name,
/// the GRANDPA key the ed25519 key of the same name.
fn validator_keys(names: &[(Sr25519Keyring, Ed25519Keyring)]) -> Vec<(AuraId, GrandpaId)> {
	names.iter().map(|(aura, grandpa)| (aura.public().into(), grandpa.public().into())).collect()
}

fn genesis(keys: Vec<(AuraId, GrandpaId)>, endowed: Vec<AccountId>, root: AccountId) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|who| (who, ENDOWMENT)).collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: keys.iter().map(|(aura, _)| aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: keys.iter().map(|(_, grandpa)| (grandpa.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
	})
}

/// The well-known development accounts: Alice … Ferdie and their `//stash` accounts.
fn development_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| !matches!(k, Sr25519Keyring::One | Sr25519Keyring::Two))
		.map(|k| k.to_account_id())
		.collect()
}

/// A single-validator chain for development: Alice authors, finalizes and holds sudo.
pub fn development() -> Value {
	genesis(
		validator_keys(&[(Sr25519Keyring::Alice, Ed25519Keyring::Alice)]),
		development_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
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
		development_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
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
