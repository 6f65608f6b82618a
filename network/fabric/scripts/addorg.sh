#!/usr/bin/env bash
#
# `scripts/network.sh native addOrg <bank2|core2>`: adds an org of the consortium
# (network/devnet/config/consortium.yaml) to the running native network, without
# stopping it, like fabric-samples' test-network/addOrg3: its CA and identities, the
# channel config update computed with configtxlator and signed by a majority of the
# member orgs' admins, its peer started and joined (it catches up from the blocks),
# the chaincode installed and the definition in force approved for it. The
# definition's policy, "MAJORITY Endorsement", is the channel's implicit-meta policy:
# it counts the new org at once, so the definition is not committed again. The
# association's admin then registers the org on the ledger (R34). Sourced, never run;
# needs native.sh and the scripts it needs.

# addedOrgsFile is where the native network records the orgs added to it.
addedOrgsFile() { printf '%s\n' "${NATIVE_DIR}/added-orgs"; }

# loadAddedOrgs appends the orgs added to the native network to WARRANT_ORGS, so that
# status, profiles, readiness and commit checks cover them.
loadAddedOrgs() {
  local org
  [[ -f "$(addedOrgsFile)" ]] || return 0
  while read -r org; do
    [[ -n "$org" ]] && ! inOrgs "$org" && WARRANT_ORGS+=("$org")
  done <"$(addedOrgsFile)"
}

# inOrgs <org> succeeds when the org is one of WARRANT_ORGS.
inOrgs() {
  local org
  for org in "${WARRANT_ORGS[@]}"; do
    [[ "$org" == "$1" ]] && return 0
  done
  return 1
}

# configUpdateEnvelope <org> <add|remove> writes
# ARTIFACTS_DIR/<MSP ID>_<add|remove>_in_envelope.pb, the channel config update adding
# the org to the Application group or deleting it from there.
configUpdateEnvelope() {
  local org=$1 action=$2 msp work
  msp=$(orgField "$org" msp)
  work="${ARTIFACTS_DIR}/${action}-${msp}"
  mkdir -p "$work"
  if [[ "$action" == add ]]; then
    FABRIC_CFG_PATH="$CONFIGTX_DIR" configtxgen -printOrg "$msp" >"${work}/org.json" ||
      fatalln "configtxgen cannot print ${msp} from ${CONFIGTX_DIR}/configtx.yaml"
  fi
  setGlobals "${WARRANT_ORGS[0]}"
  peer channel fetch config "${work}/config_block.pb" -c "$CHANNEL_NAME" -o "$ORDERER_ADDRESS" \
    --ordererTLSHostnameOverride "$ORDERER_HOST" --tls --cafile "$ORDERER_CA" ||
    fatalln "cannot fetch the config block of ${CHANNEL_NAME}"
  configtxlator proto_decode --input "${work}/config_block.pb" --type common.Block |
    jq '.data.data[0].payload.data.config' >"${work}/config.json" || fatalln "cannot decode the config block"
  if [[ "$action" == add ]]; then
    if jq -e --arg msp "$msp" '.channel_group.groups.Application.groups[$msp]' "${work}/config.json" >/dev/null; then
      fatalln "${msp} is a member of ${CHANNEL_NAME} already"
    fi
    jq -s --arg msp "$msp" '.[0] * {channel_group: {groups: {Application: {groups: {($msp): .[1]}}}}}' \
      "${work}/config.json" "${work}/org.json" >"${work}/modified_config.json"
  else
    jq --arg msp "$msp" 'del(.channel_group.groups.Application.groups[$msp])' \
      "${work}/config.json" >"${work}/modified_config.json"
  fi
  configtxlator proto_encode --input "${work}/config.json" --type common.Config --output "${work}/config.pb"
  configtxlator proto_encode --input "${work}/modified_config.json" --type common.Config --output "${work}/modified_config.pb"
  configtxlator compute_update --channel_id "$CHANNEL_NAME" --original "${work}/config.pb" \
    --updated "${work}/modified_config.pb" --output "${work}/update.pb" || fatalln "cannot compute the config update"
  configtxlator proto_decode --input "${work}/update.pb" --type common.ConfigUpdate --output "${work}/update.json"
  jq -n --arg channel "$CHANNEL_NAME" --slurpfile update "${work}/update.json" \
    '{payload: {header: {channel_header: {channel_id: $channel, type: 2}}, data: {config_update: $update[0]}}}' \
    >"${work}/update_in_envelope.json"
  configtxlator proto_encode --input "${work}/update_in_envelope.json" --type common.Envelope \
    --output "${ARTIFACTS_DIR}/${msp}_${action}_in_envelope.pb" || fatalln "cannot encode the config update"
}

