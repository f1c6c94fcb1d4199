//! The chain specifications the node knows by name, built from the runtime's genesis presets.

use gridchain_runtime::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};
use sc_service::{ChainType, Properties};

/// The network protocol id: nodes of other chains are not asked to sync with ours.
const PROTOCOL_ID: &str = "gridchain";

/// A chain specification of the Grid chain.
pub type ChainSpec = sc_service::GenericChainSpec;

/// What wallets and polkadot.js apps read to show balances and addresses.
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime's wasm blob was not built into this node; rebuild without SKIP_WASM_BUILD"
			.to_string()
	})
}

fn chain_spec(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_protocol_id(PROTOCOL_ID)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// A single-validator development chain (`--dev`): Alice authors and finalizes.
pub fn development() -> Result<ChainSpec, String> {
	chain_spec(
		"Grid chain development",
		"gridchain_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// A four-validator local testnet (`--chain local`): Alice, Bob, Charlie and Dave.
pub fn local_testnet() -> Result<ChainSpec, String> {
	chain_spec(
		"Grid chain local testnet",
		"gridchain_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}
