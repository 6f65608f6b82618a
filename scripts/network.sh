#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../network/fabric
#
# One-command entry point to the warrants networks, with the verbs of
# fabric-samples' test-network:
#
#   prereq          check Docker, Docker Compose, the Fabric 2.5+ binaries and jq
#   up              start the orderer and the three peers (network/fabric/compose)
#   createChannel   create channel "warrants" and join the peers
#   deployCCAAS     deploy the warrant chaincode as a service
#   down            stop everything, remove volumes and generated material
#   native ...      the same network from the Fabric binaries as local processes
#                   (no Docker): native up|down|status|addOrg|removeOrg
#   envfiles        write the fabric-samples environment files of a network
#   dev ...         the embedded dev network (no Docker, no Fabric binaries):
#                   dev up|down|reset|status|addOrg|removeOrg
#
# The configuration lives in network/fabric; names and ports come from
# network/devnet/config/default.yaml. Run `scripts/network.sh --help` for details.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FABRIC_DIR="${ROOT_DIR}/network/fabric"
export ROOT_DIR FABRIC_DIR

source "${FABRIC_DIR}/scripts/utils.sh"
source "${FABRIC_DIR}/scripts/envvar.sh"
source "${FABRIC_DIR}/scripts/prereq.sh"
source "${FABRIC_DIR}/scripts/channel.sh"
source "${FABRIC_DIR}/scripts/ccaas.sh"
source "${FABRIC_DIR}/fabric-ca/registerEnroll.sh"
source "${FABRIC_DIR}/scripts/profiles.sh"
source "${FABRIC_DIR}/scripts/native.sh"
source "${FABRIC_DIR}/scripts/addorg.sh"

# Defaults, changed by flags.
CHANNEL_NAME=warrants
CRYPTO=cryptogen
DATABASE=leveldb
MAX_RETRY=5
CLI_DELAY=3
CC_VERSION=1.0
CC_SEQUENCE=auto
CC_COLL_CONFIG=""
VERBOSE=false
export VERBOSE

# printHelp prints the usage of the script.
printHelp() {
  cat <<USAGE
Usage:
  scripts/network.sh <verb> [flags]

Verbs of the Fabric network (Docker and Fabric 2.5+ binaries needed):
  prereq          Check Docker, Docker Compose, peer, orderer, configtxgen, cryptogen,
                  osnadmin, fabric-ca-client (PATH, ./bin or \$FABRIC_BIN_DIR) and jq;
                  print what is missing and how to get it. Installs nothing.
  up              Generate crypto material and start the orderer and the peers of
                  CoreEnterpriseMSP, BankMSP and AssociationMSP.
                    -ca             use Fabric CAs: users get scf.entity/scf.role
                                    attributes (cryptogen users have none)
                    -s <dbtype>     state database: leveldb (default) or couchdb
                  'up createChannel' also creates the channel.
  createChannel   Create channel '${CHANNEL_NAME}' (configtxgen, osnadmin) and join the
                  three peers; anchor peers come with the genesis block.
                    -c <name>       channel name (default ${CHANNEL_NAME})
  deployCCAAS     Package ccaas/connection.json + metadata.json, install on the three
                  peers, approve for each org, commit, and start the warrant_ccaas
                  container built from chaincode/Dockerfile.
                    -ccv <version>  chaincode version (default ${CC_VERSION})
                    -ccs <sequence> definition sequence: auto (default) or a number
                    -cccg <file>    private data collections config (default
                                    chaincode/collections_config.json if present)
  down            Stop and remove the containers and volumes; delete the generated
                  crypto material, channel artifacts and chaincode package.

The native network (Fabric binaries as local processes; no Docker, no /etc/hosts):
  native up       Start one Fabric CA per org (enrolling the cast with scf.entity and
                  scf.role), the raft orderer, the three peers, channel '${CHANNEL_NAME}'
                  (osnadmin) and the warrant chaincode as a service (ccaas builder, a
                  local chaincode process); write a connection profile and an env file
                  per org; return once a submit can be endorsed.
                    --dir <dir>        network directory (default .fabric)
                    --base-port <n>    first port of the block of 35 it uses, 55 with added orgs (default ${NATIVE_DEFAULT_BASE_PORT})
                    --bench            also deploy the trivial put chaincode '${BENCH_CC_NAME}'
                                       (network/fabric/benchcc) and open the peers' pprof
                    --batch-timeout <d>, --batch-size <n>
                                       the orderer's BatchTimeout and MaxMessageCount
                                       (default configtx.yaml's: 50ms, 100)
                  Binaries: \$FABRIC_BIN (a directory with bin/, config/, builders/,
                  or its bin/), else PATH. 'prereq' says how to get them.
  native down     Stop exactly the processes 'native up' started; delete the directory.
  native status   List its processes, endpoints, profiles and env files.
  native addOrg <bank2|core2>
                  Add an org of the consortium (network/devnet/config/consortium.yaml) to
                  the running native network, like fabric-samples' addOrg3: its CA and
                  identities, a channel config update (configtxlator) signed by a
                  majority of the admins, its peer joined (it catches up from the
                  blocks), the chaincode installed and the definition approved for it.
                  Then register it on the ledger: warrantctl register-member (R34).
  native removeOrg <bank2|core2>
                  Remove an org addOrg added: a config update deleting it, signed by a
                  majority of the admins; its peers' endorsements stop counting.
  envfiles        Write env-<org>.sh beside each connection-<org>.json of a network
                  in fabric-samples' layout (e.g. the dev network's).
                    --dir <dir>        network directory (default .devnet)

The embedded dev network (Go only; no Docker, no Fabric binaries):
  dev up|down|reset|status [args]   up, reset, status run: go run ./network/cmd/devnet <verb> [args]
                                    (down: the dev network stops with Ctrl-C in 'dev up')
  dev addOrg <bank2|core2> [--dir <dir>] [--signers <MSP,...>]
                  Add an org of the consortium to the dev network 'dev up' runs, the same
                  flow as native addOrg: a channel config update computed with
                  fabric-config, signed by a majority of the admins (or --signers),
                  ordered by the dev orderer; the org's peer starts and catches up from
                  the blocks, with its own chaincode process. Then register it on the
                  ledger: warrantctl register-member (R34).
  dev removeOrg <bank2|core2> [--dir <dir>] [--signers <MSP,...>]
                  Remove an org from the dev network's channel (a majority of the admins
                  sign); its peer stops and its endorsements stop counting.

