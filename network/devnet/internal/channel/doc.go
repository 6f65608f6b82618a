// Package channel holds what every dev-network node knows of the one channel:
// its name, the MSPs of its organisations, and the chaincodes defined on it
// with their endorsement policies. It answers the identity and policy
// questions that the orderer, endorsers, committers and gateways ask.
//
// It also validates channel configuration updates as Fabric's configtx
// validator does (read set versions, write set versions, mod_policy
// signatures), for the orderer that orders them and the peers that commit
// them, and computes the updates that add or remove an org with fabric-config.
//
// It builds on packages msp and policy.
package channel
