#!/usr/bin/env bash
#
# `scripts/network.sh native up|down|status`: the warrants network from the real
# Fabric binaries, run as local processes (no Docker), like fabric-samples'
# test-network-nano-bash. Sourced, never run; needs utils.sh, envvar.sh,
# channel.sh, ccaas.sh, profiles.sh and ../fabric-ca/registerEnroll.sh.
#
# Everything lives in one directory (default .fabric, --dir): the Fabric CAs'
# state, the crypto material in fabric-samples' layout with a connection profile
# and an environment file per org, the ledgers, logs, and one pid file per
# process. `down` stops exactly the processes whose pid files `up` wrote.
#
# Every node listens on 127.0.0.1 and is reached as localhost, which every TLS
# certificate names (with 127.0.0.1): no /etc/hosts entries. Ports are a base
# port (--base-port, default 27050) plus:
#   +0 orderer   +1 orderer admin (osnadmin)   +2 orderer operations
#   +3 orderer CA   +4 its operations   +5 the warrant chaincode service
#   +10/+20/+30 peer of core/bank/assoc, then +1 its chaincode listener,
#   +2 operations, +3 the org's CA, +4 the CA's operations.
# With --bench (benchmarks): +6 the trivial put chaincode service (benchcc),
# +7/+8/+9 the pprof endpoints of the peers of core/bank/assoc.
# configtx.yaml, the connection.json of the chaincode package and the Fabric CA
# registrations are the Docker network's, with hosts and ports rewritten.

NATIVE_MARKER=.warrants-native
NATIVE_DEFAULT_BASE_PORT=27050
NATIVE_READY_SECONDS=${NATIVE_READY_SECONDS:-120}
# --bench: deploy network/fabric/benchcc beside the warrant chaincode and open the
# peers' pprof endpoints. --batch-timeout, --batch-size: the orderer's BatchTimeout
# and MaxMessageCount instead of configtx.yaml's.
NATIVE_BENCH=false
NATIVE_BATCH_TIMEOUT=""
NATIVE_BATCH_SIZE=""
BENCH_CC_NAME=benchcc
# The Docker network's peer and orderer ports, which the generated configtx rewrites.
declare -A DOCKER_PEER_PORTS=([core]=${PEER_PORTS[core]} [bank]=${PEER_PORTS[bank]} [assoc]=${PEER_PORTS[assoc]}
  [bank2]=${PEER_PORTS[bank2]} [core2]=${PEER_PORTS[core2]})
