#!/usr/bin/env bash
#
# The organisations of the warrants network and the peer CLI environment for each,
# like fabric-samples' envVar.sh. Sourced, never run; needs FABRIC_DIR
# (network/fabric) set by the caller. Names and ports agree with
# network/devnet/config/default.yaml (checked by the tests of network/fabric).

# WARRANT_ORGS are the short names of the peer organisations, in channel order.
# shellcheck disable=SC2034 # used by the scripts that source this file
WARRANT_ORGS=(core bank assoc)
# CONSORTIUM_ORGS are the orgs the consortium network adds to those
# (network/devnet/config/consortium.yaml: a second bank and a second core enterprise);
# configtx.yaml defines them and its ConsortiumChannelUsingRaft profile lists them.
# shellcheck disable=SC2034 # used by the scripts that source this file
CONSORTIUM_ORGS=(bank2 core2)

# useLayout <dir> <orderer port> <orderer admin port> <core peer> <bank peer> <assoc peer>
#   <core CA> <bank CA> <assoc CA> <orderer CA> <bank2 peer> <core2 peer> <bank2 CA> <core2 CA>
# sets where the network keeps its files (organizations/ and channel-artifacts/ in
# <dir>) and the ports the scripts reach on localhost. The Docker network uses
# network/fabric and the ports of the compose files (the default below); the native
# network (native.sh) uses its own directory and ports derived from a base port.
useLayout() {
  ORGS_DIR="$1/organizations"
  ARTIFACTS_DIR="$1/channel-artifacts"
  ORDERER_ADDRESS="localhost:$2"
  ORDERER_ADMIN_ADDRESS="localhost:$3"
  PEER_PORTS=([core]=$4 [bank]=$5 [assoc]=$6 [bank2]=${11} [core2]=${12})
  CA_PORTS=([core]=$7 [bank]=$8 [assoc]=$9 [bank2]=${13} [core2]=${14})
  ORDERER_CA_PORT=${10}
  ORDERER_TLS_DIR="${ORGS_DIR}/ordererOrganizations/example.com/orderers/${ORDERER_HOST}/tls"
  ORDERER_CA="${ORGS_DIR}/ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem"
  export ORGS_DIR ARTIFACTS_DIR CONFIGTX_DIR ORDERER_HOST ORDERER_ADDRESS ORDERER_ADMIN_ADDRESS ORDERER_TLS_DIR ORDERER_CA
}

ORDERER_HOST=orderer.example.com
declare -A PEER_PORTS CA_PORTS
CONFIGTX_DIR="${FABRIC_DIR}/configtx"
useLayout "$FABRIC_DIR" 7050 7053 7051 9051 11051 7054 8054 11054 9054 13051 15051 12054 14054

# orgRecord <org> prints "<MSP ID> <domain> <peer port> <CA port> <CA name>" for
# an organisation given by short name (core, bank, assoc) or MSP ID.
orgRecord() {
  case "${1:-}" in
    core | CoreEnterpriseMSP) echo "CoreEnterpriseMSP core.example.com ${PEER_PORTS[core]} ${CA_PORTS[core]} ca-core" ;;
    bank | BankMSP) echo "BankMSP bank.example.com ${PEER_PORTS[bank]} ${CA_PORTS[bank]} ca-bank" ;;
    assoc | AssociationMSP) echo "AssociationMSP assoc.example.com ${PEER_PORTS[assoc]} ${CA_PORTS[assoc]} ca-assoc" ;;
    bank2 | Bank2MSP) echo "Bank2MSP bank2.example.com ${PEER_PORTS[bank2]} ${CA_PORTS[bank2]} ca-bank2" ;;
    core2 | CoreEnterprise2MSP) echo "CoreEnterprise2MSP core2.example.com ${PEER_PORTS[core2]} ${CA_PORTS[core2]} ca-core2" ;;
    *)
      echo "unknown organisation '${1:-}': use one of ${WARRANT_ORGS[*]}" >&2
      return 1
      ;;
  esac
}

# orgField <org> <msp|domain|peerPort|caPort|caName> prints one field of orgRecord.
orgField() {
  local record msp domain peerPort caPort caName
  record=$(orgRecord "$1") || return 1
  read -r msp domain peerPort caPort caName <<<"$record"
  case "$2" in
    msp) echo "$msp" ;;
    domain) echo "$domain" ;;
    peerPort) echo "$peerPort" ;;
    caPort) echo "$caPort" ;;
    caName) echo "$caName" ;;
    *)
      echo "unknown organisation field '$2'" >&2
      return 1
      ;;
  esac
}

# peerTLSRootCert <org> prints the TLS root certificate file of the org's peer.
peerTLSRootCert() {
  local domain
  domain=$(orgField "$1" domain) || return 1
  echo "${ORGS_DIR}/peerOrganizations/${domain}/tlsca/tlsca.${domain}-cert.pem"
}

# setGlobals <org> points the peer CLI at the org's peer as the org's admin.
setGlobals() {
  local msp domain port
  msp=$(orgField "${1:-}" msp) || return 1
  domain=$(orgField "$1" domain)
  port=$(orgField "$1" peerPort)
  export CORE_PEER_TLS_ENABLED=true
  export CORE_PEER_LOCALMSPID="$msp"
  export CORE_PEER_TLS_ROOTCERT_FILE="${ORGS_DIR}/peerOrganizations/${domain}/tlsca/tlsca.${domain}-cert.pem"
  export CORE_PEER_MSPCONFIGPATH="${ORGS_DIR}/peerOrganizations/${domain}/users/Admin@${domain}/msp"
  export CORE_PEER_ADDRESS="localhost:${port}"
  if [[ "${VERBOSE:-false}" == true ]]; then
    env | grep '^CORE_PEER_' | sort
  fi
}

# peerConnectionParams <org...> prints, one per line, the --peerAddresses and
# --tlsRootCertFiles arguments that target the peers of the given orgs.
peerConnectionParams() {
  local org port
  for org in "$@"; do
    port=$(orgField "$org" peerPort) || return 1
    printf '%s\n' --peerAddresses "localhost:${port}" --tlsRootCertFiles "$(peerTLSRootCert "$org")"
  done
}