Common flags:
  -r <max retry>  attempts of the CLI steps (default ${MAX_RETRY})
  -d <delay>      seconds between attempts (default ${CLI_DELAY})
  -verbose        print the peer CLI environment
  -h, --help      print this message

Examples:
  scripts/network.sh prereq
  scripts/network.sh up createChannel -ca -s couchdb
  scripts/network.sh deployCCAAS
  scripts/network.sh down
  scripts/network.sh dev up
  scripts/network.sh dev addOrg bank2
  FABRIC_BIN=/opt/fabric scripts/network.sh native up --base-port 27050
  source .fabric/organizations/peerOrganizations/assoc.example.com/env-association.sh
  scripts/network.sh native down
USAGE
}

# parseFlags sets the options from the flags after the verb.
parseFlags() {
  while (($# > 0)); do
    case "$1" in
      -h | --help)
        printHelp
        exit 0
        ;;
      -ca) CRYPTO=ca ;;
      -s)
        DATABASE=$(flagValue "$@")
        shift
        [[ "$DATABASE" == leveldb || "$DATABASE" == goleveldb || "$DATABASE" == couchdb ]] ||
          fatalln "unknown state database '${DATABASE}': use leveldb or couchdb"
        ;;
      -c)
        CHANNEL_NAME=$(flagValue "$@")
        shift
        ;;
      -r)
        MAX_RETRY=$(flagValue "$@")
        shift
        ;;
      -d)
        CLI_DELAY=$(flagValue "$@")
        shift
        ;;
      -ccv)
        CC_VERSION=$(flagValue "$@")
        shift
        ;;
      -ccs)
        CC_SEQUENCE=$(flagValue "$@")
        shift
        ;;
      -cccg)
        CC_COLL_CONFIG=$(flagValue "$@")
        shift
        ;;
      -verbose) VERBOSE=true ;;
      *)
        printHelp >&2
        fatalln "unknown flag '$1'"
        ;;
    esac
    shift
  done
}

