#!/usr/bin/env bash
#
# Connection profiles and fabric-samples environment files, one of each per org.
# Sourced, never run; needs utils.sh and envvar.sh, and jq.
#
# In an org's directory (organizations/peerOrganizations/<domain>):
#   connection-<org>.json  a common connection profile, as client.LoadProfile reads it
#                          and as the dev network writes it (<org> is the MSP ID
#                          without "MSP", in lower case: coreenterprise, bank, association)
#   env-<org>.sh           `source` it: CORE_PEER_* for the peer CLI and warrantctl, and
#                          the variables of fabric-samples' gateway applications
#                          (MSP_ID, CRYPTO_PATH, CERT_DIRECTORY_PATH, ...), as User1
# `writeEnvFiles` derives the environment files from the profiles of any network in
# fabric-samples' layout, the dev network's included.

# profileName <MSP ID> <prefix> <extension> prints "<prefix>-<org>.<extension>".
profileName() {
  local org=${1%MSP}
  printf '%s-%s.%s\n' "$2" "${org,,}" "$3"
}

# writeProfiles <dir> <channel> <chaincode> writes the connection profile of every
# org's peer of the network in <dir> (the layout ORGS_DIR and orgField describe),
# then the environment files.
writeProfiles() {
  local dir=$1 channel=$2 chaincode=$3 org msp domain orgDir peer
  for org in "${WARRANT_ORGS[@]}"; do
    msp=$(orgField "$org" msp)
    domain=$(orgField "$org" domain)
    orgDir="${dir}/organizations/peerOrganizations/${domain}"
    peer="peer0.${domain}"
    jq -n --arg msp "$msp" --arg peer "$peer" --arg url "grpcs://localhost:$(orgField "$org" peerPort)" \
      --rawfile pem "${orgDir}/peers/${peer}/tls/ca.crt" --arg channel "$channel" --arg chaincode "$chaincode" '{
        name: ("warrants-" + $msp), version: "1.0.0",
        client: {organization: $msp},
        organizations: {($msp): {mspid: $msp, peers: [$peer]}},
        peers: {($peer): {url: $url, tlsCACerts: {pem: $pem},
          grpcOptions: {"ssl-target-name-override": $peer, hostnameOverride: $peer}}},
        channels: {($channel): {peers: {($peer): {}}, chaincodes: [$chaincode]}}
      }' >"${orgDir}/$(profileName "$msp" connection json)" || fatalln "cannot write the connection profile of ${msp}"
  done
  writeEnvFiles "$dir"
}

# writeEnvFiles <dir> writes env-<org>.sh beside every connection-<org>.json under
# <dir>/organizations/peerOrganizations.
writeEnvFiles() {
  local dir profile orgDir domain msp peer url address channel chaincode tlsRoot userMSP out
  dir=$(cd "$1" && pwd) || fatalln "no network directory $1"
  for profile in "${dir}"/organizations/peerOrganizations/*/connection-*.json; do
    [[ -f "$profile" ]] || continue
    orgDir=$(dirname "$profile")
    domain=$(basename "$orgDir")
    msp=$(jq -r '.client.organization' "$profile")
    peer=$(jq -r '.organizations[.client.organization].peers[0]' "$profile")
    url=$(jq -r --arg peer "$peer" '.peers[$peer].url' "$profile")
    address=${url#*://}
    channel=$(jq -r '(.channels // {} | keys | first) // "warrants"' "$profile")
    chaincode=$(jq -r --arg ch "$channel" '(.channels[$ch].chaincodes // [] | first) // "warrant"' "$profile")
    tlsRoot="${orgDir}/peers/${peer}/tls/ca.crt"
    if [[ ! -f "$tlsRoot" ]]; then
      tlsRoot="${orgDir}/tlsca-${peer}.pem"
      jq -r --arg peer "$peer" '.peers[$peer].tlsCACerts.pem' "$profile" >"$tlsRoot"
    fi
    userMSP="${orgDir}/users/User1@${domain}/msp"
    out="${orgDir}/$(profileName "$msp" env sh)"
    {
      echo "# fabric-samples environment of ${msp} (User1) on channel ${channel}: source this file."
      echo "# Used by the peer CLI, warrantctl and fabric-samples' gateway applications. For peer"
      echo "# admin commands, set CORE_PEER_MSPCONFIGPATH=${orgDir}/users/Admin@${domain}/msp."
      printf 'export %s=%q\n' \
        CORE_PEER_TLS_ENABLED "$([[ "$url" == grpcs://* ]] && echo true || echo false)" \
        CORE_PEER_LOCALMSPID "$msp" \
        CORE_PEER_ADDRESS "$address" \
        CORE_PEER_TLS_ROOTCERT_FILE "$tlsRoot" \
        CORE_PEER_MSPCONFIGPATH "$userMSP" \
        CHANNEL_NAME "$channel" \
        CHAINCODE_NAME "$chaincode" \
        MSP_ID "$msp" \
        CRYPTO_PATH "$orgDir" \
        CERT_DIRECTORY_PATH "${userMSP}/signcerts" \
        KEY_DIRECTORY_PATH "${userMSP}/keystore" \
        TLS_CERT_PATH "$tlsRoot" \
        PEER_ENDPOINT "dns:///${address}" \
        PEER_HOST_ALIAS "$peer"
    } >"$out"
  done
}
