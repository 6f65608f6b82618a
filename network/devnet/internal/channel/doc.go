// Package channel holds what every dev-network node knows of the one channel:
// its name, the MSPs of its organisations, and the chaincodes defined on it
// with their endorsement policies. It answers the identity and policy
// questions that the orderer, endorsers, committers and gateways ask.
//
// It builds on packages msp and policy.
package channel
