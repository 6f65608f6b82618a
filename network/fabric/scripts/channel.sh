#!/usr/bin/env bash
#
# `scripts/network.sh createChannel`: creates the application channel with the
# channel participation API (no system channel) and joins the three peers.
# Sourced, never run; needs utils.sh and envvar.sh.
#
# The anchor peers of the three orgs are part of the channel's genesis block: they
# are declared in configtx/configtx.yaml and configtxgen writes them into it, so no
# separate anchor peer update is needed.

# channelBlock prints the path of the channel's genesis block.
channelBlock() { printf '%s\n' "${ARTIFACTS_DIR}/${CHANNEL_NAME}.block"; }

# createChannelGenesisBlock writes the genesis block with configtxgen.
createChannelGenesisBlock() {
  mkdir -p "$ARTIFACTS_DIR"
  infoln "Generating the genesis block of channel '${CHANNEL_NAME}' (profile ChannelUsingRaft)"
  FABRIC_CFG_PATH="$CONFIGTX_DIR" configtxgen -profile ChannelUsingRaft \
    -outputBlock "$(channelBlock)" -channelID "$CHANNEL_NAME" ||
    fatalln "configtxgen failed to write the genesis block of '${CHANNEL_NAME}'"
}

# ordererJoin hands the genesis block to the orderer through its admin endpoint.
ordererJoin() {
  osnadmin channel join --channelID "$CHANNEL_NAME" --config-block "$(channelBlock)" \
    -o "$ORDERER_ADMIN_ADDRESS" --ca-file "$ORDERER_CA" \
    --client-cert "${ORDERER_TLS_DIR}/server.crt" --client-key "${ORDERER_TLS_DIR}/server.key"
}

# peerJoin <org> joins the org's peer to the channel.
peerJoin() {
  setGlobals "$1" && peer channel join -b "$(channelBlock)"
}

# createChannel creates the channel on the orderer and joins every peer.
createChannel() {
  requireRunningNetwork
  usePeerConfig
  joinChannel
}

# joinChannel writes the genesis block, joins the orderer through its admin
# endpoint and joins every peer.
joinChannel() {
  local org
  createChannelGenesisBlock

  infoln "Joining ${ORDERER_HOST} to channel '${CHANNEL_NAME}'"
  retry "$MAX_RETRY" "$CLI_DELAY" ordererJoin || fatalln "the orderer did not join channel '${CHANNEL_NAME}'"
  successln "Channel '${CHANNEL_NAME}' created"

  for org in "${WARRANT_ORGS[@]}"; do
    infoln "Joining peer0.$(orgField "$org" domain) to channel '${CHANNEL_NAME}'"
    retry "$MAX_RETRY" "$CLI_DELAY" peerJoin "$org" ||
      fatalln "peer0.$(orgField "$org" domain) did not join channel '${CHANNEL_NAME}'"
  done
  infoln "Anchor peers are set by the genesis block (AnchorPeers in configtx/configtx.yaml)"
  successln "Channel '${CHANNEL_NAME}' joined by the peers of ${WARRANT_ORGS[*]}"
}

# requireRunningNetwork exits unless the orderer and the peers run in Docker.
requireRunningNetwork() {
  local container containers=("$ORDERER_HOST") org
  docker info >/dev/null 2>&1 || fatalln "the Docker engine is not reachable: run 'scripts/network.sh prereq'"
  for org in "${WARRANT_ORGS[@]}"; do
    containers+=("peer0.$(orgField "$org" domain)")
  done
  for container in "${containers[@]}"; do
    if [[ "$(docker inspect -f '{{.State.Running}}' "$container" 2>/dev/null)" != true ]]; then
      fatalln "container ${container} is not running: run 'scripts/network.sh up' first"
    fi
  done
  [[ -d "$ORGS_DIR" ]] || fatalln "no crypto material in ${ORGS_DIR}: run 'scripts/network.sh down' and 'scripts/network.sh up'"
}
