#!/usr/bin/env bash
# Everything CI runs: formatting, vet, unit tests, end-to-end tests on the
# embedded dev network, and the fuzz targets' seed corpora (go test runs them).
# Usage: scripts/test.sh [extra go test flags, e.g. -run TestName]
set -euo pipefail
cd "$(dirname "$0")/.."

# Pure-Go builds: nothing here needs cgo, and without it the 30-odd test
# binaries link about a quarter faster (static, no dynamic loader at each start
# of the executables the tests run). CI machines without a C compiler build this
# way anyway.
export CGO_ENABLED="${CGO_ENABLED:-0}"

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== chromium (browser tests)"
# TestBrowser… drive Debian's chromium headless and need a CJK font so that the
# Chinese labels render. Install both where apt is usable (root); elsewhere the
# browser tests skip with a one-line reason.
have_cjk_font() { fc-list 2>/dev/null | grep -i -e wqy -e "noto.*cjk" >/dev/null; }
if ! command -v chromium >/dev/null 2>&1 || ! have_cjk_font; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-zenhei) >/dev/null 2>&1 || true
  fi
fi
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(command -v chromium)$(have_cjk_font && echo ', CJK font present' || echo ', no CJK font')"
else
  echo "chromium: not available (TestBrowser… will skip)"
fi

echo "== go test"
# The packages whose tests take longest are named first, so that go test starts
# them first instead of last (it starts packages in the order named, ./... in
# path order, and runs each once): the run then ends with short packages on both
# cores rather than one long package on one.
go test -count=1 -timeout 30m "$@" ./test ./network/devnet ./network/fabric ./chaincode/contracts ./client/cmd/warrantd ./...
