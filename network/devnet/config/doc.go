// Package config describes a dev network in YAML: the channel, the orderer, the
// organisations with their peers and users, and the chaincodes to run with
// their private data collections (Fabric's collections_config.json format,
// [Collection]), a file the real network's deploy uses as well.
//
// It imports nothing of the project; every other dev network package and the
// real Fabric configuration checks read their names from here, so the default
// network ([Default]) is the project's one source of truth for org names, MSP IDs,
// domains and ports.
package config
