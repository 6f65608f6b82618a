// Package channeltest builds a small channel for the tests of the packages
// that order and commit configuration updates: Org1MSP and Org2MSP ordered by
// OrdererMSP, and the material of Org3MSP, an org to add.
package channeltest

import (
	"testing"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/crypto"
)

// Name is the channel's name.
const Name = "ch"

// Network is the channel's genesis block and every org's material.
type Network struct {
	Material *crypto.Material
	Genesis  *common.Block
	// Org3 is Org3MSP's definition, as an update adds it to the channel.
	Org3 configtx.Organization
}

// New generates the material and the genesis block.
func New(t *testing.T) *Network {
	t.Helper()
	material, err := crypto.Generate(t.TempDir(), []crypto.OrgSpec{
		{MSPID: "OrdererMSP", Domain: "example.com", Orderer: true},
		{MSPID: "Org1MSP", Domain: "org1.example.com"},
		{MSPID: "Org2MSP", Domain: "org2.example.com"},
		{MSPID: "Org3MSP", Domain: "org3.example.com"},
	})
	require.NoError(t, err)
	n := &Network{Material: material}
	n.Genesis = Genesis(t, material, `
channel: ch
orderer: {mspId: OrdererMSP, domain: example.com, port: 7050}
orgs:
  - {mspId: Org1MSP, domain: org1.example.com, peerPort: 7051}
  - {mspId: Org2MSP, domain: org2.example.com, peerPort: 9051}
chaincodes:
  - {name: cc, address: "127.0.0.1:9999"}
`)
	org3, err := material.Org("Org3MSP")
	require.NoError(t, err)
	n.Org3 = channel.Organization(config.Org{MSPID: "Org3MSP", Domain: "org3.example.com", PeerPort: 11051}, channel.OrgCerts{CA: org3.CACert, TLSCA: org3.TLSCACert})
	return n
}

// Genesis is the genesis block of the network that description (the dev
// network's YAML) describes, on existing crypto material.
func Genesis(t *testing.T, material *crypto.Material, description string) *common.Block {
	t.Helper()
	network, err := config.Parse([]byte(description))
	require.NoError(t, err)
	certs := map[string]channel.OrgCerts{}
	for _, org := range material.Orgs {
		certs[org.MSPID] = channel.OrgCerts{CA: org.CACert, TLSCA: org.TLSCACert}
	}
	orderer, err := material.Org("OrdererMSP")
	require.NoError(t, err)
	genesis, err := channel.Genesis(channel.GenesisSpec{Network: network, Certs: certs, OrdererTLS: orderer.Node.TLSCert.Leaf})
	require.NoError(t, err)
	return genesis
}

// Org is an org's material.
func (n *Network) Org(t *testing.T, mspID string) *crypto.Org {
	t.Helper()
	org, err := n.Material.Org(mspID)
	require.NoError(t, err)
	return org
}

// NodeSigner is the signer of an org's peer (or of the orderer).
func (n *Network) NodeSigner(t *testing.T, mspID string) *crypto.Signer {
	t.Helper()
	signer, err := n.Org(t, mspID).NodeSigner()
	require.NoError(t, err)
	return signer
}

// Admin is an org's admin as fabric-config signs with it.
func (n *Network) Admin(t *testing.T, mspID string) configtx.SigningIdentity {
	t.Helper()
	user, err := n.Org(t, mspID).User(crypto.AdminUser)
	require.NoError(t, err)
	return configtx.SigningIdentity{Certificate: user.Cert, PrivateKey: user.Key, MSPID: mspID}
}

// AddOrg3 is the update adding Org3MSP to the configuration of a config
// block, signed by the admins of signers and submitted by Org1MSP's admin.
func (n *Network) AddOrg3(t *testing.T, block *common.Block, signers ...string) *common.Envelope {
	t.Helper()
	_, current, err := channel.ConfigFromBlock(block)
	require.NoError(t, err)
	update, err := channel.AddOrgUpdate(current, Name, n.Org3)
	require.NoError(t, err)
	var admins []configtx.SigningIdentity
	for _, id := range signers {
		admins = append(admins, n.Admin(t, id))
	}
	envelope, err := channel.SignedConfigUpdate(update, admins, n.Admin(t, "Org1MSP"))
	require.NoError(t, err)
	return envelope
}
