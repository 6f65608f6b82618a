// Package msp is the channel MSP of a dev network: it turns serialized
// identities (msp.SerializedIdentity bytes, the "creator" of Fabric messages)
// into validated identities, verifies their signatures and decides whether they
// satisfy policy principals, as Fabric's X.509 MSP does with NodeOUs.
//
// An identity is valid when its MSP is known, its certificate is a non-CA
// certificate chaining to one of that MSP's root certificates, it is within its
// validity period and, with NodeOUs, it carries exactly one role
// organisational unit (client, peer, admin or orderer). Signatures are ECDSA
// over SHA-256 in DER with low S (high S is rejected, as Fabric does) or
// Ed25519 over the message.
//
// The package imports only the standard library and the Fabric protos.
package msp
