package channel_test

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/channel/channeltest"
	"github.com/scfledger/warrants/network/devnet/internal/crypto"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// configured is a channel read from a genesis block of Org1MSP (whose block
// readers are its admins and peers) and Org2MSP, ordered by OrdererMSP.
func configured(t *testing.T) (*channel.Channel, *crypto.Material) {
	t.Helper()
	material, err := crypto.Generate(t.TempDir(), []crypto.OrgSpec{
		{MSPID: "OrdererMSP", Domain: "example.com", Orderer: true},
		{MSPID: "Org1MSP", Domain: "org1.example.com", Users: []crypto.UserSpec{{Name: "User1"}}},
		{MSPID: "Org2MSP", Domain: "org2.example.com", Users: []crypto.UserSpec{{Name: "User1"}}},
	})
	require.NoError(t, err)
	return configuredWith(t, material)
}

// configuredWith is configured on existing crypto material.
func configuredWith(t *testing.T, material *crypto.Material) (*channel.Channel, *crypto.Material) {
	t.Helper()
	genesis := channeltest.Genesis(t, material, `
channel: ch
orderer: {mspId: OrdererMSP, domain: example.com, port: 7050}
orgs:
  - {mspId: Org1MSP, domain: org1.example.com, peerPort: 7051, blockReaders: [admin, peer]}
  - {mspId: Org2MSP, domain: org2.example.com, peerPort: 9051}
chaincodes:
  - {name: cc, address: "127.0.0.1:9999"}
`)
	ch, err := channel.FromBlock(genesis, []string{"Org1MSP", "Org2MSP"}, []channel.Definition{{Name: "cc", Version: "1.0", Policy: "MAJORITY Endorsement"}})
	require.NoError(t, err)
	return ch, material
}

func userSigner(t *testing.T, material *crypto.Material, mspID, name string) *crypto.Signer {
	t.Helper()
	org, err := material.Org(mspID)
	require.NoError(t, err)
	s, err := org.UserSigner(name)
	require.NoError(t, err)
	return s
}

func TestVerifyBlock(t *testing.T) {
	ch, material := configured(t)
	newBlock := func() *common.Block {
		data := &common.BlockData{Data: [][]byte{[]byte("tx")}}
		return &common.Block{Header: &common.BlockHeader{Number: 1, DataHash: ledger.BlockDataHash(data)}, Data: data}
	}
	tests := []struct {
		name    string
		block   func() *common.Block
		wantErr string
	}{
		{"A block the orderer signed is accepted", func() *common.Block {
			b := newBlock()
			require.NoError(t, protoutil.SignBlock(b, 0, signer(t, material, "OrdererMSP")))
			return b
		}, ""},
		{"A block a peer signed is refused", func() *common.Block {
			b := newBlock()
			require.NoError(t, protoutil.SignBlock(b, 0, signer(t, material, "Org1MSP")))
			return b
		}, "BlockValidation"},
		{"A block whose data changed after signing is refused", func() *common.Block {
			b := newBlock()
			require.NoError(t, protoutil.SignBlock(b, 0, signer(t, material, "OrdererMSP")))
			b.Data.Data[0] = []byte("other")
			return b
		}, "data hash"},
		{"A block whose header changed after signing is refused", func() *common.Block {
			b := newBlock()
			require.NoError(t, protoutil.SignBlock(b, 0, signer(t, material, "OrdererMSP")))
			b.Header.Number = 2
			return b
		}, "BlockValidation"},
		{"An unsigned block is refused", func() *common.Block {
			b := newBlock()
			b.Metadata = &common.BlockMetadata{Metadata: make([][]byte, 5)}
			return b
		}, "BlockValidation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ch.VerifyBlock(tt.block())
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
	t.Run("Every block carries its last config index", func(t *testing.T) {
		b := newBlock()
		require.NoError(t, protoutil.SignBlock(b, 7, signer(t, material, "OrdererMSP")))
		index, err := protoutil.LastConfigIndex(b)
		require.NoError(t, err)
		require.Equal(t, uint64(7), index)
	})
}

func TestConfiguredPolicies(t *testing.T) {
	ch, material := configured(t)
	data := []byte("request")
	signedBy := func(s *crypto.Signer) []policy.SignedData { return []policy.SignedData{endorsement(t, s, data)} }
	org1User, org2User := userSigner(t, material, "Org1MSP", "User1"), userSigner(t, material, "Org2MSP", "User1")
	org1Admin := userSigner(t, material, "Org1MSP", crypto.AdminUser)
	tests := []struct {
		name    string
		check   func() error
		allowed bool
	}{
		{"A client is a channel writer", func() error { return ch.EvaluatePolicy(channel.ChannelWritersPolicy, signedBy(org1User)) }, true},
		{"A peer is not a channel writer", func() error {
			return ch.EvaluatePolicy(channel.ChannelWritersPolicy, signedBy(signer(t, material, "Org1MSP")))
		}, false},
		{"An org whose clients are block readers lets its client read blocks", func() error { return ch.CheckACL("event/Block", signedBy(org2User)) }, true},
		{"An org that keeps clients out of its block readers refuses its client", func() error { return ch.CheckACL("event/Block", signedBy(org1User)) }, false},
		{"That org's admin reads blocks", func() error { return ch.CheckACL("qscc/GetBlockByNumber", signedBy(org1Admin)) }, true},
		{"That org's client reads filtered blocks", func() error { return ch.CheckACL("event/FilteredBlock", signedBy(org1User)) }, true},
		{"That org's client reads the chain height", func() error { return ch.CheckACL("qscc/GetChainInfo", signedBy(org1User)) }, true},
		{"MAJORITY of two orgs needs both peers", func() error {
			p, _ := ch.ChaincodePolicy("cc")
			return p.EvaluateSignedData(signedBy(signer(t, material, "Org1MSP")))
		}, false},
		{"MAJORITY of two orgs is met by both peers", func() error {
			p, _ := ch.ChaincodePolicy("cc")
			return p.EvaluateSignedData([]policy.SignedData{endorsement(t, signer(t, material, "Org1MSP"), data), endorsement(t, signer(t, material, "Org2MSP"), data)})
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.allowed, tt.check() == nil)
		})
	}
	t.Run("Reads the orgs, orderer endpoints and batch settings", func(t *testing.T) {
		require.Equal(t, []string{"Org1MSP", "Org2MSP"}, ch.Orgs())
		require.Equal(t, []string{"orderer.example.com:7050"}, ch.OrdererEndpoints())
		size, timeout := ch.Batch()
		require.Equal(t, 100, size)
		require.Positive(t, timeout)
		require.Equal(t, "peer0.org1.example.com", ch.AnchorPeers("Org1MSP")[0].GetHost())
	})
}