# submitConfigUpdate <envelope> has a majority of the member orgs' admins sign the
# update (MAJORITY Admins of /Channel/Application) and the last of them submit it.
submitConfigUpdate() {
  local envelope=$1 need i
  need=$((${#WARRANT_ORGS[@]} / 2 + 1))
  for ((i = 0; i < need - 1; i++)); do
    infoln "Signing the config update as the admin of $(orgField "${WARRANT_ORGS[$i]}" msp)"
    setGlobals "${WARRANT_ORGS[$i]}"
    peer channel signconfigtx -f "$envelope" || fatalln "the admin of ${WARRANT_ORGS[$i]} cannot sign the update"
  done
  infoln "Submitting the config update as the admin of $(orgField "${WARRANT_ORGS[$((need - 1))]}" msp) (${need} of ${#WARRANT_ORGS[@]} signatures)"
  setGlobals "${WARRANT_ORGS[$((need - 1))]}"
  peer channel update -f "$envelope" -c "$CHANNEL_NAME" -o "$ORDERER_ADDRESS" \
    --ordererTLSHostnameOverride "$ORDERER_HOST" --tls --cafile "$ORDERER_CA" ||
    fatalln "the orderer refused the config update"
}

# nativeAddOrg <org> adds a consortium org to the running native network.
nativeAddOrg() {
  local org=${1:-} msp domain committed creator
  case "$org" in
    bank2) creator=createBank2 ;;
    core2) creator=createCoreEnterprise2 ;;
    *) fatalln "addOrg needs an org of the consortium: bank2 or core2" ;;
  esac
  findFabricBinaries
  nativeRunning || fatalln "no native network runs in ${NATIVE_DIR}: run 'scripts/network.sh native up' first"
  ! inOrgs "$org" || fatalln "${org} is a member of the native network already"
  msp=$(orgField "$org" msp)
  domain=$(orgField "$org" domain)
  usePeerConfig

  infoln "Starting the Fabric CA of ${msp} and creating its identities"
  startCA "$org" "$(orgField "$org" caPort)" "$(orgField "$org" caName)" "ca.${domain}"
  "$creator"

  infoln "Adding ${msp} to channel '${CHANNEL_NAME}'"
  configUpdateEnvelope "$org" add
  submitConfigUpdate "${ARTIFACTS_DIR}/${msp}_add_in_envelope.pb"
  echo "$org" >>"$(addedOrgsFile)"
  WARRANT_ORGS+=("$org")

  infoln "Starting peer0.${domain}; it joins from the genesis block and catches up from the orderer"
  startPeer "$org"
  waitFor 60 "peer0.${domain} on localhost:$(orgBasePort "$org")" portOpen "$(orgBasePort "$org")" ||
    fatalln "peer0.${domain} did not start: see ${NATIVE_DIR}/logs/peer0.${domain}.log"
  retry "$MAX_RETRY" "$CLI_DELAY" peerJoin "$org" || fatalln "peer0.${domain} did not join '${CHANNEL_NAME}'"

  infoln "Installing the chaincode on peer0.${domain} and approving the definition in force for ${msp}"
  packageChaincode
  installChaincode "$org"
  setGlobals "${WARRANT_ORGS[0]}"
  committed=$(peer lifecycle chaincode querycommitted --channelID "$CHANNEL_NAME" --name "$CC_NAME" --output json) ||
    fatalln "no committed definition of ${CC_NAME} on '${CHANNEL_NAME}'"
  # shellcheck disable=SC2034 # read by definitionArgs (ccaas.sh)
  CC_SEQUENCE=$(jq -r '.sequence' <<<"$committed")
  # shellcheck disable=SC2034 # read by definitionArgs (ccaas.sh)
  CC_VERSION=$(jq -r '.version' <<<"$committed")
  useCollectionsConfig
  retry "$MAX_RETRY" "$CLI_DELAY" approveForMyOrg "$org" || fatalln "${msp} could not approve the definition"
  writeProfiles "$NATIVE_DIR" "$CHANNEL_NAME" "$CC_NAME"
  waitEndorsable
  nativeStatus
  successln "${msp} joined the native network; the association's admin registers it: warrantctl register-member ${msp} --kind ..."
}

# nativeRemoveOrg <org> removes an org that addOrg added from the channel: a config
# update deleting its group, signed by a majority of the members' admins (the removed
# org's last). The channel's MAJORITY then counts the remaining orgs only, and its
# peers' endorsements no longer count. Its processes keep running until
# 'native down' (its operator stops them); the association suspends it on the ledger
# (warrantctl suspend-member, R34) so that its identities write nothing.
nativeRemoveOrg() {
  local org=${1:-} msp rest=() each
  if [[ ! -f "$(addedOrgsFile)" ]] || ! grep -qx "$org" "$(addedOrgsFile)"; then
    fatalln "removeOrg removes an org that addOrg added: ${org:-none given}"
  fi
  findFabricBinaries
  nativeRunning || fatalln "no native network runs in ${NATIVE_DIR}"
  msp=$(orgField "$org" msp)
  usePeerConfig
  for each in "${WARRANT_ORGS[@]}"; do
    [[ "$each" == "$org" ]] || rest+=("$each")
  done
  WARRANT_ORGS=("${rest[@]}" "$org")
  infoln "Removing ${msp} from channel '${CHANNEL_NAME}'"
  configUpdateEnvelope "$org" remove
  submitConfigUpdate "${ARTIFACTS_DIR}/${msp}_remove_in_envelope.pb"
  WARRANT_ORGS=("${rest[@]}")
  grep -vx "$org" "$(addedOrgsFile)" >"$(addedOrgsFile).new" || true
  mv "$(addedOrgsFile).new" "$(addedOrgsFile)"
  successln "${msp} left channel '${CHANNEL_NAME}'; MAJORITY now counts ${#WARRANT_ORGS[@]} orgs"
}
