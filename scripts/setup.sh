#!/usr/bin/env bash
# Installs what building Grid chain needs on a Debian machine that has rustup: protoc, clang
# and libclang (Debian packages); the wasm32v1-none target, rust-src, rustfmt and clippy
# (rustup); and Chromium (Debian), which the polkadot.js apps test drives. The end-to-end
# tests also need Node.js 20 or newer, which scripts/test.sh checks.
#
# Safe to run again: it only installs what is missing. The build and test scripts run it.
set -euo pipefail

missing=()
command -v protoc > /dev/null || missing+=(protobuf-compiler)
command -v clang > /dev/null || missing+=(clang)
dpkg-query -W -f='${Status}' libclang-dev 2> /dev/null | grep -q "install ok installed" ||
	missing+=(libclang-dev)
# The browser the polkadot.js apps test drives (tests/e2e/apps.test.js).
command -v chromium > /dev/null || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" > /dev/null
fi

command -v rustup > /dev/null || { echo "setup: rustup is required (https://rustup.rs)" >&2; exit 1; }
rustup target list --installed | grep -qx wasm32v1-none || rustup target add wasm32v1-none
rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
