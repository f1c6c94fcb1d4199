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
# Without the runtime's wasm (SKIP_WASM_BUILD): the client's build script reads the runtime's
# metadata natively, and a wasm build for it would rewrite the one the node's runtime embeds
# (the two share `wbuild/gridchain-runtime`), so the next node build would build the runtime
# again.
SKIP_WASM_BUILD=1 cargo build --locked --release -p gridchain-client
