package fabric_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/stretchr/testify/require"
)

type policy struct {
	Type string `yaml:"Type"`
	Rule string `yaml:"Rule"`
}

type anchorPeer struct {
	Host string `yaml:"Host"`
	Port int    `yaml:"Port"`
}

type configtxOrg struct {
	Name             string            `yaml:"Name"`
	ID               string            `yaml:"ID"`
	MSPDir           string            `yaml:"MSPDir"`
	Policies         map[string]policy `yaml:"Policies"`
	OrdererEndpoints []string          `yaml:"OrdererEndpoints"`
	AnchorPeers      []anchorPeer      `yaml:"AnchorPeers"`
}

type consenter struct {
	Host          string `yaml:"Host"`
	Port          int    `yaml:"Port"`
	ClientTLSCert string `yaml:"ClientTLSCert"`
	ServerTLSCert string `yaml:"ServerTLSCert"`
}

type configtxProfile struct {
	Policies     map[string]policy `yaml:"Policies"`
	Capabilities map[string]bool   `yaml:"Capabilities"`
	Orderer      struct {
		OrdererType  string   `yaml:"OrdererType"`
		Addresses    []string `yaml:"Addresses"`
		BatchTimeout string   `yaml:"BatchTimeout"`
		BatchSize    struct {
			MaxMessageCount int `yaml:"MaxMessageCount"`
		} `yaml:"BatchSize"`
		EtcdRaft struct {
			Consenters []consenter `yaml:"Consenters"`
		} `yaml:"EtcdRaft"`
		Organizations []configtxOrg     `yaml:"Organizations"`
		Policies      map[string]policy `yaml:"Policies"`
		Capabilities  map[string]bool   `yaml:"Capabilities"`
	} `yaml:"Orderer"`
	Application struct {
		Organizations []configtxOrg     `yaml:"Organizations"`
		Policies      map[string]policy `yaml:"Policies"`
		Capabilities  map[string]bool   `yaml:"Capabilities"`
		ACLs          map[string]string `yaml:"ACLs"`
	} `yaml:"Application"`
}

type configtxFile struct {
	Organizations []configtxOrg              `yaml:"Organizations"`
	Profiles      map[string]configtxProfile `yaml:"Profiles"`
}

// channelProfile is the profile scripts/network.sh createChannel passes to configtxgen.
const channelProfile = "ChannelUsingRaft"

func loadProfile(t *testing.T) configtxProfile {
	t.Helper()
	return loadProfileNamed(t, channelProfile)
}

// loadProfileNamed returns a profile of configtx.yaml.
func loadProfileNamed(t *testing.T, name string) configtxProfile {
	t.Helper()
	var file configtxFile
	decodeYAML(t, "configtx/configtx.yaml", &file)
	profile, ok := file.Profiles[name]
	require.True(t, ok, "profile %s missing", name)
	return profile
}

// descriptions are the network descriptions the real Fabric configuration follows: the
// default network (profile ChannelUsingRaft) and the consortium
// (ConsortiumChannelUsingRaft, with a second bank and a second core enterprise).
var descriptions = []struct {
	name, profile string
	network       func() *config.Network
}{
	{"default", channelProfile, config.Default},
	{"consortium", "ConsortiumChannelUsingRaft", config.Consortium},
}

var (
	signaturePrincipal = regexp.MustCompile(`'([^'.]+)\.(member|admin|client|peer|orderer)'`)
	signatureRule      = regexp.MustCompile(`^(OR|AND|OutOf)\(.*\)$`)
	implicitMetaRule   = regexp.MustCompile(`^(ANY|ALL|MAJORITY) ([A-Za-z]+)$`)
)

// signatureMSPs returns the MSP IDs a Signature policy rule names, or an error when
// the rule is malformed or names an MSP outside known.
func signatureMSPs(rule string, known map[string]bool) ([]string, error) {
	if !signatureRule.MatchString(rule) {
		return nil, fmt.Errorf("rule %q is not OR(...), AND(...) or OutOf(...)", rule)
	}
	matches := signaturePrincipal.FindAllStringSubmatch(rule, -1)
	if len(matches) == 0 || len(matches) != strings.Count(rule, "'")/2 {
		return nil, fmt.Errorf("rule %q has principals that are not '<MSP>.<role>'", rule)
	}
	var msps []string
	for _, match := range matches {
		if !known[match[1]] {
			return nil, fmt.Errorf("rule %q names unknown MSP %q", rule, match[1])
		}
		msps = append(msps, match[1])
	}
	return msps, nil
}

