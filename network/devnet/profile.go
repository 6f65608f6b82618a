package devnet

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Profile is a Fabric connection profile (the common connection profile of
// fabric-samples' test network) for one org's peer.
type Profile struct {
	Name          string                    `json:"name"`
	Version       string                    `json:"version"`
	Client        ProfileClient             `json:"client"`
	Organizations map[string]ProfileOrg     `json:"organizations"`
	Peers         map[string]ProfilePeer    `json:"peers"`
	Channels      map[string]ProfileChannel `json:"channels,omitempty"`
}

// ProfileClient names the org the profile's user belongs to.
type ProfileClient struct {
	Organization string `json:"organization"`
}

// ProfileOrg lists an org's MSP ID and peers.
type ProfileOrg struct {
	MSPID string   `json:"mspid"`
	Peers []string `json:"peers"`
}

// ProfilePeer is how to reach a peer: its URL, TLS root and host name override.
type ProfilePeer struct {
	URL         string            `json:"url"`
	TLSCACerts  ProfilePEM        `json:"tlsCACerts"`
	GRPCOptions map[string]string `json:"grpcOptions"`
}

// ProfilePEM holds a PEM certificate inline.
type ProfilePEM struct {
	PEM string `json:"pem"`
}

// ProfileChannel lists the peers of a channel and the chaincodes on it.
type ProfileChannel struct {
	Peers      map[string]struct{} `json:"peers"`
	Chaincodes []string            `json:"chaincodes,omitempty"`
}

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

// Profile returns the connection profile for an org's peer.
func (n *Network) Profile(mspID string) (*Profile, error) {
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
	return &Profile{
		Name:          "devnet-" + strings.ToLower(strings.TrimSuffix(mspID, "MSP")),
		Version:       "1.0.0",
		Client:        ProfileClient{Organization: mspID},
		Organizations: map[string]ProfileOrg{mspID: {MSPID: mspID, Peers: []string{host}}},
		Peers: map[string]ProfilePeer{host: {
			URL:         scheme + "://" + n.addresses[mspID],
			TLSCACerts:  ProfilePEM{PEM: string(material.TLSCACertPEM)},
			GRPCOptions: map[string]string{"ssl-target-name-override": host, "hostnameOverride": host},
		}},
		Channels: map[string]ProfileChannel{n.config.Channel: {Peers: map[string]struct{}{host: {}}, Chaincodes: chaincodes}},
	}, nil
}

// writeProfiles writes every org's connection profile.
func (n *Network) writeProfiles() error {
	for _, org := range n.config.Orgs {
		profile, err := n.Profile(org.MSPID)
		if err != nil {
			return err
		}
		data, err := json.MarshalIndent(profile, "", "  ")
		if err != nil {
			return fmt.Errorf("marshal connection profile: %w", err)
		}
		path, err := n.ProfilePath(org.MSPID)
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
			return fmt.Errorf("write connection profile: %w", err)
		}
	}
	return nil
}
