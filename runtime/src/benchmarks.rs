//! The pallets whose benchmarks this runtime carries in its `runtime-benchmarks` build, which
//! `frame-omni-bencher` runs (`scripts/benchmark.sh`, docs/benchmarking.md).

use alloc::{string::String, vec::Vec};
use frame_benchmarking::{BenchmarkBatch, BenchmarkConfig, BenchmarkList};
use frame_support::traits::{StorageInfo, StorageInfoTrait, WhitelistedStorageKeys};
use frame_system_benchmarking::Pallet as SystemBench;
use sp_storage::TrackedStorageKey;

use crate::{
	AllPalletsWithSystem, Balances, Multisig, Runtime, SmartContractModule, Sudo, TfgridModule,
	Timestamp, Utility, ValidatorSet,
};

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_multisig, Multisig]
	[pallet_tfgrid, TfgridModule]
	[pallet_smart_contract, SmartContractModule]
	[pallet_validator_set, ValidatorSet]
);

impl frame_system_benchmarking::Config for Runtime {}

/// The benchmarks available, and the storage items they touch.
pub fn metadata(extra: bool) -> (Vec<BenchmarkList>, Vec<StorageInfo>) {
	let mut list = Vec::<BenchmarkList>::new();
	list_benchmarks!(list, extra);
	(list, AllPalletsWithSystem::storage_info())
}

/// Runs the benchmarks `config` selects.
pub fn dispatch(config: BenchmarkConfig) -> Result<Vec<BenchmarkBatch>, String> {
	let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();
	let mut batches = Vec::<BenchmarkBatch>::new();
	let params = (&config, &whitelist);
	add_benchmarks!(params, batches);
	Ok(batches)
}
