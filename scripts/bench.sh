#!/usr/bin/env bash
# One-step benchmark: builds the dev network, the warrant chaincode and warrantctl,
# starts a dev network of its own (temporary directory, free ports, the chaincode
# as a chaincode-as-a-service process, orderer batch timeout 10 ms), runs
# "warrantctl bench" on it with the given flags, and stops it.
# Usage: scripts/bench.sh [warrantctl bench flags, e.g. --json --duration 20s]
# Environment: GOGC (default 400 for the network and the load, as devnet sets it).
set -euo pipefail
cd "$(dirname "$0")/.."

for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
done
export GOGC=${GOGC:-400}

say() { echo "bench: $*" >&2; }
say "building the dev network, the warrant chaincode and warrantctl"
mkdir -p bin
go build -o bin/devnet ./network/cmd/devnet
go build -o bin/warrant-chaincode ./chaincode
go build -o bin/warrantctl ./client/cmd/warrantctl

work=$(mktemp -d)
pid=""
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

config="$work/network.yaml"
sed -e "s#command: \[go, run, ./chaincode#command: [$PWD/bin/warrant-chaincode#" \
    -e "s#batchTimeout: [0-9a-z]*#batchTimeout: 10ms#" \
    -e "s#collections: chaincode/#collections: $PWD/chaincode/#" \
  network/devnet/config/default.yaml > "$config"
if ! grep -q "command: \[$PWD/bin/warrant-chaincode, -association-msp=" "$config" || ! grep -q "batchTimeout: 10ms" "$config"; then
  say "network/devnet/config/default.yaml no longer has the chaincode command or batch timeout this script sets"; exit 1
fi

log="$work/devnet.log"
say "starting a dev network in $work"
bin/devnet up --config "$config" --dir "$work/network" --free-ports >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q "devnet ready" "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; say "the dev network failed to start"; exit 1; }
  sleep 0.1
done
grep -q "devnet ready" "$log" || { cat "$log" >&2; say "the dev network did not become ready"; exit 1; }

status=0
# The dev network verifies each signature once (load.SharedVerifiesPerTx).
bin/warrantctl --dir "$work/network" bench --verifies-per-tx 5 "$@" || status=$?
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=""
if [ "$status" -ne 0 ]; then tail -20 "$log" >&2; fi
exit "$status"
