#!/usr/bin/env bash
#
# `scripts/network.sh deployCCAAS`: deploys the warrant chaincode as a service,
# like fabric-samples' deployCCAAS.sh. The package holds only ../ccaas/connection.json
# (where the peers dial the chaincode) and ../ccaas/metadata.json (type ccaas); the
# peers' ccaas_builder runs nothing, and the chaincode runs in the warrant_ccaas
# container of ../compose/compose-ccaas.yaml, built from chaincode/Dockerfile.
# Sourced, never run; needs utils.sh, envvar.sh and channel.sh.

CC_NAME=warrant
CCAAS_DIR="${FABRIC_DIR}/ccaas"
BUILD_DIR="${FABRIC_DIR}/build"
CCAAS_CONNECTION="${CCAAS_DIR}/connection.json"

# packageChaincode writes build/warrant.tar.gz (metadata.json + code.tar.gz holding
# connection.json) and sets PACKAGE_ID. An existing package with the same label is
# reused, so running deployCCAAS again keeps the package id.
packageChaincode() {
  local tmp label pkg="${BUILD_DIR}/${CC_NAME}.tar.gz"
  label="${CC_NAME}_${CC_VERSION}"
  if [[ ! -f "$pkg" || "$(tar -xzOf "$pkg" metadata.json 2>/dev/null | jq -r .label 2>/dev/null)" != "$label" ]]; then
    tmp=$(mktemp -d)
    mkdir -p "$BUILD_DIR"
    jq --arg name "$label" '.label = $name' "${CCAAS_DIR}/metadata.json" >"${tmp}/metadata.json" ||
      fatalln "cannot read ${CCAAS_DIR}/metadata.json"
    cp "$CCAAS_CONNECTION" "${tmp}/connection.json"
    tar -C "$tmp" -czf "${tmp}/code.tar.gz" connection.json
    tar -C "$tmp" -czf "$pkg" metadata.json code.tar.gz
    rm -rf "$tmp"
  fi
  PACKAGE_ID=$(peer lifecycle chaincode calculatepackageid "$pkg") ||
    fatalln "cannot compute the package id of ${pkg}"
  export PACKAGE_ID
  successln "Packaged ${label} (${PACKAGE_ID}), chaincode address $(jq -r .address "$CCAAS_CONNECTION")"
}

# installChaincode <org> installs the package on the org's peer unless it is there.
installChaincode() {
  local installed
  setGlobals "$1"
  installed=$(peer lifecycle chaincode queryinstalled --output json | jq -r '.installed_chaincodes[]?.package_id')
  if grep -qxF "$PACKAGE_ID" <<<"$installed"; then
    infoln "Already installed on peer0.$(orgField "$1" domain)"
    return 0
  fi
  peer lifecycle chaincode install "${BUILD_DIR}/${CC_NAME}.tar.gz"
}

# resolveSequence sets CC_SEQUENCE to 1 + the committed sequence when it is "auto".
resolveSequence() {
  local committed
  if [[ "$CC_SEQUENCE" != auto ]]; then
    return 0
  fi
  setGlobals "${WARRANT_ORGS[0]}"
  if committed=$(peer lifecycle chaincode querycommitted --channelID "$CHANNEL_NAME" --name "$CC_NAME" --output json 2>/dev/null); then
    CC_SEQUENCE=$(($(jq -r '.sequence' <<<"$committed") + 1))
  else
    CC_SEQUENCE=1
  fi
  infoln "Chaincode definition sequence: ${CC_SEQUENCE}"
}

# definitionArgs prints, one per line, the arguments naming the chaincode
# definition. The endorsement policy is the channel's default, "MAJORITY
# Endorsement" (/Channel/Application/Endorsement in configtx.yaml).
definitionArgs() {
  printf '%s\n' --channelID "$CHANNEL_NAME" --name "$CC_NAME" --version "$CC_VERSION" --sequence "$CC_SEQUENCE"
  if [[ -n "$CC_COLL_CONFIG" ]]; then
    printf '%s\n' --collections-config "$CC_COLL_CONFIG"
  fi
}

# ordererArgs prints, one per line, the arguments reaching the orderer over TLS.
ordererArgs() {
  printf '%s\n' -o "$ORDERER_ADDRESS" --ordererTLSHostnameOverride "$ORDERER_HOST" --tls --cafile "$ORDERER_CA"
}

# approveForMyOrg <org> approves the definition for the org.
approveForMyOrg() {
  local args
  setGlobals "$1"
  mapfile -t args < <(ordererArgs; definitionArgs)
  peer lifecycle chaincode approveformyorg "${args[@]}" --package-id "$PACKAGE_ID"
}

