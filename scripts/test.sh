#!/usr/bin/env bash
# Sets up the machine and runs every test: the pallets' and the runtime's Rust tests (with the
# runtime's try-runtime checks), then the end-to-end tests that drive real nodes with
# @polkadot/api (a --dev node, bad input, a runtime upgrade, a four-validator local testnet).
# CI runs exactly this.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/build.sh"
cd "$GRIDCHAIN_ROOT"

echo "== formatting (rustfmt.toml)"
cargo fmt --all -- --check

echo "== clippy on the pallets: no unchecked arithmetic, indexing, unwrap or panic"
cargo clippy --locked -p grid-primitives -p pallet-tfgrid -p pallet-smart-contract \
	--all-targets --features runtime-benchmarks,try-runtime -- -D warnings

echo "== Rust tests (pallets, runtime)"
cargo test --locked --release --workspace

echo "== the runtime's try-runtime checks: upgrade hooks, storage versions, decoding, invariants"
SKIP_WASM_BUILD=1 cargo test --locked --release -p gridchain-runtime --features try-runtime \
	--test try_runtime

echo "== end-to-end tests (@polkadot/api against $GRIDCHAIN_NODE)"
command -v node > /dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] ||
	{ echo "the end-to-end tests need Node.js 20 or newer" >&2; exit 1; }
cd tests/e2e
npm ci --no-audit --no-fund --loglevel=error
npm test
