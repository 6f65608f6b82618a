// Package policy implements the endorsement policies of the dev network the way Fabric
// evaluates them.
//
// # Parsing
//
// [Parse] turns Fabric's signature policy language, for example
// "OR('BankMSP.peer', AND('CoreEnterpriseMSP.peer', 'AssociationMSP.peer'))" or
// "OutOf(2, 'A.peer', 'B.peer', 'C.peer')", into the common.SignaturePolicyEnvelope that
// Fabric's own parser produces for the same text.
//
// # Evaluation
//
// A [Policy] decides whether a set of [SignedData] satisfies it. Signatures whose identity
// cannot be deserialized or whose signature does not verify are ignored, an identity counts
// once however often it signs, and each identity satisfies at most one principal of a
// signature policy. [NewSignaturePolicy] evaluates an envelope, [NewFromString] also accepts
// the implicit policies "ANY Endorsement", "MAJORITY Endorsement" and "ALL Endorsement" over
// the channel's application organisations, and [NewFromValidationParameter] reads the
// key-level (state-based) policies chaincodes write.
//
// # Planning
//
// [EndorsementPlan] chooses a smallest set of organisations whose peers' endorsements
// satisfy a policy, which a gateway uses to decide whom to ask.
//
// The package sees identities only through the small [IdentityDeserializer] and [Identity]
// interfaces it declares. It may import the standard library, the Fabric protos and
// google.golang.org/protobuf only.
package policy