# flagValue <flag> <value> prints the value of a flag or exits when it is missing.
flagValue() {
  if (($# < 2)) || [[ "$2" == -* ]]; then
    fatalln "flag $1 needs a value"
  fi
  printf '%s\n' "$2"
}

# createOrgs generates the crypto material with cryptogen or the Fabric CAs.
createOrgs() {
  local spec
  rm -rf "${ORGS_DIR}/peerOrganizations" "${ORGS_DIR}/ordererOrganizations"
  if [[ "$CRYPTO" == ca ]]; then
    command -v fabric-ca-client >/dev/null 2>&1 || fatalln "fabric-ca-client not found: run 'scripts/network.sh prereq'"
    infoln "Generating certificates with the Fabric CAs"
    compose -f "$(composeFile compose-ca.yaml)" up -d || fatalln "could not start the Fabric CAs"
    createOrgsWithCA
  else
    command -v cryptogen >/dev/null 2>&1 || fatalln "cryptogen not found: run 'scripts/network.sh prereq'"
    warnln "Generating certificates with cryptogen: users carry no scf.entity/scf.role, so the warrant chaincode grants them no role; use 'up -ca' for users with roles"
    for spec in orderer core bank assoc; do
      cryptogen generate --config="${FABRIC_DIR}/cryptogen/crypto-config-${spec}.yaml" --output="$ORGS_DIR" ||
        fatalln "cryptogen failed for ${spec}"
    done
  fi
  successln "Crypto material in ${ORGS_DIR}"
}

# networkUp generates crypto material when there is none and starts the nodes.
networkUp() {
  local files
  docker info >/dev/null 2>&1 || fatalln "the Docker engine is not reachable: run 'scripts/network.sh prereq'"
  composeCmd >/dev/null || fatalln "Docker Compose not found: run 'scripts/network.sh prereq'"
  if [[ ! -d "${ORGS_DIR}/peerOrganizations" ]]; then
    createOrgs
  fi
  files=(-f "$(composeFile compose-test-net.yaml)")
  if [[ "$DATABASE" == couchdb ]]; then
    files+=(-f "$(composeFile compose-couch.yaml)")
  fi
  compose "${files[@]}" up -d || fatalln "could not start the network"
  docker ps --filter label=service=hyperledger-fabric
  successln "Network up: orderer.example.com:7050, peers on 7051 (core), 9051 (bank), 11051 (assoc)"
}

# networkDown removes the containers, volumes and generated files.
networkDown() {
  local files=()
  local file
  for file in compose-test-net.yaml compose-couch.yaml compose-ca.yaml compose-ccaas.yaml; do
    files+=(-f "$(composeFile "$file")")
  done
  if docker info >/dev/null 2>&1 && composeCmd >/dev/null; then
    CHAINCODE_ID="${CHAINCODE_ID:-none}" compose "${files[@]}" down --volumes --remove-orphans ||
      warnln "docker compose down reported an error"
    # Files written by the CA containers belong to root: remove them in a container.
    if [[ -d "$ORGS_DIR" ]]; then
      docker run --rm -v "${FABRIC_DIR}:/data" busybox rm -rf /data/organizations ||
        warnln "could not remove ${ORGS_DIR} in a container"
    fi
  else
    warnln "Docker is not reachable: only the generated files are removed"
  fi
  rm -rf "$ORGS_DIR" "$ARTIFACTS_DIR" "$BUILD_DIR"
  successln "Network down; generated material removed"
}

# devnet runs a verb of the embedded dev network.
devnet() {
  local verb=${1:-}
  case "$verb" in
    up | reset | status)
      shift
      cd "$ROOT_DIR"
      exec go run ./network/cmd/devnet "$verb" "$@"
      ;;
    addOrg | removeOrg)
      shift
      cd "$ROOT_DIR"
      exec go run ./network/cmd/devnet "$(tr '[:upper:]' '[:lower:]' <<<"$verb")" "$@"
      ;;
    down)
      errorln "The dev network runs in the foreground of 'scripts/network.sh dev up': stop it there (Ctrl-C)."
      errorln "'scripts/network.sh dev reset' then removes its crypto material, ledgers and blocks."
      return 1
      ;;
    *)
      printHelp >&2
      fatalln "dev needs one of: up, down, reset, status, addOrg, removeOrg"
      ;;
  esac
}

main() {
  local verb=${1:-}
  if [[ -z "$verb" ]]; then
    printHelp >&2
    exit 1
  fi
  shift
  case "$verb" in
    -h | --help | help)
      printHelp
      ;;
    prereq)
      parseFlags "$@"
      checkPrereqs
      ;;
    dev)
      devnet "$@"
      ;;
    native)
      native "$@"
      ;;
    envfiles)
      local dir="${ROOT_DIR}/.devnet"
      if [[ "${1:-}" == --dir ]]; then
        dir=$(flagValue "$@")
        shift 2
      fi
      parseFlags "$@"
      writeEnvFiles "$dir"
      successln "Environment files written beside the connection profiles in ${dir}"
      ;;
    up)
      local alsoChannel=false
      if [[ "${1:-}" == createChannel ]]; then
        alsoChannel=true
        shift
      fi
      parseFlags "$@"
      useFabricBinaries
      networkUp
      if [[ "$alsoChannel" == true ]]; then
        createChannel
      fi
      ;;
    createChannel)
      parseFlags "$@"
      useFabricBinaries
      createChannel
      ;;
    deployCCAAS)
      parseFlags "$@"
      useFabricBinaries
      deployCCAAS
      ;;
    down)
      parseFlags "$@"
      networkDown
      ;;
    *)
      printHelp >&2
      fatalln "unknown verb '${verb}'"
      ;;
  esac
}

main "$@"
