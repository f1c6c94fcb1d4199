//! The synthetic grid: a chain's genesis state with deployed contracts added by the pallets'
//! own calls, run natively, and some of them in their grace periods, with one due to end in
//! the chain's first block ([`HOOK_BLOCK`]).

use codec::Encode;
use frame_support::{
	storage::StoragePrefixedMap,
	traits::{fungible::Mutate, Get},
};
use grid_primitives::{deployment_hash, ContractId, DeploymentHash, NodeId, Resources, GIB};
use gridchain_runtime::{
	AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeOrigin, SmartContractModule,
	TfgridModule, TFT,
};
use pallet_smart_contract::{
	BenchmarkHelper, ContractState, Contracts, DeadlineCursor, Deadlines, Deployments, NodeBilling,
	NodeContracts, TwinsInGrace,
};
use sp_core::storage::{well_known_keys::CODE, Storage};
use sp_runtime::StateVersion;
use std::collections::BTreeMap;

/// The block in which one contract's grace period ends, its owner unable to pay: the first
/// block a node built on the state, and the block whose hook `hook` times.
pub const HOOK_BLOCK: BlockNumber = 1;

/// The grace periods of the contracts put in grace end evenly over this many blocks after
/// [`HOOK_BLOCK`]: with one contract in a hundred in grace, no block has more of them due than
/// the hook handles (`MaxDeadlinesPerBlock`, 32) in a grid of up to 3,200,000 contracts.
const GRACE_SPREAD: u64 = 1_000;

/// How many contracts the grid has, and how they are spread.
pub struct Shape {
	contracts: u64,
	contracts_per_node: u64,
	contracts_per_owner: u64,
	deployment_data: u32,
	in_grace_every: u64,
}

impl Shape {
	pub fn new(
		contracts: u64,
		contracts_per_node: u64,
		contracts_per_owner: u64,
		deployment_data: u32,
		in_grace_every: u64,
	) -> Result<Self, String> {
		if contracts_per_node == 0 || contracts_per_owner == 0 {
			return Err("a node and an owner each have at least one contract".into());
		}
		Ok(Self {
			contracts,
			contracts_per_node,
			contracts_per_owner,
			deployment_data,
			in_grace_every,
		})
	}
}

/// What the pallets see of the grid's contracts.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
	/// Every contract where the pallets keep it.
	Live,
	/// The control for `hook`: every contract but the due one with its record, deployment,
	/// node index entry, node's billing and deadline under keys that no pallet reads
	/// (`benchmark:unrelated:` followed by the key), the state's keys and bytes otherwise the
	/// same.
	Unrelated,
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
pub fn with_grid(base: Storage, shape: &Shape, layout: Layout) -> Result<Storage, String> {
	let code = base.top.get(CODE).cloned().ok_or("the chain specification has no runtime code")?;
	// Which sets the runtime's code to the one given, here the chain's own.
	let mut ext = sp_io::TestExternalities::new_with_code_and_state(&code, base, StateVersion::V1);
	ext.execute_with(|| add_grid(shape))?;
	let due = ext.execute_with(add_due_contract)?;
	let mut storage = ext.execute_with(all_storage);
	if layout == Layout::Unrelated {
		set_aside_all_but(&mut storage, &due);
	}
	Ok(storage)
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
		let contract_id = deployed(owner, operator, node_id, hash, &data, reservation, 0)
			.map_err(|e| format!("contract {i}: {e}"))?;
		if shape.in_grace_every > 0 && i % shape.in_grace_every == 0 {
			let later = (i / shape.in_grace_every) % GRACE_SPREAD;
			let ends = HOOK_BLOCK.saturating_add(1).saturating_add(later as BlockNumber);
			in_grace(contract_id, 1_000, ends)?;
		}
		if (i + 1) % 100_000 == 0 {
			eprintln!("{} contracts", i + 1);
		}
	}
	Ok(())
}

