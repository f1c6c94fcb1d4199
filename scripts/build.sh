#!/usr/bin/env bash
# Sets up the machine and builds the release node (with its wasm runtime) and the client's
# `gridchain` command line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/setup.sh"
cd "$GRIDCHAIN_ROOT"
# Which work tree last built into this target directory: .ci/run reads it (cargo keys the
# workspace's crates by their path in the work tree, so two work trees share their builds).
mkdir -p "$CARGO_TARGET_DIR"
echo "$GRIDCHAIN_ROOT" > "$CARGO_TARGET_DIR/.gridchain-work-tree"
cargo build --locked --release -p gridchain-node
# On its own: built with the node, the client would change the features the node's
# dependencies are built with, and the node would be rebuilt whenever one is built alone.
# Without the runtime's wasm (SKIP_WASM_BUILD): the client's build script reads the runtime's
# metadata natively, and a wasm build for it would rewrite the one the node's runtime embeds
# (the two share `wbuild/gridchain-runtime`), so the next node build would build the runtime
# again.
SKIP_WASM_BUILD=1 cargo build --locked --release -p gridchain-client
