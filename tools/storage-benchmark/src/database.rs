//! The node's database: writing a genesis into it, and timing reads and writes of its state.

use rand::{seq::SliceRandom, Rng, RngCore, SeedableRng};
use sc_client_api::backend::{Backend as _, BlockImportOperation as _, NewBlockState};
use sc_client_db::{
	Backend, BlocksPruning, DatabaseSettings, DatabaseSource, DbHash, DbStateBuilder, PruningMode,
};
use sp_blockchain::HeaderBackend as _;
use sp_database::{ColumnId, Database, Transaction};
use sp_runtime::traits::{BlakeTwo256, Hash as _, Header as _};
use sp_runtime::StateVersion;
use sp_state_machine::{Backend as _, IterArgs};
use sp_trie::cache::{CacheSize, SharedTrieCache};
use std::{
	fmt,
	path::Path,
	time::{Duration, Instant},
};

type Block = gridchain_runtime::opaque::Block;
type Header = gridchain_runtime::opaque::Header;

/// As the node keeps its database: the state of the last 256 blocks (its default), every
/// finalized block, and the same canonicalization delay as `sc-service`.
pub fn open(path: &Path, state_pruning: Option<PruningMode>) -> Result<Backend<Block>, String> {
	let settings = DatabaseSettings {
		trie_cache_maximum_size: None,
		state_pruning,
		source: DatabaseSource::ParityDb { path: path.to_path_buf() },
		blocks_pruning: BlocksPruning::KeepFinalized,
		pruning_filters: Vec::new(),
		metrics_registry: None,
	};
	Backend::new(settings, 4096).map_err(|e| format!("opening {}: {e}", path.display()))
}

/// Writes the genesis block with state `storage` into a new database at `path`, as a node
/// writes its chain's genesis; returns the block's hash.
pub fn write_genesis(path: &Path, storage: sp_core::storage::Storage) -> Result<DbHash, String> {
	let backend = open(path, Some(PruningMode::blocks_pruning(256)))?;
	let mut op = backend.begin_operation().map_err(|e| e.to_string())?;
	let state_root =
		op.set_genesis_state(storage, true, StateVersion::V1).map_err(|e| e.to_string())?;
	let extrinsics_root = BlakeTwo256::trie_root(Vec::new(), StateVersion::V1);
	let header =
		Header::new(0, extrinsics_root, state_root, Default::default(), Default::default());
	let hash = header.hash();
	op.set_block_data(header, Some(Vec::new()), None, None, NewBlockState::Final, true)
		.map_err(|e| e.to_string())?;
	backend.commit_operation(op).map_err(|e| e.to_string())?;
	Ok(hash)
}

/// Times of reads and writes of a sample of the best block's state.
pub struct Measurement {
	keys_in_state: usize,
	/// Each sampled key's read.
	reads: Vec<Duration>,
	/// Each batch's time per key written.
	writes: Vec<Duration>,
	write_batch: usize,
	trie_cache: usize,
	warm_up: usize,
}

impl Measurement {
	/// Samples `warm_up + keys` keys uniformly (the runtime's code and other `:` keys aside).
	/// With a trie cache of `trie_cache` bytes (none if 0) the first `warm_up` keys are read
	/// through it untimed, as a running node's cache holds the upper trie nodes that reads
	/// share. Then the other `keys` are read once each, and written in batches of
	/// `write_batch`, each batch on a fresh view of the state so that no batch gains from the
	/// last (but, with a cache, after their reads, as billing writes what it read).
	pub fn take(
		path: &Path,
		keys: usize,
		write_batch: usize,
		trie_cache: usize,
		warm_up: usize,
		seed: u64,
	) -> Result<Self, String> {
		if keys == 0 || write_batch == 0 || write_batch > keys {
			return Err(
				"--keys and --write-batch must be above 0, the batch at most the keys".into()
			);
		}
		let backend = open(path, None)?;
		let root = best_state_root(&backend)?;
		let storage = backend.expose_storage();
		let (db, column) = backend.expose_db();
		let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
		let cache = (trie_cache > 0)
			.then(|| SharedTrieCache::<BlakeTwo256>::new(CacheSize::new(trie_cache), None));
		// A view of the state, through the shared cache or with none.
		let view = |cached: bool| {
			DbStateBuilder::<BlakeTwo256>::new(storage.clone(), root)
				.with_optional_cache(
					cache.as_ref().filter(|_| cached).map(|cache| cache.local_cache_trusted()),
				)
				.build()
		};

		let (mut sample, keys_in_state) = sample_keys(&view(false), warm_up + keys, &mut rng)?;
		sample.shuffle(&mut rng);
		eprintln!("sampled {} of {keys_in_state} keys", sample.len());
		let (warm, sample) = sample.split_at(warm_up);
		if cache.is_some() {
			let state = view(true);
			for key in warm {
				state.storage(key).map_err(|e| e.to_string())?;
			}
		}

		let mut reads = Vec::with_capacity(sample.len());
		let mut lengths = Vec::with_capacity(sample.len());
		{
			let state = view(true);
			for key in sample {
				let start = Instant::now();
				let value = state.storage(key).map_err(|e| e.to_string())?;
				reads.push(start.elapsed());
				lengths.push(value.ok_or("a sampled key has no value")?.len());
			}
		}

		let mut writes = Vec::new();
		for (keys, lengths) in
			sample.chunks_exact(write_batch).zip(lengths.chunks_exact(write_batch))
		{
			let values = fresh_values(&view(false), db.as_ref(), column, keys, lengths, &mut rng);
			let state = view(true);
			let changes = keys.iter().zip(&values).map(|(k, v)| (k.as_slice(), Some(v.as_slice())));
			let start = Instant::now();
			let (_, trie_nodes) = state.storage_root(changes, StateVersion::V1);
			let inserted = new_nodes(db.as_ref(), trie_nodes);
			db.commit(write_transaction(column, &inserted, false))
				.map_err(|e| format!("writing to the database: {e}"))?;
			writes.push(start.elapsed() / write_batch as u32);
			// Leaves the state as it was: the nodes added are removed again.
			db.commit(write_transaction(column, &inserted, true))
				.map_err(|e| format!("writing to the database: {e}"))?;
		}
		Ok(Self { keys_in_state, reads, writes, write_batch, trie_cache, warm_up })
	}
}