DOCKER_ORDERER_PORT=${ORDERER_ADDRESS##*:}

# nativeLayout <dir> <base port> points the helpers at the native network's files
# and ports.
nativeLayout() {
  NATIVE_DIR=$1
  BASE_PORT=$2
  if [[ ! "$BASE_PORT" =~ ^[0-9]+$ ]] || ((BASE_PORT < 1024 || BASE_PORT > 65500)); then
    fatalln "base port '${BASE_PORT}': want a number from 1024 to 65500"
  fi
  local b=$BASE_PORT
  useLayout "$NATIVE_DIR" "$b" $((b + 1)) $((b + 10)) $((b + 20)) $((b + 30)) $((b + 13)) $((b + 23)) $((b + 33)) $((b + 3)) \
    $((b + 40)) $((b + 50)) $((b + 43)) $((b + 53))
  CONFIGTX_DIR="${NATIVE_DIR}/configtx"
  BUILD_DIR="${NATIVE_DIR}/build"
  CCAAS_CONNECTION="${BUILD_DIR}/connection.json"
  FABRIC_CFG_DIR="${NATIVE_DIR}/config"
  CHAINCODE_PORT=$((b + 5))
  BENCH_CHAINCODE_PORT=$((b + 6))
  export CONFIGTX_DIR FABRIC_CFG_DIR
}

# orgBasePort <org> prints the first port of an org's block (its peer's port).
orgBasePort() { orgField "$1" peerPort; }

# profilePort <org> prints the port of the pprof endpoint of the org's peer
# (--bench): base port +7, +8, +9 in the order of WARRANT_ORGS.
profilePort() {
  local i
  for i in "${!WARRANT_ORGS[@]}"; do
    if [[ "${WARRANT_ORGS[$i]}" == "$1" ]]; then
      echo $((BASE_PORT + 7 + i))
      return 0
    fi
  done
  fatalln "no org '$1'"
}

# findFabricBinaries puts the Fabric binaries on PATH and sets FABRIC_HOME, the
# directory holding bin/, config/ (the sample core.yaml and orderer.yaml) and
# builders/ccaas: $FABRIC_BIN (that directory or its bin/), else PATH.
findFabricBinaries() {
  local bin="" tool
  if [[ -n "${FABRIC_BIN:-}" ]]; then
    if [[ -x "${FABRIC_BIN}/bin/peer" ]]; then
      bin="${FABRIC_BIN}/bin"
    elif [[ -x "${FABRIC_BIN}/peer" ]]; then
      bin="$FABRIC_BIN"
    else
      fatalln "FABRIC_BIN=${FABRIC_BIN} holds no peer binary (want <dir>/bin/peer or <dir>/peer): run 'scripts/network.sh prereq'"
    fi
    PATH="$(cd "$bin" && pwd):${PATH}"
    export PATH
  fi
  useFabricBinaries
  for tool in peer orderer configtxgen osnadmin discover fabric-ca-server fabric-ca-client jq go; do
    command -v "$tool" >/dev/null 2>&1 || fatalln "${tool} not found (FABRIC_BIN or PATH): run 'scripts/network.sh prereq'"
  done
  FABRIC_HOME="$(cd "$(dirname "$(command -v peer)")/.." && pwd)"
  [[ -f "${FABRIC_HOME}/config/core.yaml" && -f "${FABRIC_HOME}/config/orderer.yaml" ]] ||
    fatalln "no config/core.yaml and config/orderer.yaml beside the Fabric binaries in ${FABRIC_HOME}"
  [[ -x "${FABRIC_HOME}/builders/ccaas/bin/release" ]] ||
    fatalln "no ccaas external builder in ${FABRIC_HOME}/builders/ccaas/bin: the Fabric binaries come with it"
}

# nativeRunning succeeds when a process of the native network in NATIVE_DIR runs.
nativeRunning() {
  local file
  for file in "${NATIVE_DIR}/pids"/*.pid; do
    if [[ -f "$file" ]] && pidAlive "$(<"$file")"; then
      return 0
    fi
  done
  return 1
}

# pidAlive <pid> succeeds when the process runs.
pidAlive() { [[ "$1" =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null; }

# ownProcess <pid> succeeds when the process runs and is one of this network's: its
# command line or environment names the network's directory (a CA's home, a node's
# FABRIC_CFG_PATH, the chaincode binary). A pid reused by another process is not.
# Without /proc the pid alone is trusted.
ownProcess() {
  pidAlive "$1" || return 1
  [[ -d "/proc/$1" ]] || return 0
  grep -qaF "$NATIVE_DIR" "/proc/$1/cmdline" "/proc/$1/environ" 2>/dev/null
}

# startProcess <name> <command...> starts a node in the background, detached from
# this shell, with no Fabric variables of the caller's environment (the node's
# come from the command line), its output in logs/<name>.log and its pid in
# pids/<name>.pid.
startProcess() {
  local name=$1
  shift
  (
    while read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(CORE_|ORDERER_|FABRIC_CA_|FABRIC_CFG_PATH$|FABRIC_LOGGING_SPEC$|CHAINCODE_)' || true)
    exec setsid "$@" </dev/null
  ) >"${NATIVE_DIR}/logs/${name}.log" 2>&1 &
  echo "$!" >"${NATIVE_DIR}/pids/${name}.pid"
}

# portOpen <port> succeeds when something accepts connections on localhost:<port>.
portOpen() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# waitFor <seconds> <what> <command...> polls the command every half second until
# it succeeds or the seconds are up.
waitFor() {
  local seconds=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
  infoln "  ${what}: up"
}

# nativePorts prints every port the native network listens on.
nativePorts() {
  local b=$BASE_PORT offset org base
  for offset in 0 1 2 3 4 5; do echo $((b + offset)); done
  for org in "${WARRANT_ORGS[@]}"; do
    base=$(orgBasePort "$org")
    for offset in 0 1 2 3 4; do echo $((base + offset)); done
    if [[ "$NATIVE_BENCH" == true ]]; then profilePort "$org"; fi
  done
  if [[ "$NATIVE_BENCH" == true ]]; then echo "$BENCH_CHAINCODE_PORT"; fi
}

# writeNativeConfig copies the binaries' core.yaml and orderer.yaml with the ccaas
# builder of FABRIC_HOME and no Docker endpoint, and writes configtx.yaml.
writeNativeConfig() {
  mkdir -p "$FABRIC_CFG_DIR"
  sed -e "s#path: /opt/hyperledger/ccaas_builder#path: ${FABRIC_HOME}/builders/ccaas#" \
    -e 's#endpoint: unix:///var/run/docker.sock#endpoint: ""#' \
    "${FABRIC_HOME}/config/core.yaml" >"${FABRIC_CFG_DIR}/core.yaml"
  cp "${FABRIC_HOME}/config/orderer.yaml" "${FABRIC_CFG_DIR}/orderer.yaml"
  grep -q "path: ${FABRIC_HOME}/builders/ccaas" "${FABRIC_CFG_DIR}/core.yaml" ||
    fatalln "${FABRIC_HOME}/config/core.yaml names no ccaas_builder to point at ${FABRIC_HOME}/builders/ccaas"
  writeNativeConfigtx
}

# writeNativeConfigtx writes the network's configtx.yaml: the Docker network's, with
# the orderer's and the anchor peers' hosts and ports replaced by localhost and the
# native ports.
writeNativeConfigtx() {
  local org domain exprs=()
  mkdir -p "$CONFIGTX_DIR"
  exprs+=(-e "s/^\( *- \)${ORDERER_HOST}:${DOCKER_ORDERER_PORT}\$/\1localhost:${BASE_PORT}/")
  exprs+=(-e "s/^\( *- Host: \)${ORDERER_HOST}\$/\1localhost/" -e "s/^\( *Port: \)${DOCKER_ORDERER_PORT}\$/\1${BASE_PORT}/")
  for org in "${WARRANT_ORGS[@]}" "${CONSORTIUM_ORGS[@]}"; do
    domain=$(orgField "$org" domain)
    exprs+=(-e "s/^\( *- Host: \)peer0\.${domain//./\\.}\$/\1localhost/")
    exprs+=(-e "s/^\( *Port: \)${DOCKER_PEER_PORTS[$org]}\$/\1$(orgBasePort "$org")/")
  done
  if [[ -n "$NATIVE_BATCH_TIMEOUT" ]]; then
    [[ "$NATIVE_BATCH_TIMEOUT" =~ ^[1-9][0-9]*(ms|s)$ ]] || fatalln "--batch-timeout '${NATIVE_BATCH_TIMEOUT}': want a duration such as 50ms or 2s"
    exprs+=(-e "s/^\( *BatchTimeout: \).*\$/\1${NATIVE_BATCH_TIMEOUT}/")
  fi
  if [[ -n "$NATIVE_BATCH_SIZE" ]]; then
    [[ "$NATIVE_BATCH_SIZE" =~ ^[1-9][0-9]*$ ]] || fatalln "--batch-size '${NATIVE_BATCH_SIZE}': want a positive number of transactions"
    exprs+=(-e "s/^\( *MaxMessageCount: \).*\$/\1${NATIVE_BATCH_SIZE}/")
  fi
  sed "${exprs[@]}" "${FABRIC_DIR:?}/configtx/configtx.yaml" >"${CONFIGTX_DIR}/configtx.yaml"
  if grep -q 'example\.com:[0-9]\|Host: .*example\.com' "${CONFIGTX_DIR}/configtx.yaml"; then
    fatalln "${CONFIGTX_DIR}/configtx.yaml still names a Docker host"
  fi
}

# startCAs starts one Fabric CA server per organisation (TLS, on 127.0.0.1).
startCAs() {
  local org
  for org in "${WARRANT_ORGS[@]}"; do
    startCA "$org" "$(orgField "$org" caPort)" "$(orgField "$org" caName)" "ca.$(orgField "$org" domain)"
  done
  startCA ordererOrg "$ORDERER_CA_PORT" "$ORDERER_CA_NAME" ca.example.com
}

# startCA <dir name> <port> <ca name> <common name> starts a Fabric CA server whose
# home is organizations/fabric-ca/<dir name>, where registerEnroll.sh looks for it.
startCA() {
  local home="${ORGS_DIR}/fabric-ca/$1"
  mkdir -p "$home"
  startProcess "ca-$1" env FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS="127.0.0.1:$(($2 + 1))" \
    fabric-ca-server start -b admin:adminpw --home "$home" --address 127.0.0.1 --port "$2" \
    --ca.name "$3" --csr.cn "$4" --csr.hosts localhost,127.0.0.1 --tls.enabled
}

# startOrderer starts the raft orderer with the channel participation API.
startOrderer() {
  local dir="${ORGS_DIR}/ordererOrganizations/example.com/orderers/${ORDERER_HOST}"
  local data="${NATIVE_DIR}/data/orderer"
  mkdir -p "$data"
  startProcess orderer env FABRIC_CFG_PATH="$FABRIC_CFG_DIR" FABRIC_LOGGING_SPEC=INFO \
    ORDERER_GENERAL_LISTENADDRESS=127.0.0.1 ORDERER_GENERAL_LISTENPORT="$BASE_PORT" \
    ORDERER_GENERAL_LOCALMSPID=OrdererMSP ORDERER_GENERAL_LOCALMSPDIR="${dir}/msp" \
    ORDERER_GENERAL_TLS_ENABLED=true ORDERER_GENERAL_TLS_PRIVATEKEY="${dir}/tls/server.key" \
    ORDERER_GENERAL_TLS_CERTIFICATE="${dir}/tls/server.crt" ORDERER_GENERAL_TLS_ROOTCAS="[${dir}/tls/ca.crt]" \
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE="${dir}/tls/server.crt" \
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY="${dir}/tls/server.key" \
    ORDERER_GENERAL_CLUSTER_ROOTCAS="[${dir}/tls/ca.crt]" ORDERER_GENERAL_BOOTSTRAPMETHOD=none \
    ORDERER_CHANNELPARTICIPATION_ENABLED=true ORDERER_ADMIN_TLS_ENABLED=true \
    ORDERER_ADMIN_TLS_CERTIFICATE="${dir}/tls/server.crt" ORDERER_ADMIN_TLS_PRIVATEKEY="${dir}/tls/server.key" \
    ORDERER_ADMIN_TLS_ROOTCAS="[${dir}/tls/ca.crt]" ORDERER_ADMIN_TLS_CLIENTROOTCAS="[${dir}/tls/ca.crt]" \
    ORDERER_ADMIN_LISTENADDRESS="127.0.0.1:$((BASE_PORT + 1))" \
    ORDERER_OPERATIONS_LISTENADDRESS="127.0.0.1:$((BASE_PORT + 2))" ORDERER_METRICS_PROVIDER=disabled \
    ORDERER_FILELEDGER_LOCATION="${data}/ledger" ORDERER_CONSENSUS_WALDIR="${data}/etcdraft/wal" \
    ORDERER_CONSENSUS_SNAPDIR="${data}/etcdraft/snapshot" orderer
}

# startPeer <org> starts the org's peer with the ccaas external builder. Gossip
# tries an unreachable peer again every 2 s instead of Fabric's 25 s, so that
# peers started one after another reach the other orgs' anchor peers within
# seconds.
startPeer() {
  local org=$1 msp domain port dir data
  msp=$(orgField "$org" msp)
  domain=$(orgField "$org" domain)
  port=$(orgBasePort "$org")
  dir="${ORGS_DIR}/peerOrganizations/${domain}/peers/peer0.${domain}"
  data="${NATIVE_DIR}/data/peer0.${domain}"
  mkdir -p "$data"
  startProcess "peer0.${domain}" env FABRIC_CFG_PATH="$FABRIC_CFG_DIR" FABRIC_LOGGING_SPEC=INFO \
    CORE_PEER_ID="peer0.${domain}" CORE_PEER_ADDRESS="localhost:${port}" \
    CORE_PEER_LISTENADDRESS="127.0.0.1:${port}" CORE_PEER_CHAINCODEADDRESS="localhost:$((port + 1))" \
    CORE_PEER_CHAINCODELISTENADDRESS="127.0.0.1:$((port + 1))" \
    CORE_PEER_GOSSIP_BOOTSTRAP="localhost:${port}" CORE_PEER_GOSSIP_EXTERNALENDPOINT="localhost:${port}" \
    CORE_PEER_GOSSIP_RECONNECTINTERVAL=2s \
    CORE_PEER_LOCALMSPID="$msp" CORE_PEER_MSPCONFIGPATH="${dir}/msp" \
    CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_CERT_FILE="${dir}/tls/server.crt" \
    CORE_PEER_TLS_KEY_FILE="${dir}/tls/server.key" CORE_PEER_TLS_ROOTCERT_FILE="${dir}/tls/ca.crt" \
    CORE_PEER_FILESYSTEMPATH="$data" CORE_LEDGER_SNAPSHOTS_ROOTDIR="${data}/snapshots" \
    CORE_OPERATIONS_LISTENADDRESS="127.0.0.1:$((port + 2))" CORE_METRICS_PROVIDER=disabled \
    CORE_PEER_PROFILE_ENABLED="$NATIVE_BENCH" CORE_PEER_PROFILE_LISTENADDRESS="127.0.0.1:$(profilePort "$org")" peer node start
}

# startChaincodeProcess builds the warrant chaincode and serves it as the package
# PACKAGE_ID on 127.0.0.1, where connection.json points the peers.
startChaincodeProcess() {
  infoln "Building the warrant chaincode (chaincode/)"
  (cd "$ROOT_DIR" && go build -o "${NATIVE_DIR}/bin/warrant-chaincode" ./chaincode) ||
    fatalln "could not build the warrant chaincode"
  startProcess chaincode env CHAINCODE_SERVER_ADDRESS="127.0.0.1:${CHAINCODE_PORT}" \
    CORE_CHAINCODE_ID_NAME="$PACKAGE_ID" WARRANT_ASSOCIATION_MSP="$(orgField assoc msp)" "${NATIVE_DIR}/bin/warrant-chaincode"
  waitFor 30 "warrant chaincode on localhost:${CHAINCODE_PORT}" portOpen "$CHAINCODE_PORT" ||
    fatalln "the chaincode does not listen on localhost:${CHAINCODE_PORT}: see ${NATIVE_DIR}/logs/chaincode.log"
}

# writeConnectionJSON [port] writes the chaincode package's connection.json
# (CCAAS_CONNECTION): the Docker network's, with the chaincode's local address
# (default port CHAINCODE_PORT).
writeConnectionJSON() {
  mkdir -p "$BUILD_DIR"
  jq --arg address "localhost:${1:-$CHAINCODE_PORT}" '.address = $address' "${CCAAS_DIR}/connection.json" >"$CCAAS_CONNECTION" ||
    fatalln "cannot write ${CCAAS_CONNECTION}"
}

# deployBenchChaincode deploys network/fabric/benchcc, the trivial put chaincode,
# as chaincode BENCH_CC_NAME beside the warrant chaincode: the same channel, the
# same endorsement policy (the channel's default), no collections; it serves as a
# local process on BENCH_CHAINCODE_PORT.
deployBenchChaincode() {
  # shellcheck disable=SC2034  # CC_COLL_CONFIG and CC_SEQUENCE are read by deployPackage's steps
  local CC_NAME=$BENCH_CC_NAME CC_COLL_CONFIG="" CC_SEQUENCE=auto PACKAGE_ID=""
  local CCAAS_CONNECTION="${BUILD_DIR}/${BENCH_CC_NAME}-connection.json"
  infoln "Deploying the trivial put chaincode ${CC_NAME} (network/fabric/benchcc) for benchmarks"
  writeConnectionJSON "$BENCH_CHAINCODE_PORT"
  deployPackage
  (cd "$ROOT_DIR" && go build -o "${NATIVE_DIR}/bin/${CC_NAME}" ./network/fabric/benchcc) ||
    fatalln "could not build network/fabric/benchcc"
  startProcess "$CC_NAME" env CHAINCODE_SERVER_ADDRESS="127.0.0.1:${BENCH_CHAINCODE_PORT}" \
    CORE_CHAINCODE_ID_NAME="$PACKAGE_ID" "${NATIVE_DIR}/bin/${CC_NAME}"
  waitFor 30 "${CC_NAME} chaincode on localhost:${BENCH_CHAINCODE_PORT}" portOpen "$BENCH_CHAINCODE_PORT" ||
    fatalln "${CC_NAME} does not listen on localhost:${BENCH_CHAINCODE_PORT}: see ${NATIVE_DIR}/logs/${CC_NAME}.log"
  waitEndorsable
}

# endorsable succeeds when every peer's discovery service names enough endorsers
# of the warrant chaincode for its endorsement policy, and knows the peer of every
# org with the chaincode installed: the gateway of a peer derives its endorsement
# plans from exactly this. It refuses submits ("no combination of peers can be
# derived which satisfy the endorsement policy") until gossip has told the peer
# where the chaincode is installed, and refuses those whose key-level policy names
# an org (custody, R10) until gossip has joined it to that org's peer.
endorsable() {
  local org domain orgDir user layouts peers
  for org in "${WARRANT_ORGS[@]}"; do
    domain=$(orgField "$org" domain)
    orgDir="${ORGS_DIR}/peerOrganizations/${domain}"
    user="${orgDir}/users/User1@${domain}/msp"
    local query=(--channel "$CHANNEL_NAME" --server "localhost:$(orgBasePort "$org")"
      --peerTLSCA "${orgDir}/peers/peer0.${domain}/tls/ca.crt" --userKey "${user}/keystore/priv_sk"
      --userCert "${user}/signcerts/cert.pem" --MSP "$(orgField "$org" msp)")
    if ! layouts=$(FABRIC_LOGGING_SPEC=error discover endorsers --chaincode "$CC_NAME" "${query[@]}" 2>&1) ||
      ! jq -e '.[0].Layouts | length > 0' <<<"$layouts" >/dev/null 2>&1; then
      printf 'peer0.%s: %s\n' "$domain" "$(tail -1 <<<"$layouts")" >"${NATIVE_DIR}/logs/readiness.last"
      return 1
    fi
    if ! peers=$(FABRIC_LOGGING_SPEC=error discover peers "${query[@]}" 2>&1) ||
      ! jq -e --arg cc "$CC_NAME" --argjson orgs "${#WARRANT_ORGS[@]}" \
        '[.[] | select((.Chaincodes // []) | index($cc))] | length >= $orgs' <<<"$peers" >/dev/null 2>&1; then
      printf 'peer0.%s sees %s\n' "$domain" "$(jq -c '[.[].Endpoint]' <<<"$peers" 2>/dev/null || tail -1 <<<"$peers")" >"${NATIVE_DIR}/logs/readiness.last"
      return 1
    fi
  done
}

# waitEndorsable waits until a submit can be endorsed through every peer's
# gateway: after a chaincode is committed this takes up to about 20 seconds.
waitEndorsable() {
  infoln "Waiting until a submit can be endorsed (at most ${NATIVE_READY_SECONDS}s)"
  waitFor "$NATIVE_READY_SECONDS" "endorsement plans on every peer" endorsable ||
    fatalln "no endorsement plan within ${NATIVE_READY_SECONDS}s: $(cat "${NATIVE_DIR}/logs/readiness.last" 2>/dev/null)"
}

# nativeUp brings the whole native network up and returns when it is ready.
nativeUp() {
  local port org domain
  findFabricBinaries
  if [[ -d "$NATIVE_DIR" ]]; then
    [[ -f "${NATIVE_DIR}/${NATIVE_MARKER}" ]] || fatalln "${NATIVE_DIR} exists and is not a native warrants network: choose another --dir"
    ! nativeRunning || fatalln "the native network in ${NATIVE_DIR} is running: run 'scripts/network.sh native down' first"
    rm -rf "$NATIVE_DIR"
  fi
  for port in $(nativePorts); do
    ! portOpen "$port" || fatalln "port ${port} is in use: choose another --base-port"
  done
  mkdir -p "${NATIVE_DIR}/pids" "${NATIVE_DIR}/logs" "${NATIVE_DIR}/bin"
  touch "${NATIVE_DIR}/${NATIVE_MARKER}"
  echo "$BASE_PORT" >"${NATIVE_DIR}/base-port"
  infoln "Native network in ${NATIVE_DIR}, base port ${BASE_PORT}, Fabric $(peer version | sed -n 's/^ *Version: //p' | head -1) from ${FABRIC_HOME}"
  writeNativeConfig

  infoln "Starting the Fabric CAs"
  startCAs
  createOrgsWithCA

  infoln "Starting the orderer and the peers"
  startOrderer
  for org in "${WARRANT_ORGS[@]}"; do
    startPeer "$org"
  done
  waitFor 60 "orderer on localhost:${BASE_PORT}" portOpen "$((BASE_PORT + 1))" ||
    fatalln "the orderer did not start: see ${NATIVE_DIR}/logs/orderer.log"
  for org in "${WARRANT_ORGS[@]}"; do
    domain=$(orgField "$org" domain)
    waitFor 60 "peer0.${domain} on localhost:$(orgBasePort "$org")" portOpen "$(orgBasePort "$org")" ||
      fatalln "peer0.${domain} did not start: see ${NATIVE_DIR}/logs/peer0.${domain}.log"
  done

  usePeerConfig
  joinChannel
  writeConnectionJSON
  deployDefinition
  startChaincodeProcess
  writeProfiles "$NATIVE_DIR" "$CHANNEL_NAME" "$CC_NAME"
  waitEndorsable
  if [[ "$NATIVE_BENCH" == true ]]; then
    deployBenchChaincode
  fi
  nativeStatus
  successln "native network ready"
}

# nativeDown stops the processes whose pid files `up` wrote, then deletes the
# network's directory.
nativeDown() {
  local file pid name deadline
  if [[ ! -d "$NATIVE_DIR" ]]; then
    infoln "No native network in ${NATIVE_DIR}"
    return 0
  fi
  [[ -f "${NATIVE_DIR}/${NATIVE_MARKER}" ]] || fatalln "${NATIVE_DIR} is not a native warrants network: nothing removed"
  for file in "${NATIVE_DIR}/pids"/*.pid; do
    [[ -f "$file" ]] || continue
    pid=$(<"$file")
    name=$(basename "$file" .pid)
    if ownProcess "$pid"; then
      infoln "Stopping ${name} (pid ${pid})"
      kill -TERM "$pid" 2>/dev/null || true
    else
      rm -f "$file"
    fi
  done
  for file in "${NATIVE_DIR}/pids"/*.pid; do
    [[ -f "$file" ]] || continue
    pid=$(<"$file")
    deadline=$((SECONDS + 15))
    while pidAlive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
    if pidAlive "$pid"; then
      warnln "$(basename "$file" .pid) (pid ${pid}) ignored SIGTERM: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  done
  rm -rf "$NATIVE_DIR"
  successln "Native network stopped; ${NATIVE_DIR} removed"
}

# nativeStatus prints the processes of the native network and its endpoints.
nativeStatus() {
  local file pid state org domain
  [[ -f "${NATIVE_DIR}/${NATIVE_MARKER}" ]] || fatalln "no native network in ${NATIVE_DIR}"
  println "Native network in ${NATIVE_DIR} (base port ${BASE_PORT}):"
  for file in "${NATIVE_DIR}/pids"/*.pid; do
    [[ -f "$file" ]] || continue
    pid=$(<"$file")
    state=stopped
    if pidAlive "$pid"; then state=running; fi
    printf '  %-28s pid %-8s %s\n' "$(basename "$file" .pid)" "$pid" "$state"
  done
  println "  orderer localhost:${BASE_PORT} (admin localhost:$((BASE_PORT + 1))), channel ${CHANNEL_NAME}, chaincode ${CC_NAME}"
  for org in "${WARRANT_ORGS[@]}"; do
    domain=$(orgField "$org" domain)
    println "  $(orgField "$org" msp): peer0.${domain} localhost:$(orgBasePort "$org"), CA localhost:$(orgField "$org" caPort)"
    println "    profile ${ORGS_DIR}/peerOrganizations/${domain}/$(profileName "$(orgField "$org" msp)" connection json)"
    println "    env     ${ORGS_DIR}/peerOrganizations/${domain}/$(profileName "$(orgField "$org" msp)" env sh)"
  done
  if [[ -f "${NATIVE_DIR}/pids/${BENCH_CC_NAME}.pid" ]]; then
    println "  benchmarks: chaincode ${BENCH_CC_NAME} (Put) on localhost:${BENCH_CHAINCODE_PORT}; peers' pprof on localhost:$((BASE_PORT + 7))-$((BASE_PORT + 9))"
  fi
  println "  warrantctl --dir ${NATIVE_DIR} --as Jinggong@AssociationMSP ..."
}

# native <up|down|status|addOrg ORG|removeOrg ORG> [--dir DIR] [--base-port N] [--bench]
# [--batch-timeout D] [--batch-size N] runs a verb of the native network.
native() {
  local verb=${1:-} dir="${ROOT_DIR}/.fabric" base="" rest=() org=""
  # The peer CLI and the CA client log every gRPC event at INFO.
  export FABRIC_LOGGING_SPEC="${FABRIC_LOGGING_SPEC:-warning}"
  shift || true
  while (($# > 0)); do
    case "$1" in
      --dir)
        dir=$(flagValue "$@")
        shift
        ;;
      --base-port)
        base=$(flagValue "$@")
        shift
        ;;
      bank2 | core2) org=$1 ;;
      --bench) NATIVE_BENCH=true ;;
      --batch-timeout)
        NATIVE_BATCH_TIMEOUT=$(flagValue "$@")
        shift
        ;;
      --batch-size)
        NATIVE_BATCH_SIZE=$(flagValue "$@")
        shift
        ;;
      *) rest+=("$1") ;;
    esac
    shift
  done
  parseFlags "${rest[@]}"
  mkdir -p "$(dirname "$dir")"
  dir="$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")"
  if [[ -z "$base" ]]; then
    base=$(cat "${dir}/base-port" 2>/dev/null || echo "$NATIVE_DEFAULT_BASE_PORT")
  fi
  nativeLayout "$dir" "$base"
  # A network brought up again starts with the three orgs.
  [[ "$verb" == up ]] || loadAddedOrgs
  case "$verb" in
    up) nativeUp ;;
    down) nativeDown ;;
    status) nativeStatus ;;
    addOrg) nativeAddOrg "$org" ;;
    removeOrg) nativeRemoveOrg "$org" ;;
    *)
      printHelp >&2
      fatalln "native needs one of: up, down, status, addOrg, removeOrg"
      ;;
  esac
}
