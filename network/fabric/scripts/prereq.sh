#!/usr/bin/env bash
#
# `scripts/network.sh prereq`: checks, without installing or downloading anything,
# that this machine can run the real Fabric network, and says precisely what is
# missing and how to get it. Sourced, never run; needs utils.sh.

# Oldest versions the network is written for.
FABRIC_MIN_VERSION=2.5.0
FABRIC_CA_MIN_VERSION=1.5.0

PREREQ_PROBLEMS=()
FABRIC_TOOLS_MISSING=false

# prereqProblem records a missing prerequisite and how to get it.
prereqProblem() {
  PREREQ_PROBLEMS+=("$1")
  errorln "  missing: $1"
}

# versionAtLeast <have> <min> succeeds when version have >= min.
versionAtLeast() {
  local lowest
  lowest=$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)
  [[ "$lowest" == "$2" ]]
}

# toolVersion <tool> <args...> prints the "Version:" of a Fabric tool, without "v".
toolVersion() {
  "$@" 2>/dev/null | sed -n 's/^[[:space:]]*Version:[[:space:]]*v\{0,1\}\([0-9][0-9.]*\).*/\1/p' | head -n 1
}

# checkFabricTool <name> <min version or ""> <version command...>
checkFabricTool() {
  local name=$1 min=$2 version
  shift 2
  if ! command -v "$name" >/dev/null 2>&1; then
    prereqProblem "${name}: not on PATH, in ${ROOT_DIR}/bin or in \$FABRIC_BIN_DIR"
    FABRIC_TOOLS_MISSING=true
    return
  fi
  if [[ -z "$min" ]]; then
    successln "  ok: ${name} ($(command -v "$name"))"
    return
  fi
  version=$(toolVersion "$@")
  if [[ -z "$version" ]]; then
    prereqProblem "${name}: cannot read its version from '$*'; need ${min} or later"
    FABRIC_TOOLS_MISSING=true
  elif ! versionAtLeast "$version" "$min"; then
    prereqProblem "${name}: version ${version} is too old, need ${min} or later"
    FABRIC_TOOLS_MISSING=true
  else
    successln "  ok: ${name} ${version}"
  fi
}

# checkImages warns about Fabric images not yet pulled; compose pulls them on
# `up`, so they are not a missing prerequisite.
checkImages() {
  local image
  for image in "hyperledger/fabric-peer:${FABRIC_VERSION:-2.5}" "hyperledger/fabric-orderer:${FABRIC_VERSION:-2.5}" \
    "hyperledger/fabric-ca:${FABRIC_CA_VERSION:-1.5}"; do
    if docker image inspect "$image" >/dev/null 2>&1; then
      successln "  ok: image ${image}"
    else
      warnln "  not pulled yet: image ${image} (docker compose pulls it on 'up'; install-fabric.sh docker pulls and tags it)"
    fi
  done
}

# fabricInstallHint says how to get the Fabric and Fabric CA binaries.
fabricInstallHint() {
  errorln "Get the Fabric ${FABRIC_MIN_VERSION%.0}+ and Fabric CA ${FABRIC_CA_MIN_VERSION%.0}+ binaries (bin/, config/) and Docker images with:"
  errorln "  cd ${ROOT_DIR} && curl -sSLO https://raw.githubusercontent.com/hyperledger/fabric/main/scripts/install-fabric.sh"
  errorln "  bash install-fabric.sh --fabric-version 2.5.11 --ca-version 1.5.15 binary docker"
  errorln "or put existing binaries on PATH or in \$FABRIC_BIN_DIR (and their config/ in \$FABRIC_CFG_DIR)."
  errorln "Without a connection (or for another version), build them from the sources of github.com/hyperledger/fabric"
  errorln "  (make peer orderer configtxgen cryptogen osnadmin discover ccaasbuilder; config/ is its sampleconfig/)"
  errorln "and github.com/hyperledger/fabric-ca (make fabric-ca-server fabric-ca-client). For 'native up', set FABRIC_BIN"
  errorln "to a directory holding bin/, config/ and builders/ccaas/bin/ (the layout install-fabric.sh unpacks)."
}

