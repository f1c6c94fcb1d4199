#!/usr/bin/env bash
# Runs the runtime's benchmarks with frame-omni-bencher, and the storage benchmark that gives
# the runtime its database weights (see docs/benchmarking.md).
#
#   scripts/benchmark.sh                    # this project's pallets: regenerates their weights.rs
#   scripts/benchmark.sh pallet_balances    # the named pallets only
#   scripts/benchmark.sh storage            # a storage read's and write's cost in ParityDB
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
# `storage` builds tools/storage-benchmark in that same directory. Once per size it writes a
# database holding the dev chain's genesis with CONTRACTS (default 1,000,000) deployed
# contracts, 100 per node, each with an owner of its own, under
# $BENCH_STATE_DIR/<CONTRACTS> (default $HOME/.cache/gridchain/bench-state), with the chain
# specification it started from (dev.json); a node started with `--chain` that file and
# `--base-path` that directory runs on it. Then it times reads and writes of KEYS
# (default 200,000) keys of that state, sampled uniformly.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/setup.sh"
cd "$GRIDCHAIN_ROOT"

bench_target="${BENCH_TARGET_DIR:-$HOME/.cache/gridchain/bench-target}"

if [ "${1:-}" = storage ]; then
	"$here/build.sh"
	echo "== building the storage benchmark"
	CARGO_TARGET_DIR="$bench_target" cargo build --locked --release -p gridchain-storage-benchmark
	tool="$bench_target/release/gridchain-storage-benchmark"
	contracts=${CONTRACTS:-1000000}
	state="${BENCH_STATE_DIR:-$HOME/.cache/gridchain/bench-state}/$contracts"
	if [ ! -d "$state/chains" ]; then
		echo "== writing the dev chain's genesis with $contracts contracts under $state"
		mkdir -p "$state"
		"$GRIDCHAIN_NODE" build-spec --chain dev --raw > "$state/dev.json" 2> /dev/null
		"$tool" generate --chain-spec "$state/dev.json" --base-path "$state" --contracts "$contracts"
	fi
	echo "== the database: $(du -sh "$state/chains" | cut -f1)"
	echo "== timing reads and writes of ${KEYS:-200000} keys"
	"$tool" measure --chain-spec "$state/dev.json" --base-path "$state" --keys "${KEYS:-200000}"
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
	"$omni" v1 benchmark pallet \
		--runtime "$runtime" \
		--genesis-builder-preset development \
		--pallet "$pallet" \
		--extrinsic "${EXTRINSIC:-*}" \
		--steps "$steps" \
		--repeat "$repeat" \
		"${flags[@]}"
done
