//! The synthetic grid: a chain's genesis state with deployed contracts added by the pallets'
//! own calls, run natively.

use codec::Encode;
use frame_support::traits::fungible::Mutate;
use grid_primitives::{deployment_hash, NodeId, Resources, GIB};
use gridchain_runtime::{
	AccountId, Balances, Runtime, RuntimeOrigin, SmartContractModule, TfgridModule, TFT,
};
use pallet_smart_contract::BenchmarkHelper;
use sp_core::storage::{well_known_keys::CODE, Storage};
use sp_runtime::StateVersion;
use std::collections::BTreeMap;

/// How many contracts the grid has, and how they are spread.
pub struct Shape {
	contracts: u64,
	contracts_per_node: u64,
	contracts_per_owner: u64,
	deployment_data: u32,
}

impl Shape {
	pub fn new(
		contracts: u64,
		contracts_per_node: u64,
		contracts_per_owner: u64,
		deployment_data: u32,
	) -> Result<Self, String> {
		if contracts_per_node == 0 || contracts_per_owner == 0 {
			return Err("a node and an owner each have at least one contract".into());
		}
		Ok(Self { contracts, contracts_per_node, contracts_per_owner, deployment_data })
	}
}

/// The genesis state of a raw chain specification (`genesis.raw`).
pub fn genesis_storage(spec: &serde_json::Value) -> Result<Storage, String> {
	let raw = &spec["genesis"]["raw"];
	let top = raw["top"]
		.as_object()
		.ok_or("the chain specification is not raw: no genesis.raw.top (build-spec --raw)")?;
	if raw["childrenDefault"].as_object().is_some_and(|children| !children.is_empty()) {
		return Err(
			"the chain specification has child tries, which the benchmark does not copy".into()
		);
	}
	Ok(Storage { top: hex_map(top)?, children_default: Default::default() })
}

fn hex_map(
	map: &serde_json::Map<String, serde_json::Value>,
) -> Result<BTreeMap<Vec<u8>, Vec<u8>>, String> {
	map.iter()
		.map(|(key, value)| {
			let value =
				value.as_str().ok_or_else(|| format!("the value of {key}: not a string"))?;
			Ok((hex(key)?, hex(value)?))
		})
		.collect()
}

fn hex(text: &str) -> Result<Vec<u8>, String> {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	sp_core::bytes::from_hex(digits).map_err(|e| format!("{text}: {e:?}"))
}

/// `base` with the grid of `shape`: each node on a farm of its own, each owner with a twin and
/// funds, each contract created by its owner and confirmed by its node, as on a live chain.
pub fn with_grid(base: Storage, shape: &Shape) -> Result<Storage, String> {
	let code = base.top.get(CODE).cloned().ok_or("the chain specification has no runtime code")?;
	// Which sets the runtime's code to the one given, here the chain's own.
	let mut ext = sp_io::TestExternalities::new_with_code_and_state(&code, base, StateVersion::V1);
	ext.execute_with(|| add_grid(shape))?;
	Ok(ext.execute_with(all_storage))
}

fn add_grid(shape: &Shape) -> Result<(), String> {
	let now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_err(|e| e.to_string())?
		.as_secs();
	<<Runtime as pallet_smart_contract::Config>::BenchmarkHelper as BenchmarkHelper<
		AccountId,
	>>::set_time(now);
	// What each contract reserves: a 2-core VM with 4 GiB of memory and a 100 GiB disk.
	let reservation = Resources { cru: 2, mru: 4 * GIB, sru: 100 * GIB, hru: 0 };
	let data = vec![0xab; shape.deployment_data as usize];
	let mut node: Option<(AccountId, NodeId)> = None;
	let mut owner: Option<AccountId> = None;
	for i in 0..shape.contracts {
		let (operator, node_id) = match &node {
			Some(node) if i % shape.contracts_per_node != 0 => node.clone(),
			_ => {
				let operator = account(b"operator", i / shape.contracts_per_node);
				let node_id = TfgridModule::benchmark_node_with_ips(&operator, 0);
				node.insert((operator, node_id)).clone()
			}
		};
		let owner = match &owner {
			Some(owner) if i % shape.contracts_per_owner != 0 => owner.clone(),
			_ => {
				let new = account(b"owner", i / shape.contracts_per_owner);
				Balances::set_balance(&new, 1_000 * TFT);
				TfgridModule::benchmark_twin(&new);
				owner.insert(new).clone()
			}
		};
		let hash = deployment_hash(&i.to_le_bytes());
		SmartContractModule::create_node_contract(
			RuntimeOrigin::signed(owner),
			node_id,
			hash,
			data.clone().try_into().map_err(|_| "--deployment-data is above the chain's limit")?,
			reservation,
			0,
		)
		.map_err(|e| format!("contract {i}: {e:?}"))?;
		let contract_id = pallet_smart_contract::LastContractId::<Runtime>::get();
		SmartContractModule::confirm_deployment(RuntimeOrigin::signed(operator), contract_id, hash)
			.map_err(|e| format!("confirming contract {i}: {e:?}"))?;
		if (i + 1) % 100_000 == 0 {
			eprintln!("{} contracts", i + 1);
		}
	}
	Ok(())
}

/// A grid member's account, from its role and number.
fn account(role: &[u8], index: u64) -> AccountId {
	sp_io::hashing::blake2_256(&(b"storage-benchmark", role, index).encode()).into()
}

/// Every key and value of the state (the grid has no child tries).
fn all_storage() -> Storage {
	let mut top = BTreeMap::new();
	let mut key = Vec::new();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if let Some(value) = sp_io::storage::get(&next) {
			top.insert(next.clone(), value.to_vec());
		}
		key = next;
	}
	Storage { top, children_default: Default::default() }
}
