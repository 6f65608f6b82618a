#!/usr/bin/env bash
# Side-by-side performance of the dev network and real Fabric, in one run:
#  (b) the same split-transfer load (one client, then many on distinct warrants)
#      on the dev network and on the native real Fabric network, with the same
#      orderer batch settings;
#  (c) on the native network, warrant split-transfers against the trivial put
#      chaincode network/fabric/benchcc deployed beside it, and against benchcc
#      Shape transactions that make a split's state calls without its logic,
#      then fewer of them down to what the rules need; the read-conflict rate,
#      the CPU per transaction of each process, and CPU profiles of the
#      association's peer during the split and the put loads. The heavy loads
#      run in rounds, each round every load in turn, so that drift during the
#      run weighs on all alike.
# It runs TestRealFabricSplitLoad at full scale and prints its table. Without
# FABRIC_BIN only the dev network is measured.
# Usage: scripts/perf.sh [--workers N] [--total N] [--batch-timeout D] [--batch-size N]
#   --workers        clients of the heavy loads (default 64)
#   --total          transactions of each heavy load (default 1500)
#   --batch-timeout  BatchTimeout of both networks, e.g. 50ms (default 50ms)
#   --batch-size     MaxMessageCount of both networks (default 100)
# Environment: FABRIC_BIN (the Fabric 3.x binaries, see scripts/network.sh prereq),
# PERF_OUT (directory for the table, the log and the profiles; default a new
# temporary one).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }
while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --workers | --total | --batch-timeout | --batch-size)
      (($# >= 2)) || { echo "perf: $1 needs a value" >&2; exit 2; }
      case "$1" in
        --workers) export SCF_LOAD_WORKERS=$2 ;;
        --total) export SCF_LOAD_TOTAL=$2 ;;
        --batch-timeout) export SCF_PERF_BATCH_TIMEOUT=$2 ;;
        --batch-size) export SCF_PERF_BATCH_SIZE=$2 ;;
      esac
      shift 2
      ;;
    *) echo "perf: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

out=${PERF_OUT:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export SCF_PERF_SCALE=full SCF_PERF_TABLE="$out/table.txt" SCF_PERF_PPROF_DIR="$out"
rm -f "$SCF_PERF_TABLE" "$out"/peer-*.pprof
if [[ -z "${FABRIC_BIN:-}" ]]; then
  echo "perf: FABRIC_BIN is not set: measuring the dev network only (no real Fabric side)"
  export SCF_PERF_DEV_ONLY=1
fi
echo "perf: running TestRealFabricSplitLoad (a few minutes; log in $out/test.log)" >&2
status=0
go test ./test -run '^TestRealFabricSplitLoad$' -count=1 -v -timeout 30m >"$out/test.log" 2>&1 || status=$?
if [[ "$status" -ne 0 || ! -f "$SCF_PERF_TABLE" ]]; then
  tail -40 "$out/test.log" >&2
  echo "perf: the run failed (exit $status); full log in $out/test.log" >&2
  exit 1
fi
cat "$SCF_PERF_TABLE"
for load in split put; do
  profiles=("$out"/peer-"$load"-*.pprof)
  [[ -f "${profiles[0]}" ]] || continue
  echo
  echo "CPU profile of the association's peer during the $load load (${#profiles[@]} windows, $out/peer-$load-*.pprof), top functions by cumulative time:"
  go tool pprof -top -cum -nodecount=25 "${profiles[@]}" 2>/dev/null | sed -n '/flat%/,$p'
done
