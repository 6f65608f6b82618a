package chaincode_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

const (
	testChannel = "testchannel"
	testMSPID   = "Org1MSP"
	testRole    = "x"
)

// attributeOID is where Fabric CA puts certificate attributes.
var attributeOID = asn1.ObjectIdentifier{1, 2, 3, 4, 5, 6, 7, 8, 1}

// client is a throwaway creator identity whose certificate carries the
// attribute scf.role=x.
type client struct {
	key     *ecdsa.PrivateKey
	creator []byte
}

func newClient(t *testing.T) *client {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "user1", OrganizationalUnit: []string{"client"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{{
			Id:    attributeOID,
			Value: []byte(`{"attrs":{"scf.role":"` + testRole + `"}}`),
		}},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	require.NoError(t, err)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: testMSPID, IdBytes: certPEM})
	require.NoError(t, err)
	return &client{key: key, creator: creator}
}

// proposal builds a signed proposal the way the gateway client does and
// returns it with its transaction ID and chaincode input.
func (c *client) proposal(t *testing.T, chaincodeName string, args ...string) (string, *peer.SignedProposal, *peer.ChaincodeInput) {
	t.Helper()
	nonce := make([]byte, 24)
	_, err := rand.Read(nonce)
	require.NoError(t, err)
	digest := sha256.Sum256(append(append([]byte{}, nonce...), c.creator...))
	txID := hex.EncodeToString(digest[:])

	input := &peer.ChaincodeInput{}
	for _, arg := range args {
		input.Args = append(input.Args, []byte(arg))
	}
	extension := mustMarshal(t, &peer.ChaincodeHeaderExtension{ChaincodeId: &peer.ChaincodeID{Name: chaincodeName}})
	header := mustMarshal(t, &common.Header{
		ChannelHeader: mustMarshal(t, &common.ChannelHeader{
			Type:      int32(common.HeaderType_ENDORSER_TRANSACTION),
			ChannelId: testChannel,
			TxId:      txID,
			Timestamp: timestamppb.Now(),
			Extension: extension,
		}),
		SignatureHeader: mustMarshal(t, &common.SignatureHeader{Creator: c.creator, Nonce: nonce}),
	})
	payload := mustMarshal(t, &peer.ChaincodeProposalPayload{
		Input: mustMarshal(t, &peer.ChaincodeInvocationSpec{ChaincodeSpec: &peer.ChaincodeSpec{
			Type:        peer.ChaincodeSpec_GOLANG,
			ChaincodeId: &peer.ChaincodeID{Name: chaincodeName},
			Input:       input,
		}}),
	})
	proposalBytes := mustMarshal(t, &peer.Proposal{Header: header, Payload: payload})
	hash := sha256.Sum256(proposalBytes)
	signature, err := ecdsa.SignASN1(rand.Reader, c.key, hash[:])
	require.NoError(t, err)
	return txID, &peer.SignedProposal{ProposalBytes: proposalBytes, Signature: signature}, input
}

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	require.NoError(t, err)
	return b
}
