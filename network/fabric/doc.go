// Package fabric holds no Go code: this directory is the configuration of the
// real Hyperledger Fabric test network of the warrants system, driven by
// scripts/network.sh (see README.md).
//
//   - configtx/     configtx.yaml: OrdererMSP and the CoreEnterpriseMSP, BankMSP and
//     AssociationMSP organisations, their policies, the etcdraft orderer and the
//     ChannelUsingRaft profile of channel "warrants"
//   - cryptogen/    cryptogen specs of the four organisations
//   - fabric-ca/    registerEnroll.sh: identities from Fabric CAs, users with the
//     scf.entity and scf.role certificate attributes the chaincode reads
//   - compose/      Docker Compose files: orderer and peers, CouchDB, CAs, and the
//     warrant chaincode-as-a-service container
//   - ccaas/        connection.json and metadata.json of the CCaaS package
//   - scripts/      the bash helpers sourced by scripts/network.sh
//
// Running the network needs Docker and Fabric 2.5+ binaries. The tests of this
// package check everything statically instead: every YAML parses, names, MSP IDs,
// domains and ports agree with the project's network description
// (network/devnet/config), policies only name existing MSPs, the CA registrations
// carry the roles of the right organisations, the scripts pass shellcheck, and
// the scripts' verbs issue the right Fabric commands against stub binaries.
// The tests import only network/devnet/config.
package fabric
