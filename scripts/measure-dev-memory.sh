#!/usr/bin/env bash
# Measures the resident memory of a --dev node once it has imported block 100 (about ten
# minutes at one block per 6 seconds). Prints the time taken, the finalized block, and the
# node's current (VmRSS) and peak (VmHWM) resident memory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
[ -x "$GRIDCHAIN_NODE" ] || { echo "no node binary at $GRIDCHAIN_NODE; run scripts/build.sh" >&2; exit 1; }

blocks=${BLOCKS:-100}
base=$(mktemp -d -t gridchain-memory-XXXXXX)
log="$base/node.log"
"$GRIDCHAIN_NODE" --dev --base-path "$base/db" --rpc-port "${RPC_PORT:-19955}" \
	--listen-addr "/ip4/127.0.0.1/tcp/${P2P_PORT:-39955}" --no-prometheus > "$log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2> /dev/null || true; wait $pid 2> /dev/null || true; rm -rf "$base"' EXIT

start=$(date +%s)
until grep -q "Imported #$blocks " "$log"; do
	kill -0 "$pid" 2> /dev/null || { echo "the node stopped; its log:" >&2; cat "$log" >&2; exit 1; }
	sleep 2
done
echo "block $blocks imported after $(($(date +%s) - start)) s; $(grep -o 'finalized #[0-9]*' "$log" | tail -1)"
grep -E "VmRSS|VmHWM" "/proc/$pid/status"
