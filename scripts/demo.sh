#!/usr/bin/env bash
# Brings up the embedded dev network with the warrant chaincode as a
# chaincode-as-a-service process, on a fresh directory, and stops it again
# (--keep leaves it running in the foreground until Ctrl-C).
# Needs only Go.
set -euo pipefail
cd "$(dirname "$0")/.."

keep=false
for arg in "$@"; do
  case "$arg" in
    --keep) keep=true ;;
    -h|--help) echo "usage: scripts/demo.sh [--keep]"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

dir=${DEMO_DIR:-.devnet-demo}
mkdir -p bin
echo "== building the dev network and the warrant chaincode"
go build -o bin/devnet ./network/cmd/devnet
go build -o bin/warrant-chaincode ./chaincode

config="$dir.yaml"
sed "s#command: \[go, run, ./chaincode\]#command: [$PWD/bin/warrant-chaincode]#" \
  network/devnet/config/default.yaml > "$config"

rm -rf "$dir"
log="$dir.log"
echo "== starting the dev network in $dir (log: $log)"
bin/devnet up --config "$config" --dir "$dir" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  if grep -q "devnet ready" "$log"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "the dev network failed to start" >&2; exit 1; fi
  sleep 0.1
done
grep -q "devnet ready" "$log" || { cat "$log"; echo "the dev network did not become ready" >&2; exit 1; }
grep -v '^\[' "$log"

if $keep; then
  trap - EXIT
  echo "== the dev network keeps running (pid $pid); stop it with: kill $pid"
  wait "$pid"
fi
echo "== stopping"
