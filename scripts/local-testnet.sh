#!/usr/bin/env bash
# Starts a four-validator local testnet (Alice, Bob, Charlie, Dave) on loopback ports.
#
#   scripts/local-testnet.sh            # P2P ports 30333-30336, RPC ports 9944-9947
#
# Environment (all optional):
#   GRIDCHAIN_NODE        node binary (default: the release build in $CARGO_TARGET_DIR)
#   TESTNET_CHAIN         the chain (default: `local`, the runtime's preset, sessions of 5
#                         blocks), or a specification file from `build-spec --chain local`
#   TESTNET_DIR           base directory for the four nodes' databases, keys and logs
#                         (default: a fresh temporary directory, removed on exit)
#   TESTNET_P2P_PORTS     four P2P ports, space-separated
#   TESTNET_RPC_PORTS     four RPC ports, space-separated
#   TESTNET_PROMETHEUS_PORTS  four ports for the nodes' Prometheus metrics on loopback
#                         (default: no metrics)
#   TESTNET_NODE_ARGS     more arguments for every node, e.g. `--pool-limit 20000`
#
# Each node's PID is written to $TESTNET_DIR/<name>.pid and its log to $TESTNET_DIR/<name>.log;
# the address another node boots from (Alice's) to $TESTNET_DIR/bootnode.
# Ctrl-C (or SIGTERM) stops all four.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
node_bin=$GRIDCHAIN_NODE
[ -x "$node_bin" ] || { echo "no node binary at $node_bin; run scripts/build.sh first" >&2; exit 1; }

read -r -a p2p_ports <<< "${TESTNET_P2P_PORTS:-30333 30334 30335 30336}"
read -r -a rpc_ports <<< "${TESTNET_RPC_PORTS:-9944 9945 9946 9947}"
read -r -a prometheus_ports <<< "${TESTNET_PROMETHEUS_PORTS:-}"
read -r -a node_args <<< "${TESTNET_NODE_ARGS:-}"
[ "${#p2p_ports[@]}" -eq 4 ] && [ "${#rpc_ports[@]}" -eq 4 ] ||
	{ echo "TESTNET_P2P_PORTS and TESTNET_RPC_PORTS need four ports each" >&2; exit 1; }
[ "${#prometheus_ports[@]}" -eq 0 ] || [ "${#prometheus_ports[@]}" -eq 4 ] ||
	{ echo "TESTNET_PROMETHEUS_PORTS needs four ports" >&2; exit 1; }

if [ -n "${TESTNET_DIR:-}" ]; then
	mkdir -p "$TESTNET_DIR"
	remove_dir=false
else
	TESTNET_DIR=$(mktemp -d -t gridchain-testnet-XXXXXX)
	remove_dir=true
fi

# Fixed network keys (validators do not generate one on the fly): Alice's is ...01, Bob's ...02 and
# so on. Alice's address is therefore known in advance, and the others boot from it.
node_key() { printf '%064x' "$1"; }
alice_peer_id=12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp
bootnode=/ip4/127.0.0.1/tcp/${p2p_ports[0]}/p2p/$alice_peer_id
echo "$bootnode" > "$TESTNET_DIR/bootnode"

pids=()
stop_all() {
	for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if $remove_dir; then rm -rf "$TESTNET_DIR"; fi
}
trap stop_all EXIT
trap 'exit 0' INT TERM

names=(alice bob charlie dave)
for i in 0 1 2 3; do
	name=${names[$i]}
	args=(
		--chain "${TESTNET_CHAIN:-local}"
		--"$name"
		--base-path "$TESTNET_DIR/$name"
		--listen-addr "/ip4/127.0.0.1/tcp/${p2p_ports[$i]}"
		--rpc-port "${rpc_ports[$i]}"
		--no-telemetry
		--no-mdns
		--node-key "$(node_key $((i + 1)))"
	)
	[ "$i" -eq 0 ] || args+=(--bootnodes "$bootnode")
	if [ "${#prometheus_ports[@]}" -eq 4 ]; then
		args+=(--prometheus-port "${prometheus_ports[$i]}")
	else
		args+=(--no-prometheus)
	fi
	args+=("${node_args[@]}")
	"$node_bin" "${args[@]}" > "$TESTNET_DIR/$name.log" 2>&1 &
	pids+=($!)
	echo $! > "$TESTNET_DIR/$name.pid"
	echo "$name: ws://127.0.0.1:${rpc_ports[$i]}  (log: $TESTNET_DIR/$name.log)"
done
echo "local testnet running; Ctrl-C stops it"

# Runs until interrupted, or until all four nodes have stopped.
wait