// implicitMetaPolicy returns the sub-policy an ImplicitMeta rule aggregates.
func implicitMetaPolicy(rule string) (string, error) {
	match := implicitMetaRule.FindStringSubmatch(rule)
	if match == nil {
		return "", fmt.Errorf("rule %q is not '<ANY|ALL|MAJORITY> <policy>'", rule)
	}
	return match[2], nil
}

func TestPolicyRuleCheckers(t *testing.T) {
	t.Parallel()
	known := map[string]bool{"BankMSP": true, "OrdererMSP": true}
	tests := []struct {
		name    string
		rule    string
		want    []string
		wantErr string
	}{
		{name: "an OR of known principals is accepted", rule: "OR('BankMSP.admin', 'BankMSP.peer')", want: []string{"BankMSP", "BankMSP"}},
		{name: "an unknown MSP is rejected", rule: "OR('Org1MSP.member')", wantErr: "unknown MSP"},
		{name: "an unknown role is rejected", rule: "OR('BankMSP.owner')", wantErr: "not '<MSP>.<role>'"},
		{name: "a rule without a gate is rejected", rule: "'BankMSP.member'", wantErr: "not OR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := signatureMSPs(tt.rule, known)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	t.Run("an ImplicitMeta rule names its sub-policy", func(t *testing.T) {
		got, err := implicitMetaPolicy("MAJORITY Endorsement")
		require.NoError(t, err)
		require.Equal(t, "Endorsement", got)
	})
	t.Run("a malformed ImplicitMeta rule is rejected", func(t *testing.T) {
		_, err := implicitMetaPolicy("MOST Admins")
		require.Error(t, err)
	})
}

func TestConfigtxOrganisationsAgreeWithTheNetworkDescription(t *testing.T) {
	t.Parallel()
	for _, d := range descriptions {
		t.Run(d.name+" network, profile "+d.profile, func(t *testing.T) {
			configtxAgrees(t, d.network(), loadProfileNamed(t, d.profile))
		})
	}
}

func configtxAgrees(t *testing.T, net *config.Network, profile configtxProfile) {

	t.Run("the orderer org and its raft consenter match the description", func(t *testing.T) {
		require.Len(t, profile.Orderer.Organizations, 1)
		org := profile.Orderer.Organizations[0]
		endpoint := fmt.Sprintf("%s:%d", net.Orderer.Host(), net.Orderer.Port)
		require.Equal(t, net.Orderer.MSPID, org.ID)
		require.Equal(t, "../organizations/ordererOrganizations/"+net.Orderer.Domain+"/msp", org.MSPDir)
		require.Equal(t, []string{endpoint}, org.OrdererEndpoints)
		require.Empty(t, profile.Orderer.Addresses, "only the org's OrdererEndpoints name the orderer")
		require.Equal(t, "etcdraft", profile.Orderer.OrdererType)
		require.Len(t, profile.Orderer.EtcdRaft.Consenters, 1)
		c := profile.Orderer.EtcdRaft.Consenters[0]
		require.Equal(t, net.Orderer.Host(), c.Host)
		require.Equal(t, net.Orderer.Port, c.Port)
		tlsDir := "../organizations/ordererOrganizations/" + net.Orderer.Domain + "/orderers/" + net.Orderer.Host() + "/tls/"
		require.Equal(t, tlsDir+"server.crt", c.ClientTLSCert)
		require.Equal(t, tlsDir+"server.crt", c.ServerTLSCert)
	})

	t.Run("the application orgs are the description's orgs with their anchor peers", func(t *testing.T) {
		orgs := profile.Application.Organizations
		require.Len(t, orgs, len(net.Orgs))
		for i, want := range net.Orgs {
			got := orgs[i]
			require.Equal(t, want.MSPID, got.ID)
			require.Equal(t, want.MSPID, got.Name, "the group name is the MSP ID, as the scripts expect")
			require.Equal(t, "../organizations/peerOrganizations/"+want.Domain+"/msp", got.MSPDir)
			require.Equal(t, []anchorPeer{{Host: want.PeerHost(), Port: want.PeerPort}}, got.AnchorPeers)
			for _, name := range []string{"Readers", "Writers", "Admins", "Endorsement"} {
				require.Contains(t, got.Policies, name, "%s policy of %s", name, want.MSPID)
			}
		}
	})

	t.Run("the capabilities are the dev network's (V3_0 channel, V2_0 orderer, V2_5 applications)", func(t *testing.T) {
		require.Equal(t, capabilities(config.ChannelCapabilities), profile.Capabilities)
		require.Equal(t, capabilities(config.OrdererCapabilities), profile.Orderer.Capabilities)
		require.Equal(t, capabilities(config.ApplicationCapabilities), profile.Application.Capabilities)
	})

	t.Run("every policy and ACL is the dev network's channel configuration", func(t *testing.T) {
		require.Equal(t, policiesOf(config.ChannelPolicies()), profile.Policies)
		require.Equal(t, policiesOf(config.ApplicationPolicies()), profile.Application.Policies)
		require.Equal(t, policiesOf(config.OrdererPolicies()), profile.Orderer.Policies)
		require.Equal(t, policiesOf(net.Orderer.OrdererOrgPolicies()), profile.Orderer.Organizations[0].Policies)
		for i, org := range net.Orgs {
			require.Equal(t, policiesOf(org.OrgPolicies()), profile.Application.Organizations[i].Policies, "policies of %s", org.MSPID)
		}
		require.Equal(t, config.ACLs(), profile.Application.ACLs)
	})

	t.Run("the endorsement policies are the description's MAJORITY Endorsement", func(t *testing.T) {
		cc, err := net.Chaincode("warrant")
		require.NoError(t, err)
		for _, name := range []string{"Endorsement", "LifecycleEndorsement"} {
			p := profile.Application.Policies[name]
			require.Equal(t, "ImplicitMeta", p.Type)
			require.Equal(t, cc.EndorsementPolicy, p.Rule)
		}
	})

	t.Run("blocks are cut like the dev network's", func(t *testing.T) {
		timeout, err := time.ParseDuration(profile.Orderer.BatchTimeout)
		require.NoError(t, err)
		require.Equal(t, time.Duration(net.Orderer.BatchTimeout), timeout)
		require.Equal(t, net.Orderer.BatchSize, profile.Orderer.BatchSize.MaxMessageCount)
	})
}

