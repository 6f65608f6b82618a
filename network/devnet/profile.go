package devnet

import (
	"path/filepath"
	"strings"

	"github.com/scfledger/warrants/client/profile"
)

// ProfilePath is where the connection profile of an org is written:
// organizations/peerOrganizations/<domain>/connection-<org>.json, where <org>
// is the MSP ID without its "MSP" suffix, in lower case.
func (n *Network) ProfilePath(mspID string) (string, error) {
	org, err := n.config.Org(mspID)
	if err != nil {
		return "", err
	}
	name := strings.ToLower(strings.TrimSuffix(mspID, "MSP"))
	return filepath.Join(n.dir, "organizations", "peerOrganizations", org.Domain, "connection-"+name+".json"), nil
}

// Profile returns the connection profile for an org's peer, in the project's one
// connection-profile model (package client/profile, which the client reads).
func (n *Network) Profile(mspID string) (*profile.Profile, error) {
	org, err := n.config.Org(mspID)
	if err != nil {
		return nil, err
	}
	material, err := n.material.Org(mspID)
	if err != nil {
		return nil, err
	}
	scheme := "grpcs"
	if n.plaintext {
		scheme = "grpc"
	}
	host := org.PeerHost()
	chaincodes := make([]string, len(n.config.Chaincodes))
	for i, cc := range n.config.Chaincodes {
		chaincodes[i] = cc.Name
	}
	return &profile.Profile{
		Name:          "devnet-" + strings.ToLower(strings.TrimSuffix(mspID, "MSP")),
		Version:       "1.0.0",
		Client:        profile.Client{Organization: mspID},
		Organizations: map[string]profile.Org{mspID: {MSPID: mspID, Peers: []string{host}}},
		Peers: map[string]profile.Peer{host: {
			URL:         scheme + "://" + n.addresses[mspID],
			TLSCACerts:  profile.PEM{PEM: string(material.TLSCACertPEM)},
			GRPCOptions: profile.HostOverrides(host),
		}},
		Channels: map[string]profile.Channel{n.config.Channel: {Peers: map[string]struct{}{host: {}}, Chaincodes: chaincodes}},
	}, nil
}

// writeProfiles writes every org's connection profile.
func (n *Network) writeProfiles() error {
	for _, org := range n.config.Orgs {
		p, err := n.Profile(org.MSPID)
		if err != nil {
			return err
		}
		path, err := n.ProfilePath(org.MSPID)
		if err != nil {
			return err
		}
		if err := p.Write(path); err != nil {
			return err
		}
	}
	return nil
}
