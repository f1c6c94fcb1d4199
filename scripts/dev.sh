#!/usr/bin/env bash
# Sets up the machine, builds the node and the gridchain command line, and starts a development chain:
# one validator (Alice), blocks every 6 seconds, finalized by GRANDPA, state thrown away on exit.
# polkadot.js apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A9944
# Extra arguments go to the node, e.g. `scripts/dev.sh --base-path /tmp/grid` to keep the state.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/build.sh"
exec "$GRIDCHAIN_NODE" --dev --rpc-port 9944 "$@"
