#!/usr/bin/env bash
# Sets up the machine and builds the release node (with its wasm runtime) and the client's
# `gridchain` command line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/setup.sh"
cd "$GRIDCHAIN_ROOT"
cargo build --locked --release -p gridchain-node
# On its own: built with the node, the client would change the features the node's
# dependencies are built with, and the node would be rebuilt whenever one is built alone.
cargo build --locked --release -p gridchain-client
