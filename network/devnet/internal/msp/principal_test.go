package msp_test

import (
	"crypto/x509"
	"testing"

	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/msp"
)

func rolePrincipal(t *testing.T, mspID string, role mspproto.MSPRole_MSPRoleType) *mspproto.MSPPrincipal {
	t.Helper()
	b, err := proto.Marshal(&mspproto.MSPRole{MspIdentifier: mspID, Role: role})
	require.NoError(t, err)
	return &mspproto.MSPPrincipal{PrincipalClassification: mspproto.MSPPrincipal_ROLE, Principal: b}
}

func TestSatisfiesPrincipal(t *testing.T) {
	ca, other := newTestCA(t, "ca.org1"), newTestCA(t, "ca.org2")
	manager, err := msp.NewManager([]msp.OrgConfig{
		{MSPID: "Org1MSP", RootCerts: []*x509.Certificate{ca.cert}, NodeOUs: true},
		{MSPID: "Org2MSP", RootCerts: []*x509.Certificate{other.cert}, NodeOUs: true},
	})
	require.NoError(t, err)
	identity := func(mspID string, issuer *testCA, ou string) (*msp.Identity, []byte) {
		certPEM, _ := issuer.issue(t, leafOptions{ous: []string{ou}})
		serialized := serialize(t, mspID, certPEM)
		id, err := manager.Deserialize(serialized)
		require.NoError(t, err)
		return id, serialized
	}
	client, clientBytes := identity("Org1MSP", ca, "client")
	peer, _ := identity("Org1MSP", ca, "peer")
	admin, _ := identity("Org1MSP", ca, "admin")
	orderer, _ := identity("Org1MSP", ca, "orderer")
	_, otherBytes := identity("Org2MSP", other, "client")
	// A PEM with leading text deserializes to the same certificate; its canonical
	// serialization (plain PEM, as Fabric re-serializes) matches too.
	decorated, err := manager.Deserialize(serialize(t, "Org1MSP", append([]byte("subject=client\n"), pemOf(t, client.Cert)...)))
	require.NoError(t, err)

	tests := []struct {
		name      string
		identity  *msp.Identity
		principal *mspproto.MSPPrincipal
		want      error
	}{
		{"A client is a member", client, rolePrincipal(t, "Org1MSP", mspproto.MSPRole_MEMBER), nil},
		{"A peer is a member", peer, rolePrincipal(t, "Org1MSP", mspproto.MSPRole_MEMBER), nil},
		{"A member of another MSP is not a member", client, rolePrincipal(t, "Org2MSP", mspproto.MSPRole_MEMBER), msp.ErrPrincipalNotSatisfied},
		{"An admin is an admin", admin, rolePrincipal(t, "Org1MSP", mspproto.MSPRole_ADMIN), nil},
		{"A client is not an admin", client, rolePrincipal(t, "Org1MSP", mspproto.MSPRole_ADMIN), msp.ErrPrincipalNotSatisfied},
		{"A client is a client", client, rolePrincipal(t, "Org1MSP", mspproto.MSPRole_CLIENT), nil},
		{"An admin is not a client", admin, rolePrincipal(t, "Org1MSP", mspproto.MSPRole_CLIENT), msp.ErrPrincipalNotSatisfied},
		{"A peer is a peer", peer, rolePrincipal(t, "Org1MSP", mspproto.MSPRole_PEER), nil},
		{"A client is not a peer", client, rolePrincipal(t, "Org1MSP", mspproto.MSPRole_PEER), msp.ErrPrincipalNotSatisfied},
		{"A peer of this MSP is not a peer of another", peer, rolePrincipal(t, "Org2MSP", mspproto.MSPRole_PEER), msp.ErrPrincipalNotSatisfied},
		{"An orderer is an orderer", orderer, rolePrincipal(t, "Org1MSP", mspproto.MSPRole_ORDERER), nil},
		{"A peer is not an orderer", peer, rolePrincipal(t, "Org1MSP", mspproto.MSPRole_ORDERER), msp.ErrPrincipalNotSatisfied},
		{"An identity matches its own bytes", client, &mspproto.MSPPrincipal{PrincipalClassification: mspproto.MSPPrincipal_IDENTITY, Principal: clientBytes}, nil},
		{"An identity matches its canonical serialization", decorated, &mspproto.MSPPrincipal{PrincipalClassification: mspproto.MSPPrincipal_IDENTITY, Principal: clientBytes}, nil},
		{"An identity does not match another identity", client, &mspproto.MSPPrincipal{PrincipalClassification: mspproto.MSPPrincipal_IDENTITY, Principal: otherBytes}, msp.ErrPrincipalNotSatisfied},
		{"Organisation unit principals are unsupported", client, &mspproto.MSPPrincipal{PrincipalClassification: mspproto.MSPPrincipal_ORGANIZATION_UNIT}, msp.ErrUnsupportedPrincipal},
		{"A nil principal is unsupported", client, nil, msp.ErrUnsupportedPrincipal},
		{"A role principal that does not parse is unsupported", client, &mspproto.MSPPrincipal{PrincipalClassification: mspproto.MSPPrincipal_ROLE, Principal: []byte{0xff}}, msp.ErrUnsupportedPrincipal},
		{"An unknown role is unsupported", client, rolePrincipal(t, "Org1MSP", mspproto.MSPRole_MSPRoleType(9)), msp.ErrUnsupportedPrincipal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.identity.SatisfiesPrincipal(tt.principal)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}

	t.Run("Unsupported classifications say so", func(t *testing.T) {
		err := client.SatisfiesPrincipal(&mspproto.MSPPrincipal{PrincipalClassification: mspproto.MSPPrincipal_ANONYMITY})
		require.ErrorContains(t, err, "unsupported principal classification")
	})
}
