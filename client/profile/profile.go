// Package profile is the project's one model of a Fabric common connection profile
// (JSON, as fabric-samples' test network writes it): the client library reads it to
// find a peer, and the dev network writes one per org. It imports only the standard
// library, so that the dev network can use it without depending on the client.
package profile

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Profile is a connection profile: the client's organization, the organizations
// with their peers, how to reach each peer, and the channels.
type Profile struct {
	Name          string             `json:"name"`
	Version       string             `json:"version,omitempty"`
	Client        Client             `json:"client"`
	Organizations map[string]Org     `json:"organizations"`
	Peers         map[string]Peer    `json:"peers"`
	Channels      map[string]Channel `json:"channels,omitempty"`
}

// Client names the organization the profile's user belongs to.
type Client struct {
	Organization string `json:"organization"`
}

// Org is an organization: its MSP ID and the names of its peers.
type Org struct {
	MSPID string   `json:"mspid"`
	Peers []string `json:"peers"`
}

// Peer is how to reach a peer: its URL (grpc:// or grpcs://), its TLS root
// certificate, and gRPC options such as the TLS host name override.
type Peer struct {
	URL         string         `json:"url"`
	TLSCACerts  PEM            `json:"tlsCACerts"`
	GRPCOptions map[string]any `json:"grpcOptions,omitempty"`
}

// PEM is a certificate given inline or by the path of its file.
type PEM struct {
	PEM  string `json:"pem,omitempty"`
	Path string `json:"path,omitempty"`
}

// Channel lists the peers of a channel and the chaincodes on it.
type Channel struct {
	Peers      map[string]struct{} `json:"peers"`
	Chaincodes []string            `json:"chaincodes,omitempty"`
}

// hostOverrides are the gRPC options that name a peer's TLS host, in the order
// they are read.
var hostOverrides = []string{"ssl-target-name-override", "hostnameOverride"}

// HostOverrides returns the gRPC options that make clients check a peer's TLS
// certificate for host, under both names Fabric SDKs read.
func HostOverrides(host string) map[string]any {
	options := map[string]any{}
	for _, key := range hostOverrides {
		options[key] = host
	}
	return options
}

// Load reads a connection profile.
func Load(path string) (*Profile, error) {
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

// Write writes the profile to path as indented JSON.
func (p *Profile) Write(path string) error {
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("encode connection profile %s: %w", p.Name, err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write connection profile: %w", err)
	}
	return nil
}

// MSPID is the MSP ID of the client organization (its name when the profile
// does not list it).
func (p *Profile) MSPID() string {
	if org, ok := p.Organizations[p.Client.Organization]; ok && org.MSPID != "" {
		return org.MSPID
	}
	return p.Client.Organization
}

// Target is how to dial one peer.
type Target struct {
	// Address is the gRPC target (host:port).
	Address string
	// TLS says whether the peer serves TLS, with RootPEM its TLS root
	// certificate and HostAlias the name its certificate is checked for.
	TLS       bool
	RootPEM   []byte
	HostAlias string
}

// Target picks a peer: the named one, else the client organization's first peer,
// else the first peer by name; and reads how to dial it.
func (p *Profile) Target(name string) (Target, error) {
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
			return Target{}, fmt.Errorf("connection profile %s lists no peer", p.Name)
		}
		name = names[0]
	}
	peer, ok := p.Peers[name]
	if !ok {
		return Target{}, fmt.Errorf("connection profile %s has no peer %q", p.Name, name)
	}
	t := Target{Address: peer.URL, HostAlias: name}
	switch {
	case strings.HasPrefix(peer.URL, "grpcs://"):
		t.Address, t.TLS = strings.TrimPrefix(peer.URL, "grpcs://"), true
	case strings.HasPrefix(peer.URL, "grpc://"):
		t.Address = strings.TrimPrefix(peer.URL, "grpc://")
	default:
		return Target{}, fmt.Errorf("peer %s: URL %q is neither grpc:// nor grpcs://", name, peer.URL)
	}
	for _, key := range hostOverrides {
		if alias, ok := peer.GRPCOptions[key].(string); ok && alias != "" {
			t.HostAlias = alias
			break
		}
	}
	if t.TLS {
		t.RootPEM = []byte(peer.TLSCACerts.PEM)
		if len(t.RootPEM) == 0 && peer.TLSCACerts.Path != "" {
			data, err := os.ReadFile(peer.TLSCACerts.Path)
			if err != nil {
				return Target{}, fmt.Errorf("peer %s TLS root: %w", name, err)
			}
			t.RootPEM = data
		}
		if len(t.RootPEM) == 0 {
			return Target{}, fmt.Errorf("peer %s: no TLS root certificate in the profile", name)
		}
	}
	return t, nil
}
