#!/usr/bin/env bash
# Sets up the machine and runs every test: formatting, clippy and the docs' links; the pallets'
# and the runtime's Rust tests (with the runtime's try-runtime checks); then the end-to-end tests
# that drive real nodes with @polkadot/api, side by side (README.md lists them). CI runs exactly
# this.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/build.sh"
cd "$GRIDCHAIN_ROOT"

echo "== formatting (rustfmt.toml)"
cargo fmt --all -- --check

echo "== clippy on the pallets: no unchecked arithmetic, indexing, unwrap or panic"
cargo clippy --locked -p grid-primitives -p pallet-tfgrid -p pallet-smart-contract -p pallet-validator-set \
	--all-targets --features runtime-benchmarks,try-runtime -- -D warnings

# The client without the runtime's wasm, as scripts/build.sh builds it.
echo "== clippy on the client (client/)"
SKIP_WASM_BUILD=1 cargo clippy --locked --release -p gridchain-client --all-targets -- -D warnings

# Without the runtime's wasm, which the tool does not embed (the runtime is built with
# `runtime-benchmarks` for it only by scripts/benchmark.sh).
echo "== clippy on the storage benchmark (tools/storage-benchmark)"
SKIP_WASM_BUILD=1 cargo clippy --locked --release -p gridchain-storage-benchmark -- -D warnings

echo "== the pallets' docs, without a warning: every intra-doc link (the calls' error lists) resolves"
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps \
	-p grid-primitives -p pallet-tfgrid -p pallet-smart-contract -p pallet-validator-set \
	--features runtime-benchmarks,try-runtime

# One build of the tests, with try-runtime, for the runtime's try-runtime checks (upgrade
# hooks, storage versions, decoding, invariants) too. The runtime's tests build their genesis
# natively, so no wasm is needed; the node has no tests of its own (the end-to-end tests run it).
echo "== Rust tests (pallets, runtime, the runtime's try-runtime checks)"
SKIP_WASM_BUILD=1 cargo test --locked --release --workspace --exclude gridchain-node \
	--exclude gridchain-client --exclude gridchain-storage-benchmark \
	--features gridchain-runtime/try-runtime

echo "== the client's tests (hash, encryption, signed requests, the agent's ledger and provisioner)"
SKIP_WASM_BUILD=1 cargo test --locked --release -p gridchain-client

echo "== the runtime one spec_version later, which the runtime-upgrade test sets on a live chain"
cargo build --locked --release -p gridchain-runtime --features next-spec-version

echo "== end-to-end tests (@polkadot/api against $GRIDCHAIN_NODE), the files side by side"
command -v node > /dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] ||
	{ echo "the end-to-end tests need Node.js 20 or newer" >&2; exit 1; }
# polkadot.js apps in Chromium (apps.test.js) when an apps build is at hand.
if [ -z "${APPS_DIR:-}" ] && [ -d "$GRIDCHAIN_ROOT/../shared/polkadot-js-apps" ]; then
	APPS_DIR=$(cd "$GRIDCHAIN_ROOT/../shared/polkadot-js-apps" && pwd)
fi
if [ -n "${APPS_DIR:-}" ]; then
	export APPS_DIR
else
	echo "no polkadot.js apps build (APPS_DIR, or ../shared/polkadot-js-apps): the browser test is skipped"
fi
cd tests/e2e
npm ci --no-audit --no-fund --loglevel=error
npm test
