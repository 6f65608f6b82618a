// Package protoutil unpacks and builds the Fabric messages the dev network
// handles: signed proposals, proposal responses and endorser transaction
// envelopes. It computes transaction IDs and proposal hashes exactly as Fabric
// does, so that the endorser, the gateway and the committer agree on them.
//
// It imports only the Fabric protobuf definitions.
package protoutil