/// Adds the contract whose grace period ends in [`HOOK_BLOCK`]: on a node of its own, holding
/// as many public IPs as a contract can, owed more than its owner has, so that the hook
/// cancels it and frees its IPs. Returns its keys in the pallets' storage.
fn add_due_contract() -> Result<Vec<Vec<u8>>, String> {
	let operator = account(b"due-operator", 0);
	let owner = account(b"due-owner", 0);
	let ips = <Runtime as pallet_smart_contract::Config>::MaxPublicIps::get();
	let node_id = TfgridModule::benchmark_node_with_ips(&operator, ips);
	Balances::set_balance(&owner, 1_000 * TFT);
	TfgridModule::benchmark_twin(&owner);
	let hash = deployment_hash(b"due");
	let contract_id = deployed(owner, operator, node_id, hash, &[], Resources::default(), ips)
		.map_err(|e| format!("the due contract: {e}"))?;
	in_grace(contract_id, Balance::MAX / 2, HOOK_BLOCK)?;
	DeadlineCursor::<Runtime>::put(HOOK_BLOCK);
	let twin_id = Contracts::<Runtime>::get(contract_id).map(|c| c.twin_id).unwrap_or_default();
	Ok(vec![
		Contracts::<Runtime>::hashed_key_for(contract_id),
		Deployments::<Runtime>::hashed_key_for(contract_id),
		NodeContracts::<Runtime>::hashed_key_for(node_id, hash),
		NodeBilling::<Runtime>::hashed_key_for(node_id),
		Deadlines::<Runtime>::hashed_key_for(HOOK_BLOCK, contract_id),
		TwinsInGrace::<Runtime>::hashed_key_for(twin_id),
	])
}

/// A contract created by `owner` on node `node_id` and confirmed by the node's `operator`, as
/// on a live chain: its id.
fn deployed(
	owner: AccountId,
	operator: AccountId,
	node_id: NodeId,
	hash: DeploymentHash,
	data: &[u8],
	reservation: Resources,
	public_ips: u32,
) -> Result<ContractId, String> {
	let data =
		data.to_vec().try_into().map_err(|_| "--deployment-data is above the chain's limit")?;
	SmartContractModule::create_node_contract(
		RuntimeOrigin::signed(owner),
		node_id,
		hash,
		data,
		reservation,
		public_ips,
	)
	.map_err(|e| format!("{e:?}"))?;
	let contract_id = pallet_smart_contract::LastContractId::<Runtime>::get();
	SmartContractModule::confirm_deployment(RuntimeOrigin::signed(operator), contract_id, hash)
		.map_err(|e| format!("confirming it: {e:?}"))?;
	Ok(contract_id)
}

/// Puts contract `contract_id` in its grace period until block `ends`, owing `debt`, as
/// billing does when its owner cannot pay: its state and debt, its deadline, and its twin's
/// count of contracts in grace.
fn in_grace(contract_id: ContractId, debt: Balance, ends: BlockNumber) -> Result<(), String> {
	let mut contract = Contracts::<Runtime>::get(contract_id)
		.ok_or_else(|| format!("contract {contract_id} is missing"))?;
	contract.state = ContractState::GracePeriod { since: 0, ends, confirmed: true };
	NodeBilling::<Runtime>::try_mutate(contract.node_id, |node_billing| {
		let billing = node_billing.as_mut().and_then(|entry| entry.get_mut(&contract_id));
		billing.map(|billing| billing.debt = debt).ok_or("no billing")
	})
	.map_err(|e| format!("contract {contract_id}: {e}"))?;
	Deadlines::<Runtime>::insert(ends, contract_id, ());
	TwinsInGrace::<Runtime>::mutate(contract.twin_id, |count| {
		*count = Some(count.unwrap_or_default().saturating_add(1));
	});
	Contracts::<Runtime>::insert(contract_id, contract);
	Ok(())
}

/// Moves the contracts' records, deployments, node index entries, nodes' billing and
/// deadlines, all but those under the keys `keep`, to keys no pallet reads: the same key
/// behind `benchmark:unrelated:`.
fn set_aside_all_but(storage: &mut Storage, keep: &[Vec<u8>]) {
	let prefixes = [
		Contracts::<Runtime>::final_prefix(),
		Deployments::<Runtime>::final_prefix(),
		NodeContracts::<Runtime>::final_prefix(),
		NodeBilling::<Runtime>::final_prefix(),
		Deadlines::<Runtime>::final_prefix(),
	];
	let aside: Vec<Vec<u8>> = storage
		.top
		.keys()
		.filter(|key| prefixes.iter().any(|prefix| key.starts_with(prefix)))
		.filter(|key| !keep.contains(key))
		.cloned()
		.collect();
	for key in aside {
		if let Some(value) = storage.top.remove(&key) {
			storage.top.insert([b"benchmark:unrelated:".as_slice(), &key].concat(), value);
		}
	}
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
