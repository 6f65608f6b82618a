package msp_test

import (
	"crypto/ed25519"
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/msp"
)

// verifyCase is an identity's verification of a signature over a message,
// and whether it must fail with ErrBadSignature.
type verifyCase struct {
	name      string
	identity  *msp.Identity
	message   []byte
	signature []byte
	wantErr   bool
}

func (tt verifyCase) check(t *testing.T) {
	t.Helper()
	err := tt.identity.Verify(tt.message, tt.signature)
	if tt.wantErr {
		require.ErrorIs(t, err, msp.ErrBadSignature)
		return
	}
	require.NoError(t, err)
}

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
	tests := []verifyCase{
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
		t.Run(tt.name, tt.check)
	}
}

// TestVerifyTrustsOnlyWhatItVerified: the peers of a process share the memo of
// verified ECDSA signatures. A signature one peer verified passes at another
// peer, but the memo never lends it to another key, another message or the
// signature's high-S twin, and a refused signature stays refused.
func TestVerifyTrustsOnlyWhatItVerified(t *testing.T) {
	ca := newTestCA(t, "ca.org1")
	orgs := []msp.OrgConfig{{MSPID: "Org1MSP", RootCerts: []*x509.Certificate{ca.cert}, NodeOUs: true}}
	peer1, err := msp.NewManager(orgs)
	require.NoError(t, err)
	peer2, err := msp.NewManager(orgs)
	require.NoError(t, err)
	certPEM, key := ca.issue(t, leafOptions{ous: []string{"client"}})
	otherPEM, _ := ca.issue(t, leafOptions{ous: []string{"client"}})
	signer, err := peer1.Deserialize(serialize(t, "Org1MSP", certPEM))
	require.NoError(t, err)
	signerAtPeer2, err := peer2.Deserialize(serialize(t, "Org1MSP", certPEM))
	require.NoError(t, err)
	other, err := peer2.Deserialize(serialize(t, "Org1MSP", otherPEM))
	require.NoError(t, err)

	message := []byte("transaction envelope payload")
	signature := signECDSA(t, key, message, false)
	require.NoError(t, signer.Verify(message, signature), "first peer verifies")

	tests := []verifyCase{
		{"Another peer accepts the verified signature", signerAtPeer2, message, signature, false},
		{"Another key presenting it is refused", other, message, signature, true},
		{"Another message under it is refused", signerAtPeer2, []byte("transaction envelope payload!"), signature, true},
		{"Its high-S twin is refused", signerAtPeer2, message, signECDSA(t, key, message, true), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t)
			tt.check(t) // the second time may meet the memo
		})
	}
}
