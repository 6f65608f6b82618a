#!/usr/bin/env bash
# Everything CI runs: formatting, vet, unit tests, end-to-end tests on the
# embedded dev network, and the fuzz targets' seed corpora (go test runs them).
# Usage: scripts/test.sh [extra go test flags, e.g. -run TestName]
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test"
go test -count=1 -timeout 30m "$@" ./...
