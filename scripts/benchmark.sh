#!/usr/bin/env bash
# Runs runtime benchmarks through the node's standard `benchmark pallet` subcommand.
#
#   scripts/benchmark.sh                    # every pallet of the runtime, results printed
#   scripts/benchmark.sh pallet_balances    # one pallet
#
# The node is built with `--features runtime-benchmarks` (the benchmark-enabled runtime is
# embedded in it). STEPS and REPEAT set the sampling (defaults 50 and 20).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/setup.sh"
cd "$GRIDCHAIN_ROOT"
cargo build --locked --release -p gridchain-node --features runtime-benchmarks

steps=${STEPS:-50}
repeat=${REPEAT:-20}
if [ "$#" -gt 0 ]; then
	pallets=("$@")
else
	mapfile -t pallets < <("$GRIDCHAIN_NODE" benchmark pallet --chain dev --list=pallets --no-csv-header |
		sort -u)
fi

for pallet in "${pallets[@]}"; do
	echo "== $pallet (steps $steps, repeat $repeat)"
	"$GRIDCHAIN_NODE" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled
done
