package client

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Profile is the part of a Fabric common connection profile the client reads.
type Profile struct {
	Name   string `json:"name"`
	Client struct {
		Organization string `json:"organization"`
	} `json:"client"`
	Organizations map[string]ProfileOrg  `json:"organizations"`
	Peers         map[string]ProfilePeer `json:"peers"`
}

// ProfileOrg is an organization of a connection profile.
type ProfileOrg struct {
	MSPID string   `json:"mspid"`
	Peers []string `json:"peers"`
}

// ProfilePeer is a peer of a connection profile: URL, TLS root and host name override.
type ProfilePeer struct {
	URL        string `json:"url"`
	TLSCACerts struct {
		PEM  string `json:"pem"`
		Path string `json:"path"`
	} `json:"tlsCACerts"`
	GRPCOptions map[string]any `json:"grpcOptions"`
}

// LoadProfile reads a connection profile (JSON).
func LoadProfile(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read connection profile: %w", err)
	}
	var p Profile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("parse connection profile %s: %w", path, err)
	}
	return &p, nil
}

// peerTarget is how to reach one peer.
type peerTarget struct {
	address   string // gRPC target
	tls       bool
	rootPEM   []byte
	hostAlias string
}

// mspID is the MSP ID of the profile's client organization.
func (p *Profile) mspID() string {
	if org, ok := p.Organizations[p.Client.Organization]; ok && org.MSPID != "" {
		return org.MSPID
	}
	return p.Client.Organization
}

// target picks a peer: the named one, else the client organization's first peer, else
// the first peer by name.
func (p *Profile) target(name string) (peerTarget, error) {
	if name == "" {
		if org, ok := p.Organizations[p.Client.Organization]; ok && len(org.Peers) > 0 {
			name = org.Peers[0]
		}
	}
	if name == "" {
		names := make([]string, 0, len(p.Peers))
		for n := range p.Peers {
			names = append(names, n)
		}
		sort.Strings(names)
		if len(names) == 0 {
			return peerTarget{}, fmt.Errorf("connection profile %s lists no peer", p.Name)
		}
		name = names[0]
	}
	peer, ok := p.Peers[name]
	if !ok {
		return peerTarget{}, fmt.Errorf("connection profile %s has no peer %q", p.Name, name)
	}
	t := peerTarget{address: peer.URL, hostAlias: name}
	switch {
	case strings.HasPrefix(peer.URL, "grpcs://"):
		t.address, t.tls = strings.TrimPrefix(peer.URL, "grpcs://"), true
	case strings.HasPrefix(peer.URL, "grpc://"):
		t.address = strings.TrimPrefix(peer.URL, "grpc://")
	default:
		return peerTarget{}, fmt.Errorf("peer %s: URL %q is neither grpc:// nor grpcs://", name, peer.URL)
	}
	for _, key := range []string{"ssl-target-name-override", "hostnameOverride"} {
		if alias, ok := peer.GRPCOptions[key].(string); ok && alias != "" {
			t.hostAlias = alias
			break
		}
	}
	if t.tls {
		t.rootPEM = []byte(peer.TLSCACerts.PEM)
		if len(t.rootPEM) == 0 && peer.TLSCACerts.Path != "" {
			data, err := os.ReadFile(peer.TLSCACerts.Path)
			if err != nil {
				return peerTarget{}, fmt.Errorf("peer %s TLS root: %w", name, err)
			}
			t.rootPEM = data
		}
		if len(t.rootPEM) == 0 {
			return peerTarget{}, fmt.Errorf("peer %s: no TLS root certificate in the profile", name)
		}
	}
	return t, nil
}
