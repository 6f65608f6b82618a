package devnet

import (
	"github.com/hyperledger/fabric-protos-go-apiv2/common"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/crypto"
)

// genesisBlock is block 0: the channel configuration, built with
// fabric-config from the network description and the orgs' CA certificates,
// as configtxgen builds it from network/fabric's configtx.yaml.
func genesisBlock(cfg *config.Network, material *crypto.Material) (*common.Block, error) {
	certs := map[string]channel.OrgCerts{}
	for _, org := range material.Orgs {
		certs[org.MSPID] = channel.OrgCerts{CA: org.CACert, TLSCA: org.TLSCACert}
	}
	orderer, err := material.Org(cfg.Orderer.MSPID)
	if err != nil {
		return nil, err
	}
	return channel.Genesis(channel.GenesisSpec{Network: cfg, Certs: certs, OrdererTLS: orderer.Node.TLSCert.Leaf})
}

// chaincodeDefinitions are the chaincodes the network defines on its channel.
func chaincodeDefinitions(cfg *config.Network) []channel.Definition {
	var definitions []channel.Definition
	for _, cc := range cfg.Chaincodes {
		definitions = append(definitions, channel.Definition{Name: cc.Name, Version: cc.Version, Policy: cc.EndorsementPolicy})
	}
	return definitions
}
