// Package crypto generates and loads the crypto material of a dev network: for
// every organisation a signing CA and a TLS CA, the signing and TLS credentials of
// its one node (peer0.<domain> or orderer.<domain>) and of its users, written in
// the directory layout of the fabric-samples test network so that unmodified
// Fabric clients and tools can read it.
//
// # Layout
//
//	<dir>/organizations/peerOrganizations/<domain>/
//	    ca/ca.<domain>-cert.pem, ca/priv_sk
//	    tlsca/tlsca.<domain>-cert.pem, tlsca/priv_sk
//	    msp/{cacerts,tlscacerts,config.yaml}
//	    peers/peer0.<domain>/{msp,tls/{server.crt,server.key,ca.crt}}
//	    users/<User>@<domain>/{msp,tls/{client.crt,client.key,ca.crt}}
//	<dir>/organizations/ordererOrganizations/<domain>/... (node orderers/orderer.<domain>)
//
// Every msp directory holds signcerts/cert.pem, keystore/priv_sk (PKCS#8),
// cacerts, tlscacerts and a config.yaml enabling NodeOUs. Certificates carry the
// organisational unit of their role (client, peer, admin, orderer); user
// attributes are written like Fabric CA does, as JSON {"attrs":{...}} in the
// extension 1.2.3.4.5.6.7.8.1.
//
// [Generate] is idempotent: what exists is loaded and reused, only what is
// missing is created, so identities survive restarts.
//
// The package imports only the standard library, fabric-gateway's identity
// package (low-S signing), the Fabric protos and the protobuf runtime; nothing
// of the project.
package crypto
