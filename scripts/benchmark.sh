#!/usr/bin/env bash
# Runs the runtime's benchmarks with frame-omni-bencher (see docs/benchmarking.md).
#
#   scripts/benchmark.sh                    # this project's pallets: regenerates their weights.rs
#   scripts/benchmark.sh pallet_balances    # the named pallets only
#
# For a pallet of this project the results are written to its `weights.rs` with the weight
# template `scripts/weight-template.hbs`; for any other pallet they are printed.
# STEPS and REPEAT set the sampling (defaults 50 and 20). EXTRINSIC=<name>[,<name>...] runs
# those benchmarks only and prints them, writing nothing; EXTRA=1 lets them be `extra`
# benchmarks, which are not part of the weights, e.g. the grace-period hook among 100 to
# 100,000 live contracts, and beside as much unrelated storage:
#
#   EXTRA=1 STEPS=2 REPEAT=50 \
#   EXTRINSIC=end_grace_periods_among_live_contracts,end_grace_periods_beside_unrelated_storage \
#       scripts/benchmark.sh pallet_smart_contract
#
# It installs frame-omni-bencher (the release matching the Polkadot SDK stable2609) into
# $HOME/.cache/gridchain/tools once, and builds the runtime with `runtime-benchmarks` in its
# own target directory ($BENCH_TARGET_DIR, default $HOME/.cache/gridchain/bench-target), so the
# node's build output is left alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/setup.sh"
cd "$GRIDCHAIN_ROOT"

omni_version=0.28.0
tools="$HOME/.cache/gridchain/tools"
omni="$tools/bin/frame-omni-bencher"
bench_target="${BENCH_TARGET_DIR:-$HOME/.cache/gridchain/bench-target}"

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
