#!/usr/bin/env bash
# Load generator (docs/performance.md): starts a --dev node, sets up 100 grid nodes and 10,000
# live contracts, and has the nodes send consumption reports as fast as the chain takes them for
# 5 minutes; prints the reports billed per block and per second, how full the blocks are, the
# node's CPU and resident memory, and how many blocks a user's createNodeContract and a sudo call,
# sent every 20 seconds meanwhile, wait to be included.
#
#   scripts/load.sh
#   LOAD_NODES=10 LOAD_CONTRACTS_PER_NODE=50 LOAD_SECONDS=60 scripts/load.sh   # a quick one
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/build.sh"
cd "$GRIDCHAIN_ROOT/tests/e2e"
npm ci --no-audit --no-fund --loglevel=error
node load/generate.js
