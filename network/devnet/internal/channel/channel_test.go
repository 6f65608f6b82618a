package channel_test

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/crypto"
	"github.com/scfledger/warrants/network/devnet/internal/msp"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
)

// twoOrgs is the crypto material of Org1MSP and Org2MSP, and of OtherMSP,
// which is not a member of the channel.
func twoOrgs(t *testing.T) *crypto.Material {
	t.Helper()
	material, err := crypto.Generate(t.TempDir(), []crypto.OrgSpec{
		{MSPID: "Org1MSP", Domain: "org1.example.com"},
		{MSPID: "Org2MSP", Domain: "org2.example.com"},
		{MSPID: "OtherMSP", Domain: "other.example.com"},
	})
	require.NoError(t, err)
	return material
}

func newChannel(t *testing.T, material *crypto.Material, definitions ...channel.Definition) (*channel.Channel, error) {
	t.Helper()
	var orgs []msp.OrgConfig
	for _, mspID := range []string{"Org1MSP", "Org2MSP"} {
		org, err := material.Org(mspID)
		require.NoError(t, err)
		orgs = append(orgs, msp.OrgConfig{MSPID: mspID, RootCerts: []*x509.Certificate{org.CACert}, NodeOUs: true})
	}
	return channel.New("ch", orgs, definitions)
}

func signer(t *testing.T, material *crypto.Material, mspID string) *crypto.Signer {
	t.Helper()
	org, err := material.Org(mspID)
	require.NoError(t, err)
	s, err := org.NodeSigner()
	require.NoError(t, err)
	return s
}

// endorsement is a peer's signature over data, as a policy evaluates it.
func endorsement(t *testing.T, s *crypto.Signer, data []byte) policy.SignedData {
	t.Helper()
	signature, err := s.Sign(data)
	require.NoError(t, err)
	return policy.SignedData{Identity: s.Serialize(), Data: data, Signature: signature}
}

func TestChannel(t *testing.T) {
	material := twoOrgs(t)
	ch, err := newChannel(t, material,
		channel.Definition{Name: "majority", Version: "1.0", Policy: "MAJORITY Endorsement"},
		channel.Definition{Name: "org2", Version: "2.1", Policy: "OR('Org2MSP.peer')"},
	)
	require.NoError(t, err)
	org1, org2, other := signer(t, material, "Org1MSP"), signer(t, material, "Org2MSP"), signer(t, material, "OtherMSP")
	data := []byte("payload")

	t.Run("Names the channel and its orgs in configuration order", func(t *testing.T) {
		require.Equal(t, "ch", ch.Name())
		require.Equal(t, []string{"Org1MSP", "Org2MSP"}, ch.Orgs())
	})

	t.Run("Accepts a member's signature", func(t *testing.T) {
		signed := endorsement(t, org1, data)
		require.NoError(t, ch.VerifySigned(signed.Identity, data, signed.Signature))
	})
	verifyTests := []struct {
		name     string
		identity []byte
		data     []byte
	}{
		{"A signature over other data", org1.Serialize(), []byte("tampered")},
		{"An identity of an org outside the channel", other.Serialize(), data},
		{"An identity that is not a serialized identity", []byte("garbage"), data},
	}
	for _, tt := range verifyTests {
		t.Run("Rejects "+tt.name, func(t *testing.T) {
			signer := org1
			if string(tt.identity) == string(other.Serialize()) {
				signer = other
			}
			signed := endorsement(t, signer, data)
			require.Error(t, ch.VerifySigned(tt.identity, tt.data, signed.Signature))
		})
	}

	t.Run("Knows the version of defined chaincodes only", func(t *testing.T) {
		version, ok := ch.Version("org2")
		require.True(t, ok)
		require.Equal(t, "2.1", version)
		_, ok = ch.Version("undefined")
		require.False(t, ok)
		_, ok = ch.ChaincodePolicy("undefined")
		require.False(t, ok)
	})

	policyTests := []struct {
		name      string
		chaincode string
		signers   []*crypto.Signer
		satisfied bool
	}{
		{"MAJORITY of two orgs needs both", "majority", []*crypto.Signer{org1}, false},
		{"MAJORITY of two orgs is met by both", "majority", []*crypto.Signer{org1, org2}, true},
		{"A signature policy naming Org2 is met by Org2", "org2", []*crypto.Signer{org2}, true},
		{"A signature policy naming Org2 is not met by Org1", "org2", []*crypto.Signer{org1}, false},
		{"An outside org never counts", "org2", []*crypto.Signer{other}, false},
	}
	for _, tt := range policyTests {
		t.Run(tt.name, func(t *testing.T) {
			chaincodePolicy, ok := ch.ChaincodePolicy(tt.chaincode)
			require.True(t, ok)
			var signed []policy.SignedData
			for _, s := range tt.signers {
				signed = append(signed, endorsement(t, s, data))
			}
			require.Equal(t, tt.satisfied, chaincodePolicy.EvaluateSignedData(signed) == nil)
		})
	}

	t.Run("Compiles a key's validation parameter", func(t *testing.T) {
		envelope, err := policy.Parse("AND('Org1MSP.peer')")
		require.NoError(t, err)
		parameter, err := proto.Marshal(envelope)
		require.NoError(t, err)
		keyPolicy, err := ch.KeyPolicy(parameter)
		require.NoError(t, err)
		require.NoError(t, keyPolicy.EvaluateSignedData([]policy.SignedData{endorsement(t, org1, data)}))
		require.Error(t, keyPolicy.EvaluateSignedData([]policy.SignedData{endorsement(t, org2, data)}))
		_, err = ch.KeyPolicy([]byte("not a policy"))
		require.Error(t, err)
	})
}

func TestNewRejectsABadPolicy(t *testing.T) {
	material := twoOrgs(t)
	tests := []struct{ name, policy string }{
		{"An expression that does not parse", "OR('Org1MSP.peer'"},
		{"An implicit policy of an unknown kind", "SOME Endorsement"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newChannel(t, material, channel.Definition{Name: "cc", Version: "1", Policy: tt.policy})
			require.ErrorContains(t, err, "chaincode cc endorsement policy")
		})
	}
}