/// The state root of the database's best block.
pub fn best_state_root(backend: &Backend<Block>) -> Result<DbHash, String> {
	let best = backend.blockchain().info().best_hash;
	let header = backend
		.blockchain()
		.header(best)
		.map_err(|e| e.to_string())?
		.ok_or("the best block's header is missing")?;
	Ok(*header.state_root())
}

/// A uniform sample of `wanted` keys (reservoir sampling), and how many keys the state has.
fn sample_keys(
	state: &sc_client_db::DbState<BlakeTwo256>,
	wanted: usize,
	rng: &mut impl Rng,
) -> Result<(Vec<Vec<u8>>, usize), String> {
	let mut sample = Vec::with_capacity(wanted);
	let mut seen = 0usize;
	for key in state.keys(IterArgs::default()).map_err(|e| e.to_string())? {
		let key = key.map_err(|e| e.to_string())?;
		if key.starts_with(b":") {
			continue;
		}
		seen += 1;
		if sample.len() < wanted {
			sample.push(key);
		} else {
			let slot = rng.gen_range(0..seen);
			if let Some(kept) = sample.get_mut(slot) {
				*kept = key;
			}
		}
	}
	if sample.len() < wanted {
		return Err(format!("the state has {seen} keys, fewer than --keys {wanted}"));
	}
	Ok((sample, seen))
}

/// Random values of the given lengths for `keys` whose trie nodes are all new to the database,
/// so that removing them afterwards removes nothing that was there.
fn fresh_values(
	state: &sc_client_db::DbState<BlakeTwo256>,
	db: &dyn Database<DbHash>,
	column: ColumnId,
	keys: &[Vec<u8>],
	lengths: &[usize],
	rng: &mut impl RngCore,
) -> Vec<Vec<u8>> {
	loop {
		let values: Vec<Vec<u8>> = lengths
			.iter()
			.map(|&length| {
				let mut value = vec![0; length];
				rng.fill_bytes(&mut value);
				value
			})
			.collect();
		let changes = keys.iter().zip(&values).map(|(k, v)| (k.as_slice(), Some(v.as_slice())));
		let (_, trie_nodes) = state.storage_root(changes, StateVersion::V1);
		if new_nodes(db, trie_nodes).iter().all(|(key, _)| db.get(column, key).is_none()) {
			return values;
		}
	}
}

/// The trie nodes a change adds, keyed as the database keys them. Removals are left out: the
/// node's pruning removes old nodes later, apart from the block's import.
fn new_nodes(
	db: &dyn Database<DbHash>,
	mut trie_nodes: sp_state_machine::BackendTransaction<BlakeTwo256>,
) -> Vec<(Vec<u8>, Vec<u8>)> {
	trie_nodes
		.drain()
		.into_iter()
		.filter(|(_, (_, references))| *references > 0)
		.map(|(mut key, (value, _))| {
			db.sanitize_key(&mut key);
			(key, value)
		})
		.collect()
}

fn write_transaction(
	column: ColumnId,
	nodes: &[(Vec<u8>, Vec<u8>)],
	remove: bool,
) -> Transaction<DbHash> {
	let mut transaction = Transaction::new();
	for (key, value) in nodes {
		if remove {
			transaction.remove(column, key);
		} else {
			transaction.set(column, key, value);
		}
	}
	transaction
}

/// Mean and percentiles of times, in microseconds.
pub struct Summary {
	count: usize,
	mean: f64,
	p50: f64,
	p95: f64,
	p99: f64,
	max: f64,
}

impl Summary {
	pub fn of(times: &[Duration]) -> Self {
		let mut micros: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1e6).collect();
		micros.sort_by(f64::total_cmp);
		let at = |q: f64| {
			let index = ((micros.len() as f64 - 1.0) * q).round() as usize;
			micros.get(index).copied().unwrap_or_default()
		};
		let mean = micros.iter().sum::<f64>() / micros.len().max(1) as f64;
		Self { count: micros.len(), mean, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1.0) }
	}
}

impl fmt::Display for Summary {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		write!(
			f,
			"mean {:.2} µs, p50 {:.2}, p95 {:.2}, p99 {:.2}, max {:.2} ({} samples)",
			self.mean, self.p50, self.p95, self.p99, self.max, self.count
		)
	}
}

impl fmt::Display for Measurement {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		writeln!(f, "keys in the state: {}", self.keys_in_state)?;
		if self.trie_cache == 0 {
			writeln!(f, "no trie cache")?;
		} else {
			writeln!(
				f,
				"trie cache of {} MiB, warmed by reading {} other keys",
				self.trie_cache >> 20,
				self.warm_up
			)?;
		}
		writeln!(f, "read, per key: {}", Summary::of(&self.reads))?;
		write!(
			f,
			"write, per key in commits of {}: {}",
			self.write_batch,
			Summary::of(&self.writes)
		)
	}
}
