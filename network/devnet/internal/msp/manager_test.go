package msp_test

import (
	"crypto/x509"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/msp"
)

func TestNewManager(t *testing.T) {
	ca := newTestCA(t, "ca.org1")
	leafPEM, _ := ca.issue(t, leafOptions{ous: []string{"peer"}})
	leaf, err := x509.ParseCertificate(pemBytes(t, leafPEM))
	require.NoError(t, err)

	tests := []struct {
		name string
		orgs []msp.OrgConfig
	}{
		{"Rejects an organisation without MSP ID", []msp.OrgConfig{{RootCerts: []*x509.Certificate{ca.cert}}}},
		{"Rejects a duplicate MSP ID", []msp.OrgConfig{{MSPID: "A", RootCerts: []*x509.Certificate{ca.cert}}, {MSPID: "A", RootCerts: []*x509.Certificate{ca.cert}}}},
		{"Rejects an MSP without roots", []msp.OrgConfig{{MSPID: "A"}}},
		{"Rejects a root that is not a CA", []msp.OrgConfig{{MSPID: "A", RootCerts: []*x509.Certificate{leaf}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := msp.NewManager(tt.orgs)
			require.Error(t, err)
		})
	}

	t.Run("Lists MSP IDs sorted", func(t *testing.T) {
		m, err := msp.NewManager([]msp.OrgConfig{{MSPID: "B", RootCerts: []*x509.Certificate{ca.cert}}, {MSPID: "A", RootCerts: []*x509.Certificate{ca.cert}}})
		require.NoError(t, err)
		require.Equal(t, []string{"A", "B"}, m.MSPIDs())
	})
}

func TestDeserialize(t *testing.T) {
	org1, org2 := newTestCA(t, "ca.org1"), newTestCA(t, "ca.org2")
	manager, err := msp.NewManager([]msp.OrgConfig{
		{MSPID: "Org1MSP", RootCerts: []*x509.Certificate{org1.cert}, NodeOUs: true},
		{MSPID: "Org2MSP", RootCerts: []*x509.Certificate{org2.cert}, NodeOUs: true},
		{MSPID: "PlainMSP", RootCerts: []*x509.Certificate{org1.cert}},
	})
	require.NoError(t, err)
	peerPEM, _ := org1.issue(t, leafOptions{ous: []string{"peer"}})
	org2PEM, _ := org2.issue(t, leafOptions{ous: []string{"client"}})
	expiredPEM, _ := org1.issue(t, leafOptions{ous: []string{"client"}, notBefore: time.Now().Add(-2 * time.Hour), notAfter: time.Now().Add(-time.Hour)})
	futurePEM, _ := org1.issue(t, leafOptions{ous: []string{"client"}, notBefore: time.Now().Add(time.Hour), notAfter: time.Now().Add(2 * time.Hour)})
	caPEM, _ := org1.issue(t, leafOptions{ous: []string{"client"}, isCA: true})
	noRolePEM, _ := org1.issue(t, leafOptions{ous: []string{"finance"}})
	twoRolesPEM, _ := org1.issue(t, leafOptions{ous: []string{"client", "admin"}})

	valid := []struct {
		name       string
		serialized []byte
		mspID      string
		role       msp.Role
	}{
		{"Accepts a peer of its MSP", serialize(t, "Org1MSP", peerPEM), "Org1MSP", msp.RolePeer},
		{"Accepts a client of another MSP", serialize(t, "Org2MSP", org2PEM), "Org2MSP", msp.RoleClient},
		{"Accepts any OU without NodeOUs as a member", serialize(t, "PlainMSP", noRolePEM), "PlainMSP", msp.RoleMember},
	}
	for _, tt := range valid {
		t.Run(tt.name, func(t *testing.T) {
			id, err := manager.Deserialize(tt.serialized)
			require.NoError(t, err)
			require.Equal(t, tt.mspID, id.MSPID)
			require.Equal(t, tt.mspID, id.GetMSPIdentifier())
			require.Equal(t, tt.role, id.Role)
			require.Equal(t, tt.serialized, id.Serialize())
		})
	}

	invalid := []struct {
		name       string
		serialized []byte
		want       error
	}{
		{"Rejects an unknown MSP", serialize(t, "Org9MSP", peerPEM), msp.ErrUnknownMSP},
		{"Rejects a certificate of another org's CA claiming this MSP", serialize(t, "Org1MSP", org2PEM), msp.ErrUntrusted},
		{"Rejects an expired certificate", serialize(t, "Org1MSP", expiredPEM), msp.ErrExpired},
		{"Rejects a certificate not yet valid", serialize(t, "Org1MSP", futurePEM), msp.ErrExpired},
		{"Rejects a CA certificate as identity", serialize(t, "Org1MSP", caPEM), msp.ErrUntrusted},
		{"Rejects a certificate without role OU under NodeOUs", serialize(t, "Org1MSP", noRolePEM), msp.ErrUntrusted},
		{"Rejects a certificate with two role OUs", serialize(t, "Org1MSP", twoRolesPEM), msp.ErrUntrusted},
		{"Rejects garbage bytes", []byte{0xff, 0x01, 0x02}, msp.ErrMalformed},
		{"Rejects identity bytes that are not PEM", serialize(t, "Org1MSP", []byte("not a certificate")), msp.ErrMalformed},
		{"Rejects a PEM block that is not a certificate", serialize(t, "Org1MSP", []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")), msp.ErrMalformed},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			id, err := manager.Deserialize(tt.serialized)
			require.ErrorIs(t, err, tt.want)
			require.Nil(t, id)
		})
	}

	t.Run("Returns the cached identity for repeated bytes", func(t *testing.T) {
		serialized := serialize(t, "Org1MSP", peerPEM)
		first, err := manager.Deserialize(serialized)
		require.NoError(t, err)
		second, err := manager.Deserialize(serialized)
		require.NoError(t, err)
		require.Same(t, first, second)
	})

	t.Run("Deserializes concurrently", func(t *testing.T) {
		serialized := serialize(t, "Org2MSP", org2PEM)
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := manager.Deserialize(serialized)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
	})
}
