//! What one storage read and one storage write cost the node's database (ParityDB) when the
//! state is the size of a big grid: the figures behind the runtime's database weights
//! (`docs/performance.md`, `scripts/benchmark.sh storage`).
//!
//! - `generate` writes a new database holding one block, the genesis of a chain (a raw chain
//!   specification, as `gridchain-node build-spec --raw` prints it) with a synthetic grid
//!   added: deployed contracts on nodes, with their owners' accounts and twins, all made by the
//!   pallets' own calls, one in a hundred in its grace period, and one more whose grace period
//!   ends in the chain's first block, its owner unable to pay. The node starts on that
//!   database like on any other.
//! - `measure` times reads and writes of a uniform sample of the state's keys, the way the
//!   Polkadot SDK's `benchmark storage` does for a block's import: each read walks the trie from
//!   the root in the database with no cache; each batch of writes computes the new state root
//!   and commits the new trie nodes, which are removed again afterwards.
//! - `hook` times the smart-contract pallet's block hook on that state, ending the due
//!   contract: the hook's cost among as many live contracts as the state has, or, on a state
//!   written with `--layout unrelated`, beside as much storage that the pallets never read.

mod database;
mod grid;
mod hook;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(about, version)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Writes the genesis of a chain, with a synthetic grid added, into a new ParityDB database.
	Generate {
		/// The raw chain specification whose genesis state the grid is added to.
		#[arg(long)]
		chain_spec: PathBuf,
		/// Where a node started with `--base-path` this directory and that chain finds the
		/// database: `chains/<chain id>/paritydb/full` in it, which must not exist yet.
		#[arg(long)]
		base_path: PathBuf,
		/// Deployed contracts to add.
		#[arg(long, default_value_t = 1_000_000)]
		contracts: u64,
		/// Contracts on each node: the grid has `contracts / contracts_per_node` nodes, each on a
		/// farm of its own.
		#[arg(long, default_value_t = 100)]
		contracts_per_node: u64,
		/// Contracts of each owner: the grid has `contracts / contracts_per_owner` owners, each
		/// with an account and a twin.
		#[arg(long, default_value_t = 1)]
		contracts_per_owner: u64,
		/// Bytes of deployment data in each contract.
		#[arg(long, default_value_t = 256)]
		deployment_data: u32,
		/// One contract in this many is in its grace period, owing what its owner can pay,
		/// the periods ending over the 1,000 blocks after the due contract's; 0 for none.
		#[arg(long, default_value_t = 100)]
		in_grace_every: u64,
		/// Where the contracts are: where the pallets keep them, or set aside for the control
		/// of `hook`.
		#[arg(long, value_enum, default_value_t = grid::Layout::Live)]
		layout: grid::Layout,
	},
	/// Times reads and writes of a uniform sample of the best block's state, and prints them.
	Measure {
		/// The chain specification of the database's chain (for its id).
		#[arg(long)]
		chain_spec: PathBuf,
		/// The node's base path (as for `generate`).
		#[arg(long)]
		base_path: PathBuf,
		/// How many keys to sample.
		#[arg(long, default_value_t = 200_000)]
		keys: usize,
		/// How many keys each timed commit writes (the SDK's `benchmark storage` default); a
		/// write's time is its batch's divided by this.
		#[arg(long, default_value_t = 100_000)]
		write_batch: usize,
		/// Bytes of trie cache to read and write through, as a running node does (its default
		/// is 1 GiB, `--trie-cache-size`); 0 for none, as the Polkadot SDK's `benchmark storage`
		/// measures by default.
		#[arg(long, default_value_t = 0)]
		trie_cache: usize,
		/// Keys read through the trie cache before the timed reads, untimed, to fill it with the
		/// upper trie nodes all reads share.
		#[arg(long, default_value_t = 0)]
		warm_up: usize,
		/// The seed of the sample and of the written values.
		#[arg(long, default_value_t = 0)]
		seed: u64,
	},
	/// Times the smart-contract pallet's hook of the chain's first block on the state that
	/// `generate` wrote, ending the contract due in it, and prints the times.
	Hook {
		/// The chain specification of the database's chain (for its id).
		#[arg(long)]
		chain_spec: PathBuf,
		/// The node's base path (as for `generate`).
		#[arg(long)]
		base_path: PathBuf,
		/// How many times to run the hook, each on a fresh view of the state.
		#[arg(long, default_value_t = 50)]
		repeat: usize,
	},
}

fn main() {
	let result = match Cli::parse().command {
		Command::Generate {
			chain_spec,
			base_path,
			contracts,
			contracts_per_node,
			contracts_per_owner,
			deployment_data,
			in_grace_every,
			layout,
		} => grid::Shape::new(
			contracts,
			contracts_per_node,
			contracts_per_owner,
			deployment_data,
			in_grace_every,
		)
		.and_then(|shape| generate(&chain_spec, &base_path, &shape, layout)),
		Command::Measure {
			chain_spec,
			base_path,
			keys,
			write_batch,
			trie_cache,
			warm_up,
			seed,
		} => read_spec(&chain_spec)
			.and_then(|spec| database_path(&spec, &base_path))
			.and_then(|database| {
				let (cache, warm) = (trie_cache, warm_up);
				database::Measurement::take(&database, keys, write_batch, cache, warm, seed)
			})
			.map(|measurement| println!("{measurement}")),
		Command::Hook { chain_spec, base_path, repeat } => read_spec(&chain_spec)
			.and_then(|spec| database_path(&spec, &base_path))
			.and_then(|database| hook::HookTimes::take(&database, repeat))
			.map(|times| println!("{times}")),
	};
	if let Err(e) = result {
		eprintln!("error: {e}");
		std::process::exit(1);
	}
}

fn generate(
	chain_spec: &Path,
	base_path: &Path,
	shape: &grid::Shape,
	layout: grid::Layout,
) -> Result<(), String> {
	let spec = read_spec(chain_spec)?;
	let database = database_path(&spec, base_path)?;
	if database.exists() {
		return Err(format!("{} exists: generate writes a new database", database.display()));
	}
	let base = grid::genesis_storage(&spec)?;
	let start = std::time::Instant::now();
	let storage = grid::with_grid(base, shape, layout)?;
	eprintln!("the grid's state: {} keys, built in {:.0?}", storage.top.len(), start.elapsed());
	let start = std::time::Instant::now();
	let genesis = database::write_genesis(&database, storage)?;
	eprintln!("written to {} in {:.0?}", database.display(), start.elapsed());
	println!("genesis block {genesis:?}");
	Ok(())
}

fn read_spec(path: &Path) -> Result<serde_json::Value, String> {
	let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
	serde_json::from_slice(&bytes).map_err(|e| format!("the chain specification: {e}"))
}

/// The directory of the ParityDB database of the chain `spec` under `base_path`, as the node
/// lays it out.
fn database_path(spec: &serde_json::Value, base_path: &Path) -> Result<PathBuf, String> {
	let id = spec["id"].as_str().ok_or("the chain specification has no id")?;
	Ok(base_path.join("chains").join(id).join("paritydb").join("full"))
}
