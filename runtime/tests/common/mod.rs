//! What the runtime's test files share: a chain built from a genesis preset, natively (the
//! nodes of the end-to-end tests build the same presets from the wasm runtime), and the demo
//! grid's node.

// Each test file uses what it needs of this module.
#![allow(dead_code)]

use gridchain_runtime::{genesis_presets, RuntimeGenesisConfig, System};
use serde_json::Value;
use sp_runtime::BuildStorage;

/// The demo node of the development preset, run by Dave, on farm 1 with four public IPs.
pub const DEMO_NODE: u32 = 1;

/// The genesis config of preset `name`: its patch over the default config, as the node applies
/// it when it builds a chain spec.
pub fn preset_config(name: &str) -> RuntimeGenesisConfig {
	let patch = genesis_presets::get_preset(&name.into())
		.unwrap_or_else(|| panic!("the runtime has no preset {name}"));
	let patch: Value = serde_json::from_slice(&patch).expect("a preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serialises");
	merge(&mut config, patch);
	serde_json::from_value(config)
		.unwrap_or_else(|e| panic!("preset {name} is not a genesis config: {e}"))
}

/// A chain at block 1 built from preset `name`.
pub fn chain_of(name: &str) -> sp_io::TestExternalities {
	let storage = preset_config(name)
		.build_storage()
		.unwrap_or_else(|e| panic!("preset {name} does not build: {e}"));
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// The development chain at block 1, with its demo grid.
pub fn development() -> sp_io::TestExternalities {
	chain_of("development")
}

/// Puts `patch` over `base`: objects key by key, anything else replaced.
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}