# checkNative reports whether the native network can run: the binaries it starts,
# the ccaas builder beside them, jq and Go.
checkNative() {
  local tool dir missing=()
  if [[ -n "${FABRIC_BIN:-}" ]]; then
    for dir in "${FABRIC_BIN}/bin" "$FABRIC_BIN"; do
      if [[ -x "${dir}/peer" && ":${PATH}:" != *":${dir}:"* ]]; then PATH="${dir}:${PATH}"; fi
    done
  fi
  for tool in peer orderer configtxgen osnadmin discover fabric-ca-server fabric-ca-client jq go; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if command -v peer >/dev/null 2>&1 && [[ ! -x "$(dirname "$(command -v peer)")/../builders/ccaas/bin/release" ]]; then
    missing+=("builders/ccaas beside the binaries")
  fi
  if ((${#missing[@]} == 0)); then
    successln "The native network (no Docker) can run: scripts/network.sh native up"
  else
    warnln "The native network (no Docker) cannot run; missing: ${missing[*]}"
  fi
}

# checkPrereqs checks everything `up`, `createChannel` and `deployCCAAS` need and
# returns non-zero, after listing every problem, when anything is missing.
checkPrereqs() {
  PREREQ_PROBLEMS=()
  FABRIC_TOOLS_MISSING=false
  useFabricBinaries
  infoln "Checking the prerequisites of the Fabric network"

  if ! command -v docker >/dev/null 2>&1; then
    prereqProblem "docker: not on PATH; install Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop"
  else
    if docker info >/dev/null 2>&1; then
      successln "  ok: docker engine reachable"
      checkImages
    else
      prereqProblem "docker engine: not reachable (is the Docker daemon running and may this user use it? 'docker info' fails${DOCKER_HOST:+ for DOCKER_HOST=${DOCKER_HOST}})"
    fi
    if composeCmd >/dev/null; then
      successln "  ok: $(composeCmd)"
    else
      prereqProblem "docker compose: neither the 'docker compose' plugin nor docker-compose found; install it (https://docs.docker.com/compose/install/)"
    fi
  fi

  checkFabricTool peer "$FABRIC_MIN_VERSION" peer version
  checkFabricTool orderer "$FABRIC_MIN_VERSION" orderer version
  checkFabricTool configtxgen "$FABRIC_MIN_VERSION" configtxgen --version
  checkFabricTool cryptogen "$FABRIC_MIN_VERSION" cryptogen version
  checkFabricTool osnadmin "" osnadmin --help
  checkFabricTool fabric-ca-client "$FABRIC_CA_MIN_VERSION" fabric-ca-client version

  if command -v peer >/dev/null 2>&1; then
    if peerConfigDir >/dev/null; then
      successln "  ok: peer CLI configuration $(peerConfigDir)/core.yaml"
    else
      prereqProblem "core.yaml for the peer CLI: not in \$FABRIC_CFG_DIR, ${ROOT_DIR}/config or config/ beside the peer binary; it comes with the Fabric binaries"
      FABRIC_TOOLS_MISSING=true
    fi
  fi

  if command -v jq >/dev/null 2>&1; then
    successln "  ok: jq"
  else
    prereqProblem "jq: not on PATH; install it (apt-get install jq, brew install jq, or https://jqlang.org/download/)"
  fi

  checkNative
  if ((${#PREREQ_PROBLEMS[@]} > 0)); then
    errorln "${#PREREQ_PROBLEMS[@]} prerequisite(s) missing: the Fabric network cannot run here."
    if [[ "$FABRIC_TOOLS_MISSING" == true ]]; then
      fabricInstallHint
    fi
    errorln "Without Docker and Fabric, use the embedded network instead: scripts/network.sh dev up"
    return 1
  fi
  successln "All prerequisites found."
}
