#!/usr/bin/env bash
# Load generator (docs/performance.md): sets up grid nodes and live contracts and has the nodes
# send consumption reports as fast as the chain takes them; prints the reports billed per block
# and per second, how full the blocks are, each validator's CPU and resident memory, and how
# many blocks a user's createNodeContract (and on the dev chain a sudo call), sent every 20
# seconds meanwhile, wait to be included. Then a fresh node imports the run's blocks again alone
# (export-blocks, import-blocks; with LOAD_STATE onto a fresh copy of that state) and it prints
# each block's import time.
#
#   scripts/load.sh           # a --dev node: 100 grid nodes, 20,000 contracts, 5 minutes
#   scripts/load.sh testnet   # the four-validator local testnet on loopback, in sessions of an
#                             # hour (LOAD_SESSION_LENGTH=600 blocks): 100 grid nodes,
#                             # 20,000 contracts, 30 minutes; also each validator's time to
#                             # import a block and to build its own, and the finality lag
#   LOAD_NODES=10 LOAD_CONTRACTS_PER_NODE=50 LOAD_SECONDS=60 scripts/load.sh   # a quick one
#   LOAD_INTERVAL=6 scripts/load.sh testnet
#                             # each node reports every 6 s on a schedule: 20,000 a slot,
#                             # more than the 16,700 of 10 million contracts reported hourly
#   LOAD_OWNERS_PER_NODE=200 LOAD_SECONDS=180 scripts/load.sh
#                             # every contract with an owner of its own (20,000 owners):
#                             # the costliest reports to bill when they charge their owner,
#                             # which one in 24 does (the pricing policy's chargeInterval set
#                             # to 24 report intervals, as a grid reporting hourly and charging
#                             # daily; LOAD_CHARGE_INTERVAL=1 charges every report)
#   LOAD_STATE=$HOME/.cache/gridchain/bench-state/1000000 scripts/load.sh
#                             # the --dev node on a copy of the state of 1,000,000 contracts
#                             # that scripts/benchmark.sh storage (or hook) wrote
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
case "${1:-dev}" in
	dev | testnet) export LOAD_NETWORK="${1:-dev}" ;;
	*) echo "usage: $0 [dev|testnet]" >&2; exit 1 ;;
esac
"$here/build.sh"
cd "$GRIDCHAIN_ROOT/tests/e2e"
npm ci --no-audit --no-fund --loglevel=error
node load/generate.js
