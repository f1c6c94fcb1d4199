#!/usr/bin/env bash
# Runs the runtime's benchmarks with frame-omni-bencher, and the storage benchmark that gives
# the runtime its database weights (see docs/benchmarking.md).
#
#   scripts/benchmark.sh                    # this project's pallets: regenerates their weights.rs
#   scripts/benchmark.sh pallet_balances    # the named pallets only
#   scripts/benchmark.sh storage            # a storage read's and write's cost in ParityDB
#   scripts/benchmark.sh hook               # the grace-period hook among 100 to 1,000,000
#                                           # contracts in ParityDB, and its control
#
# For a pallet of this project the results are written to its `weights.rs` with the weight
# template `scripts/weight-template.hbs`; for any other pallet they are printed.
# STEPS and REPEAT set the sampling (defaults 50 and 20). EXTRINSIC=<name>[,<name>...] runs
# those benchmarks only and prints them, writing nothing; EXTRA=1 lets them be `extra`
# benchmarks, which are not part of the weights, e.g. the grace-period hook among 100 to
# 1,000,000 live contracts, and beside as much unrelated storage:
#
#   EXTRA=1 STEPS=2 REPEAT=10 \
#   EXTRINSIC=end_grace_periods_among_live_contracts,end_grace_periods_beside_unrelated_storage \
#       scripts/benchmark.sh pallet_smart_contract
#
# It installs frame-omni-bencher (the release matching the Polkadot SDK stable2609) into
# $HOME/.cache/gridchain/tools once, and builds the runtime with `runtime-benchmarks` in its
# own target directory ($BENCH_TARGET_DIR, default $HOME/.cache/gridchain/bench-target), so the
# node's build output is left alone.
#
# `storage` and `hook` build tools/storage-benchmark in that same directory. Once per size
# and layout it writes a database holding the dev chain's genesis with that many deployed
# contracts, 100 per node, each with an owner of its own, one in a hundred in its grace
# period and one more due to end in block 1, its owner unable to pay. The database is under
# $BENCH_STATE_DIR/<contracts>, or <contracts>-unrelated for the control (default
# $HOME/.cache/gridchain/bench-state), with the chain specification it started from
# (dev.json); a node started with `--chain` that file and `--base-path` a copy of that
# directory runs on it (a node on the directory itself ends the due contract, and the hook
# can no longer be timed there).
#
# `storage` times reads and writes of KEYS (default 200,000) keys of the state of CONTRACTS
# (default 1,000,000) contracts, sampled uniformly, as a validator makes them: through a trie
# cache of TRIE_CACHE bytes (default 1 GiB, the node's), first filled by reading as many other
# keys, and writing them in commits of WRITE_BATCH keys (default 23,000, the order of a full
# block's changes); SEED (default 0) picks the sample. TRIE_CACHE=0 WRITE_BATCH=100000 measure
# as the Polkadot SDK's `benchmark storage` does by default. `hook` times the smart-contract
# pallet's hook of block 1 (REPEAT times, default 50) on the states of each of SIZES contracts
# (default "100 1000000"), and on their controls: the same keys and bytes, with all contracts
# but the due one under keys no pallet reads.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/setup.sh"
cd "$GRIDCHAIN_ROOT"

bench_target="${BENCH_TARGET_DIR:-$HOME/.cache/gridchain/bench-target}"
tool="$bench_target/release/gridchain-storage-benchmark"

# The base path of the state of $1 contracts in layout $2 (live or unrelated), written first
# if it is not there yet.
state_of() {
	local contracts=$1 layout=$2
	local state="${BENCH_STATE_DIR:-$HOME/.cache/gridchain/bench-state}/$contracts"
	[ "$layout" = live ] || state+="-$layout"
	if [ ! -d "$state/chains" ]; then
		echo "== writing the dev chain's genesis with $contracts contracts ($layout) under $state" >&2
		mkdir -p "$state"
		"$GRIDCHAIN_NODE" build-spec --chain dev --raw > "$state/dev.json" 2> /dev/null
		"$tool" generate --chain-spec "$state/dev.json" --base-path "$state" \
			--contracts "$contracts" --layout "$layout" >&2
	fi
	echo "== the database of $contracts contracts ($layout): $(du -sh "$state/chains" | cut -f1)" >&2
	echo "$state"
}