func TestConfigtxPoliciesNameOnlyExistingMSPs(t *testing.T) {
	t.Parallel()
	net := config.Consortium()
	profile := loadProfileNamed(t, "ConsortiumChannelUsingRaft")
	known := map[string]bool{net.Orderer.MSPID: true}
	for _, id := range net.MSPIDs() {
		known[id] = true
	}

	orgs := append(append([]configtxOrg{}, profile.Orderer.Organizations...), profile.Application.Organizations...)
	for _, org := range orgs {
		for name, p := range org.Policies {
			t.Run(fmt.Sprintf("%s policy %s names only its own MSP", org.ID, name), func(t *testing.T) {
				require.Equal(t, "Signature", p.Type)
				msps, err := signatureMSPs(p.Rule, known)
				require.NoError(t, err)
				for _, msp := range msps {
					require.Equal(t, org.ID, msp)
				}
			})
		}
	}

	levels := []struct {
		name     string
		policies map[string]policy
		members  []configtxOrg
	}{
		{name: "Application", policies: profile.Application.Policies, members: profile.Application.Organizations},
		{name: "Orderer", policies: profile.Orderer.Policies, members: profile.Orderer.Organizations},
		{name: "Channel", policies: profile.Policies},
	}
	for _, level := range levels {
		require.Len(t, level.policies, map[string]int{"Application": 6, "Orderer": 4, "Channel": 3}[level.name], "%s policies", level.name)
		for name, p := range level.policies {
			t.Run(fmt.Sprintf("%s policy %s aggregates a policy every member defines", level.name, name), func(t *testing.T) {
				require.Equal(t, "ImplicitMeta", p.Type)
				sub, err := implicitMetaPolicy(p.Rule)
				require.NoError(t, err)
				if level.members == nil { // the channel level aggregates Application and Orderer
					require.Contains(t, profile.Application.Policies, sub)
					require.Contains(t, profile.Orderer.Policies, sub)
					return
				}
				for _, org := range level.members {
					require.Contains(t, org.Policies, sub, "%s of %s", sub, org.ID)
				}
			})
		}
	}
}

// capabilities is a capability list as configtx.yaml writes it.
func capabilities(names []string) map[string]bool {
	out := map[string]bool{}
	for _, name := range names {
		out[name] = true
	}
	return out
}

// policiesOf is the dev network's policies as configtx.yaml writes them.
func policiesOf(in map[string]config.Policy) map[string]policy {
	out := map[string]policy{}
	for name, p := range in {
		out[name] = policy{Type: p.Type, Rule: p.Rule}
	}
	return out
}

// orgByKey finds a description org by its short name.
func orgByKey(t *testing.T, net *config.Network, key string) config.Org {
	t.Helper()
	for _, org := range net.Orgs {
		if orgKey(org) == key {
			return org
		}
	}
	require.Failf(t, "unknown organisation", "no organisation with short name %q", key)
	return config.Org{}
}
