package config

import (
	"fmt"
	"strings"
)

// Policy is a channel configuration policy as configtx.yaml writes it: Type
// "Signature" with a rule such as "OR('BankMSP.admin')", or Type
// "ImplicitMeta" with a rule such as "MAJORITY Admins".
type Policy struct {
	Type string
	Rule string
}

// Policy types of configtx.yaml.
const (
	SignaturePolicy    = "Signature"
	ImplicitMetaPolicy = "ImplicitMeta"
)

// Capabilities of the channel, as Fabric 3.1's test network sets them.
var (
	ChannelCapabilities     = []string{"V3_0"}
	OrdererCapabilities     = []string{"V2_0"}
	ApplicationCapabilities = []string{"V2_5"}
)

// BlockReadersPolicy is the application policy that guards full blocks: the
// Deliver service's full blocks and qscc's block and transaction queries (see
// ACLs). Each org says in its own BlockReaders policy which of its identities
// may read every transaction of the channel; see OrgPolicies.
const BlockReadersPolicy = "BlockReaders"

// Channel configuration paths of the application policies the ACLs name.
const (
	ApplicationReaders      = "/Channel/Application/Readers"
	ApplicationWriters      = "/Channel/Application/Writers"
	ApplicationBlockReaders = "/Channel/Application/" + BlockReadersPolicy
)

// OrgPolicies returns the policies of a peer organisation's group, as
// configtx.yaml writes them for each org. Readers, Writers, Admins and
// Endorsement are Fabric's usual ones. BlockReaders names who may read full
// blocks: the org's identities of the roles BlockReaderRoles lists.
func (o *Org) OrgPolicies() map[string]Policy {
	id := o.MSPID
	var principals []string
	for _, role := range o.BlockReaderRoles() {
		principals = append(principals, fmt.Sprintf("'%s.%s'", id, role))
	}
	blockReaders := "OR(" + strings.Join(principals, ", ") + ")"
	return map[string]Policy{
		"Readers":          {SignaturePolicy, fmt.Sprintf("OR('%s.admin', '%s.peer', '%s.client')", id, id, id)},
		"Writers":          {SignaturePolicy, fmt.Sprintf("OR('%s.admin', '%s.client')", id, id)},
		"Admins":           {SignaturePolicy, fmt.Sprintf("OR('%s.admin')", id)},
		"Endorsement":      {SignaturePolicy, fmt.Sprintf("OR('%s.peer')", id)},
		BlockReadersPolicy: {SignaturePolicy, blockReaders},
	}
}

// OrdererOrgPolicies returns the policies of the orderer organisation's group.
func (o *Orderer) OrdererOrgPolicies() map[string]Policy {
	id := o.MSPID
	return map[string]Policy{
		"Readers": {SignaturePolicy, fmt.Sprintf("OR('%s.member')", id)},
		"Writers": {SignaturePolicy, fmt.Sprintf("OR('%s.member')", id)},
		"Admins":  {SignaturePolicy, fmt.Sprintf("OR('%s.admin')", id)},
	}
}

// ApplicationPolicies returns the policies of the channel's Application group.
// LifecycleEndorsement and Endorsement are MAJORITY Endorsement: a chaincode
// definition, and a chaincode without a policy of its own, need the peers of
// more than half of the orgs, whatever their number.
func ApplicationPolicies() map[string]Policy {
	return map[string]Policy{
		"Readers":              {ImplicitMetaPolicy, "ANY Readers"},
		"Writers":              {ImplicitMetaPolicy, "ANY Writers"},
		"Admins":               {ImplicitMetaPolicy, "MAJORITY Admins"},
		"LifecycleEndorsement": {ImplicitMetaPolicy, "MAJORITY Endorsement"},
		"Endorsement":          {ImplicitMetaPolicy, "MAJORITY Endorsement"},
		BlockReadersPolicy:     {ImplicitMetaPolicy, "ANY " + BlockReadersPolicy},
	}
}

// OrdererPolicies returns the policies of the channel's Orderer group;
// BlockValidation is what peers check every block's orderer signature against.
func OrdererPolicies() map[string]Policy {
	return map[string]Policy{
		"Readers":         {ImplicitMetaPolicy, "ANY Readers"},
		"Writers":         {ImplicitMetaPolicy, "ANY Writers"},
		"Admins":          {ImplicitMetaPolicy, "MAJORITY Admins"},
		"BlockValidation": {ImplicitMetaPolicy, "ANY Writers"},
	}
}

// ChannelPolicies returns the policies of the channel group.
func ChannelPolicies() map[string]Policy {
	return map[string]Policy{
		"Readers": {ImplicitMetaPolicy, "ANY Readers"},
		"Writers": {ImplicitMetaPolicy, "ANY Writers"},
		"Admins":  {ImplicitMetaPolicy, "MAJORITY Admins"},
	}
}

// ACLs returns the channel's access control lists: Fabric's defaults, except
// that full blocks (every write set) and qscc's block and transaction queries
// need BlockReaders rather than Readers. Filtered blocks (transaction IDs,
// codes and event names), the gateway's chaincode events and the chain's
// height stay open to every reader, as in Fabric: a chaincode that serves
// suppliers keeps its event payloads to what any member may see (the warrant
// chaincode's events carry no party, amount or term).
func ACLs() map[string]string {
	return map[string]string{
		"_lifecycle/CheckCommitReadiness":      ApplicationWriters,
		"_lifecycle/CommitChaincodeDefinition": ApplicationWriters,
		"_lifecycle/QueryChaincodeDefinition":  ApplicationWriters,
		"_lifecycle/QueryChaincodeDefinitions": ApplicationWriters,
		"lscc/ChaincodeExists":                 ApplicationReaders,
		"lscc/GetDeploymentSpec":               ApplicationReaders,
		"lscc/GetChaincodeData":                ApplicationReaders,
		"lscc/GetInstantiatedChaincodes":       ApplicationReaders,
		"qscc/GetChainInfo":                    ApplicationReaders,
		"qscc/GetBlockByNumber":                ApplicationBlockReaders,
		"qscc/GetBlockByHash":                  ApplicationBlockReaders,
		"qscc/GetTransactionByID":              ApplicationBlockReaders,
		"qscc/GetBlockByTxID":                  ApplicationBlockReaders,
		"cscc/GetConfigBlock":                  ApplicationReaders,
		"cscc/GetChannelConfig":                ApplicationReaders,
		"peer/Propose":                         ApplicationWriters,
		"peer/ChaincodeToChaincode":            ApplicationWriters,
		"event/Block":                          ApplicationBlockReaders,
		"event/FilteredBlock":                  ApplicationReaders,
		"gateway/CommitStatus":                 ApplicationReaders,
		"gateway/ChaincodeEvents":              ApplicationReaders,
	}
}

// DefaultBlockReaderRoles are the roles whose identities read full blocks in
// an org that does not say otherwise: its peers, its admins and its clients,
// when the org's CA enrols only the org's own staff and systems (its ERP).
var DefaultBlockReaderRoles = []string{"admin", "peer", "client"}

// BlockReaderRoles are the roles of the org's identities that may read full
// blocks (its BlockReaders policy): BlockReaders as configured, or
// DefaultBlockReaderRoles. An org whose CA also enrols outside parties as
// clients (the association enrols suppliers) names admin and peer only; as
// Fabric's policies tell identities apart by role alone, the org's own system
// that reads blocks (its ERP) is then enrolled as an admin-type identity.
func (o *Org) BlockReaderRoles() []string {
	if len(o.BlockReaders) > 0 {
		return o.BlockReaders
	}
	return DefaultBlockReaderRoles
}