case "${1:-}" in
storage | hook)
	"$here/build.sh"
	echo "== building the storage benchmark"
	# It runs the runtime natively, on the code of the chain specification: no WebAssembly.
	SKIP_WASM_BUILD=1 CARGO_TARGET_DIR="$bench_target" \
		cargo build --locked --release -p gridchain-storage-benchmark
	;;
esac

if [ "${1:-}" = storage ]; then
	state=$(state_of "${CONTRACTS:-1000000}" live)
	keys=${KEYS:-200000} trie_cache=${TRIE_CACHE:-1073741824}
	echo "== timing reads and writes of $keys keys"
	warm_up=$keys
	[ "$trie_cache" -gt 0 ] || warm_up=0
	"$tool" measure --chain-spec "$state/dev.json" --base-path "$state" --keys "$keys" \
		--trie-cache "$trie_cache" --warm-up "$warm_up" --write-batch "${WRITE_BATCH:-23000}" \
		--seed "${SEED:-0}"
	exit 0
fi

if [ "${1:-}" = hook ]; then
	for contracts in ${SIZES:-100 1000000}; do
		for layout in live unrelated; do
			state=$(state_of "$contracts" "$layout")
			echo "== the hook among $contracts contracts ($layout)"
			"$tool" hook --chain-spec "$state/dev.json" --base-path "$state" --repeat "${REPEAT:-50}"
		done
	done
	exit 0
fi

omni_version=0.28.0
tools="$HOME/.cache/gridchain/tools"
omni="$tools/bin/frame-omni-bencher"

if ! "$omni" --version 2> /dev/null | grep -q " $omni_version"; then
	echo "== installing frame-omni-bencher $omni_version"
	CARGO_TARGET_DIR="$bench_target/omni-bencher" \
		cargo install --locked --root "$tools" "frame-omni-bencher@$omni_version"
fi

echo "== building the runtime with runtime-benchmarks"
CARGO_TARGET_DIR="$bench_target" \
	cargo build --locked --release -p gridchain-runtime --features runtime-benchmarks
runtime="$bench_target/release/wbuild/gridchain-runtime/gridchain_runtime.compact.compressed.wasm"

# The weights file of each pallet this project writes.
declare -A weights_file=(
	[pallet_tfgrid]=pallets/tfgrid/src/weights.rs
	[pallet_smart_contract]=pallets/smart-contract/src/weights.rs
	[pallet_validator_set]=pallets/validator-set/src/weights.rs
)

# The analysis that gives each pallet's weights, where it is not min squares (the default).
# The report's benchmark has two components, each measured with the other at its largest, and
# a batch's time grows a little faster than its reports: min squares' intercept comes out
# negative, and its fallback would then charge every batch the smallest run measured (a batch
# of 128 reports). Median slopes fit the runs within 2%, and the pallet's other benchmarks
# within 3% of min squares.
declare -A analysis=(
	[pallet_smart_contract]=median-slopes
)

steps=${STEPS:-50}
repeat=${REPEAT:-20}
if [ "$#" -gt 0 ]; then
	pallets=("$@")
else
	pallets=("${!weights_file[@]}")
fi

for pallet in "${pallets[@]}"; do
	echo "== $pallet (steps $steps, repeat $repeat)"
	flags=()
	if [ -z "${EXTRINSIC:-}" ] && [ -n "${weights_file[$pallet]:-}" ]; then
		flags=(--output "${weights_file[$pallet]}" --template scripts/weight-template.hbs)
	fi
	[ -z "${EXTRA:-}" ] || flags+=(--extra)
	[ -z "${analysis[$pallet]:-}" ] || flags+=(--output-analysis "${analysis[$pallet]}")
	"$omni" v1 benchmark pallet \
		--runtime "$runtime" \
		--genesis-builder-preset development \
		--pallet "$pallet" \
		--extrinsic "${EXTRINSIC:-*}" \
		--steps "$steps" \
		--repeat "$repeat" \
		"${flags[@]}"
done
