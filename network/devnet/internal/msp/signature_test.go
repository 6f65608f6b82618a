package msp_test

import (
	"crypto/ed25519"
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/msp"
)

func TestVerify(t *testing.T) {
	ca := newTestCA(t, "ca.org1")
	manager, err := msp.NewManager([]msp.OrgConfig{{MSPID: "Org1MSP", RootCerts: []*x509.Certificate{ca.cert}, NodeOUs: true}})
	require.NoError(t, err)
	certPEM, key := ca.issue(t, leafOptions{ous: []string{"client"}})
	id, err := manager.Deserialize(serialize(t, "Org1MSP", certPEM))
	require.NoError(t, err)
	_, otherKey := ca.issue(t, leafOptions{ous: []string{"client"}})
	edKey := newEd25519Key(t)
	edPEM, _ := ca.issue(t, leafOptions{ous: []string{"client"}, key: edKey})
	edID, err := manager.Deserialize(serialize(t, "Org1MSP", edPEM))
	require.NoError(t, err)

	message := []byte("signed proposal bytes")
	lowS := signECDSA(t, key, message, false)
	tests := []struct {
		name      string
		identity  *msp.Identity
		message   []byte
		signature []byte
		wantErr   bool
	}{
		{"Accepts a low-S ECDSA signature", id, message, lowS, false},
		{"Rejects the high-S form of a valid signature", id, message, signECDSA(t, key, message, true), true},
		{"Rejects a tampered message", id, []byte("signed proposal bytes!"), lowS, true},
		{"Rejects another key's signature", id, message, signECDSA(t, otherKey, message, false), true},
		{"Rejects a signature that is not DER", id, message, []byte("garbage"), true},
		{"Rejects trailing bytes after the signature", id, message, append(append([]byte{}, lowS...), 0), true},
		{"Rejects an empty signature", id, message, nil, true},
		{"Accepts an Ed25519 signature over the message", edID, message, ed25519.Sign(edKey, message), false},
		{"Rejects an Ed25519 signature over another message", edID, message, ed25519.Sign(edKey, []byte("other")), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.identity.Verify(tt.message, tt.signature)
			if tt.wantErr {
				require.ErrorIs(t, err, msp.ErrBadSignature)
				return
			}
			require.NoError(t, err)
		})
	}
}
