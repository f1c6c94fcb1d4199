#!/usr/bin/env bash
# Sets up the machine and builds the release node (with its wasm runtime).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/setup.sh"
cd "$GRIDCHAIN_ROOT"
cargo build --locked --release -p gridchain-node
