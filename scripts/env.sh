# Shared settings of the scripts; sourced, not run.
# Build output lives outside the work tree so that it survives between checkouts and CI runs.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gridchain/target}"
GRIDCHAIN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export GRIDCHAIN_ROOT
export GRIDCHAIN_NODE="${GRIDCHAIN_NODE:-$CARGO_TARGET_DIR/release/gridchain-node}"
