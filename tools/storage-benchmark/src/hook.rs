//! The smart-contract pallet's block hook, timed on the database's state as a block's import
//! runs it (natively here; the node runs the runtime compiled to WebAssembly).

use crate::{database, grid::HOOK_BLOCK};
use frame_support::traits::{Hooks, Time};
use gridchain_runtime::{AccountId, Runtime, SmartContractModule, System, Timestamp};
use pallet_smart_contract::{BenchmarkHelper, Contracts, LastContractId};
use sc_client_db::DbStateBuilder;
use sp_externalities::Externalities as _;
use sp_runtime::{traits::BlakeTwo256, StateVersion};
use sp_state_machine::{Ext, OverlayedChanges};
use std::{
	fmt,
	path::Path,
	time::{Duration, Instant},
};

/// The billing the hook settles: the due contract's public IPs were last billed this long ago.
const UNBILLED_SECONDS: u64 = 3_600;

/// Times of runs of the hook of block [`HOOK_BLOCK`], and of the state root of each run's
/// changes.
pub struct HookTimes {
	hook: Vec<Duration>,
	root: Vec<Duration>,
	keys_written: usize,
}

impl HookTimes {
	/// Runs the hook of block [`HOOK_BLOCK`] `repeat` times on the best block's state, written
	/// by `generate`, after one untimed run that brings the database's pages it reads into
	/// memory: each run on a fresh view of the database, without a trie cache, its changes
	/// dropped afterwards. Fails unless each run ends the contract due in that block.
	pub fn take(path: &Path, repeat: usize) -> Result<Self, String> {
		let backend = database::open(path, None)?;
		let root = database::best_state_root(&backend)?;
		let storage = backend.expose_storage();
		let mut times = Self { hook: Vec::new(), root: Vec::new(), keys_written: 0 };
		for run in 0..=repeat {
			let state = DbStateBuilder::<BlakeTwo256>::new(storage.clone(), root).build();
			let mut overlay = OverlayedChanges::default();
			let mut ext = Ext::new(&mut overlay, &state, None);
			let (hook, ended) = sp_externalities::set_and_run_with_externalities(&mut ext, || {
				System::set_block_number(HOOK_BLOCK);
				let now = <Timestamp as Time>::now() / 1_000;
				<<Runtime as pallet_smart_contract::Config>::BenchmarkHelper as BenchmarkHelper<
					AccountId,
				>>::set_time(now.saturating_add(UNBILLED_SECONDS));
				let due = LastContractId::<Runtime>::get();
				let start = Instant::now();
				SmartContractModule::on_initialize(HOOK_BLOCK);
				let hook = start.elapsed();
				(hook, !Contracts::<Runtime>::contains_key(due))
			});
			if !ended {
				return Err(format!(
					"the hook of block {HOOK_BLOCK} did not end the last contract: the state was \
					 not written by `generate`, or a node has built on it"
				));
			}
			let start = Instant::now();
			ext.storage_root(StateVersion::V1);
			let root = start.elapsed();
			if run > 0 {
				times.hook.push(hook);
				times.root.push(root);
			}
			times.keys_written = overlay.changes().count();
		}
		Ok(times)
	}
}

impl fmt::Display for HookTimes {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		writeln!(f, "the hook of block {HOOK_BLOCK}: {}", database::Summary::of(&self.hook))?;
		write!(
			f,
			"the state root of the run's changes ({} keys, the block number and time set before \
			 the hook among them): {}",
			self.keys_written,
			database::Summary::of(&self.root)
		)
	}
}
