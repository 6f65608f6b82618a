#!/usr/bin/env bash
#
# Logging, retries and tool lookup shared by scripts/network.sh and the helpers in
# network/fabric. Sourced, never run; needs bash 4+ and the variables ROOT_DIR
# (repository root) and FABRIC_DIR (network/fabric) set by the caller.

if [[ -t 1 ]]; then
  C_RESET=$'\033[0m'
  C_RED=$'\033[0;31m'
  C_GREEN=$'\033[0;32m'
  C_BLUE=$'\033[0;34m'
  C_YELLOW=$'\033[1;33m'
else
  C_RESET='' C_RED='' C_GREEN='' C_BLUE='' C_YELLOW=''
fi

# println prints its arguments as one line.
println() { printf '%s\n' "$*"; }
# infoln prints a progress message.
infoln() { printf '%s\n' "${C_BLUE}$*${C_RESET}"; }
# successln prints a success message.
successln() { printf '%s\n' "${C_GREEN}$*${C_RESET}"; }
# warnln prints a warning on stderr.
warnln() { printf '%s\n' "${C_YELLOW}$*${C_RESET}" >&2; }
# errorln prints an error on stderr.
errorln() { printf '%s\n' "${C_RED}$*${C_RESET}" >&2; }
# fatalln prints an error on stderr and exits with status 1.
fatalln() {
  errorln "$@"
  exit 1
}

# retry <attempts> <delay seconds> <command...> runs the command until it succeeds
# or the attempts are used up; returns the command's last status.
retry() {
  local attempts=$1 delay=$2 n=1 status=0
  shift 2
  while :; do
    if "$@"; then
      return 0
    else
      status=$?
    fi
    if ((n >= attempts)); then
      return "$status"
    fi
    warnln "attempt ${n}/${attempts} failed (status ${status}): retrying in ${delay}s"
    sleep "$delay"
    n=$((n + 1))
  done
}

# useFabricBinaries puts the Fabric binaries on PATH: $FABRIC_BIN_DIR if set, then
# the repository's bin/ (where install-fabric.sh unpacks them), then PATH.
useFabricBinaries() {
  local dir
  for dir in "${ROOT_DIR}/bin" "${FABRIC_BIN_DIR:-}"; do
    if [[ -n "$dir" && -d "$dir" && ":${PATH}:" != *":${dir}:"* ]]; then
      PATH="${dir}:${PATH}"
    fi
  done
  export PATH
}

# peerConfigDir prints the directory holding the core.yaml the peer CLI reads:
# $FABRIC_CFG_DIR, the repository's config/, or config/ beside the peer binary.
peerConfigDir() {
  local dir peerBin
  for dir in "${FABRIC_CFG_DIR:-}" "${ROOT_DIR}/config"; do
    if [[ -n "$dir" && -f "${dir}/core.yaml" ]]; then
      printf '%s\n' "$dir"
      return 0
    fi
  done
  if peerBin=$(command -v peer 2>/dev/null); then
    dir="$(cd "$(dirname "$peerBin")/.." && pwd)/config"
    if [[ -f "${dir}/core.yaml" ]]; then
      printf '%s\n' "$dir"
      return 0
    fi
  fi
  return 1
}

# usePeerConfig exports FABRIC_CFG_PATH for the peer CLI or exits with advice.
usePeerConfig() {
  local dir
  dir=$(peerConfigDir) || fatalln "core.yaml for the peer CLI not found: set FABRIC_CFG_DIR, or unpack the Fabric binaries (bin/ and config/) in ${ROOT_DIR}; run 'scripts/network.sh prereq'"
  export FABRIC_CFG_PATH="$dir"
}

# composeCmd prints the Compose command: "docker compose" or "docker-compose".
composeCmd() {
  if docker compose version >/dev/null 2>&1; then
    printf '%s\n' "docker compose"
  elif command -v docker-compose >/dev/null 2>&1; then
    printf '%s\n' "docker-compose"
  else
    return 1
  fi
}

# compose runs Docker Compose on the warrants project with the given arguments.
compose() {
  local cmd
  cmd=$(composeCmd) || fatalln "Docker Compose not found: run 'scripts/network.sh prereq'"
  # Word splitting of "docker compose" is intended.
  # shellcheck disable=SC2086
  $cmd -p warrants "$@"
}

# composeFile prints the path of a compose file of network/fabric/compose.
composeFile() { printf '%s\n' "${FABRIC_DIR}/compose/$1"; }