# commitReady <org> succeeds when every org has approved the definition.
commitReady() {
  local args readiness msp org
  setGlobals "$1"
  mapfile -t args < <(definitionArgs)
  readiness=$(peer lifecycle chaincode checkcommitreadiness "${args[@]}" --output json) || return 1
  for org in "${WARRANT_ORGS[@]}"; do
    msp=$(orgField "$org" msp)
    if ! jq -e --arg msp "$msp" '.approvals[$msp] == true' <<<"$readiness" >/dev/null; then
      warnln "not yet approved by ${msp}: ${readiness//[[:space:]]/}"
      return 1
    fi
  done
}

# commitDefinition commits the definition, endorsed by the peers of all orgs.
commitDefinition() {
  local args
  setGlobals "${WARRANT_ORGS[0]}"
  mapfile -t args < <(ordererArgs; definitionArgs; peerConnectionParams "${WARRANT_ORGS[@]}")
  peer lifecycle chaincode commit "${args[@]}"
}

# queryCommitted <org> shows the committed definition on the org's peer.
queryCommitted() {
  setGlobals "$1" && peer lifecycle chaincode querycommitted --channelID "$CHANNEL_NAME" --name "$CC_NAME"
}

# startChaincode builds and starts the warrant_ccaas container with the package id.
startChaincode() {
  infoln "Building and starting the warrant_ccaas container (chaincode/Dockerfile)"
  CHAINCODE_ID="$PACKAGE_ID" compose -f "$(composeFile compose-ccaas.yaml)" up -d --build ||
    fatalln "could not start the warrant_ccaas container"
  successln "warrant_ccaas serves ${PACKAGE_ID} on warrant_ccaas:9999"
}

# deployCCAAS packages, installs, approves and commits the chaincode, then starts it.
deployCCAAS() {
  requireRunningNetwork
  usePeerConfig
  [[ -f "${ROOT_DIR}/chaincode/Dockerfile" ]] || fatalln "${ROOT_DIR}/chaincode/Dockerfile not found"
  deployDefinition
  startChaincode
  successln "Chaincode '${CC_NAME}' deployed on channel '${CHANNEL_NAME}' (package ${PACKAGE_ID})"
}

# deployDefinition packages the chaincode, installs it on every peer, approves the
# definition for every org and commits it; it sets PACKAGE_ID. The chaincode
# process itself is started by the caller (a container, or a local process).
deployDefinition() {
  local org
  command -v jq >/dev/null 2>&1 || fatalln "jq not found: run 'scripts/network.sh prereq'"
  useCollectionsConfig
  deployPackage
}

# useCollectionsConfig sets CC_COLL_CONFIG, when unset, to the chaincode's
# collections_config.json: every definition of the chaincode (a new org's
# approval included) names the same collections.
useCollectionsConfig() {
  if [[ -z "$CC_COLL_CONFIG" && -f "${ROOT_DIR}/chaincode/collections_config.json" ]]; then
    CC_COLL_CONFIG="${ROOT_DIR}/chaincode/collections_config.json"
  fi
  [[ -z "$CC_COLL_CONFIG" || -f "$CC_COLL_CONFIG" ]] || fatalln "collections config ${CC_COLL_CONFIG} not found"
}

# deployPackage packages the chaincode CC_NAME (connection CCAAS_CONNECTION),
# installs it on every peer, approves its definition (with CC_COLL_CONFIG, if
# set) for every org and commits it; it sets PACKAGE_ID.
deployPackage() {
  local org
  packageChaincode
  for org in "${WARRANT_ORGS[@]}"; do
    infoln "Installing ${CC_NAME} on peer0.$(orgField "$org" domain)"
    retry "$MAX_RETRY" "$CLI_DELAY" installChaincode "$org" || fatalln "install on peer0.$(orgField "$org" domain) failed"
  done
  resolveSequence
  for org in "${WARRANT_ORGS[@]}"; do
    infoln "Approving ${CC_NAME} ${CC_VERSION} sequence ${CC_SEQUENCE} for $(orgField "$org" msp)"
    retry "$MAX_RETRY" "$CLI_DELAY" approveForMyOrg "$org" || fatalln "approval by $(orgField "$org" msp) failed"
  done
  for org in "${WARRANT_ORGS[@]}"; do
    retry "$MAX_RETRY" "$CLI_DELAY" commitReady "$org" ||
      fatalln "the definition is not approved by every org according to peer0.$(orgField "$org" domain)"
  done
  infoln "Committing ${CC_NAME} on channel '${CHANNEL_NAME}'"
  retry "$MAX_RETRY" "$CLI_DELAY" commitDefinition || fatalln "commit of the ${CC_NAME} definition failed"
  for org in "${WARRANT_ORGS[@]}"; do
    retry "$MAX_RETRY" "$CLI_DELAY" queryCommitted "$org" ||
      fatalln "peer0.$(orgField "$org" domain) does not show the committed definition"
  done
}
