package devnet_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
)

func TestReplayedTransaction(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	network, err := devnet.Start(context.Background(), devnet.Options{Config: testConfig("MAJORITY Endorsement"), Dir: dir, FreePorts: true})
	require.NoError(t, err)
	defer func() { _ = network.Close() }()
	gw := connectGateway(t, network, core, "User1")
	contract := gw.GetNetwork(network.Channel()).GetContract("basic")

	proposal, err := contract.NewProposal("Put", client.WithArguments("replayed", "v1"))
	require.NoError(t, err)
	original, err := proposal.Endorse()
	require.NoError(t, err)
	first := submitStatus(t, original)
	require.Equal(t, peer.TxValidationCode_VALID, first.Code)
	_, err = contract.SubmitTransaction("Put", "replayed", "v2")
	require.NoError(t, err)

	t.Run("The signed proposal cannot be endorsed again", func(t *testing.T) {
		signedProposal, err := proposal.Bytes()
		require.NoError(t, err)
		again, err := gw.NewProposal(signedProposal)
		require.NoError(t, err)
		_, err = again.Endorse()
		var endorseErr *client.EndorseError
		require.ErrorAs(t, err, &endorseErr)
		require.Contains(t, fmt.Sprint(endorseErr.Details()), "duplicate transaction found")
	})

	// Submitting the same signed envelope again: the orderer takes it, as
	// Fabric's does, and the commit status is that of the first occurrence.
	signedTransaction, err := original.Bytes()
	require.NoError(t, err)
	prepared := &gateway.PreparedTransaction{}
	require.NoError(t, proto.Unmarshal(signedTransaction, prepared))
	replay, err := gw.NewSignedTransaction(signedTransaction, prepared.GetEnvelope().GetSignature())
	require.NoError(t, err)
	require.Equal(t, original.TransactionID(), replay.TransactionID())
	replayed := submitStatus(t, replay)
	// A later transaction commits after the replay, so the peer has it.
	_, err = contract.SubmitTransaction("Put", "after-replay", "v")
	require.NoError(t, err)

	t.Run("The commit status of the replay is the first occurrence's", func(t *testing.T) {
		require.Equal(t, peer.TxValidationCode_VALID, replayed.Code)
		require.Equal(t, first.BlockNumber, replayed.BlockNumber)
	})

	t.Run("The replay changes nothing", func(t *testing.T) {
		value, err := contract.EvaluateTransaction("Get", "replayed")
		require.NoError(t, err)
		require.Equal(t, "v2", string(value))
	})

	require.NoError(t, network.Close())
	t.Run("The replay is in a later block marked DUPLICATE_TXID", func(t *testing.T) {
		store, err := ledger.Open(peerLedgerDir(dir, "core.example.com"))
		require.NoError(t, err)
		defer func() { require.NoError(t, store.Close()) }()
		var occurrences []peer.TxValidationCode
		var blocks []uint64
		for num := uint64(1); num < store.Height(); num++ {
			block, err := store.GetBlock(num)
			require.NoError(t, err)
			codes := ledger.TxFilter(block)
			for i, data := range block.GetData().GetData() {
				envelope := &common.Envelope{}
				require.NoError(t, proto.Unmarshal(data, envelope))
				tx, err := ledger.ParseTx(envelope)
				require.NoError(t, err)
				if tx.ID == original.TransactionID() {
					occurrences = append(occurrences, codes[i])
					blocks = append(blocks, num)
				}
			}
		}
		require.Equal(t, []peer.TxValidationCode{peer.TxValidationCode_VALID, peer.TxValidationCode_DUPLICATE_TXID}, occurrences)
		require.Equal(t, first.BlockNumber, blocks[0])
		require.Greater(t, blocks[1], blocks[0])
	})
}

// strangerSign signs with a fresh key: well-formed signatures that verify
// against no enrolled certificate.
func strangerSign(t *testing.T) identity.Sign {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	sign, err := identity.NewPrivateKeySign(key)
	require.NoError(t, err)
	return sign
}

// outsider is an identity claiming a channel MSP ID with a certificate from
// a CA the channel does not know.
func outsider(t *testing.T, mspID string) (*identity.X509Identity, identity.Sign) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "User1@core.example.com", OrganizationalUnit: []string{"client"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := identity.CertificateFromPEM(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	require.NoError(t, err)
	id, err := identity.NewX509Identity(mspID, cert)
	require.NoError(t, err)
	sign, err := identity.NewPrivateKeySign(key)
	require.NoError(t, err)
	return id, sign
}

func TestRejectedCallers(t *testing.T) {
	t.Parallel()
	network := startNetwork(t, testConfig("MAJORITY Endorsement"), "")
	_, err := connect(t, network, core, "User1").SubmitTransaction("Put", "guarded", "v1")
	require.NoError(t, err)

	stranger, signAsStranger := outsider(t, core)
	callers := []struct {
		name    string
		connect func(t *testing.T) *client.Gateway
	}{
		{"A user whose signatures do not verify", func(t *testing.T) *client.Gateway {
			return connectGateway(t, network, core, "User1", client.WithSign(strangerSign(t))).Gateway
		}},
		{"An identity from a CA outside the channel", func(t *testing.T) *client.Gateway {
			conn, err := network.Dial(core)
			require.NoError(t, err)
			t.Cleanup(func() { _ = conn.Close() })
			gw, err := client.Connect(stranger, client.WithSign(signAsStranger), client.WithHash(hash.SHA256), client.WithClientConnection(conn))
			require.NoError(t, err)
			t.Cleanup(func() { _ = gw.Close() })
			return gw
		}},
	}
	for _, caller := range callers {
		t.Run(caller.name, func(t *testing.T) {
			gw := caller.connect(t)
			contract := gw.GetNetwork(network.Channel()).GetContract("basic")

			t.Run("is refused an evaluation", func(t *testing.T) {
				_, err := contract.EvaluateTransaction("Get", "guarded")
				require.Error(t, err)
				require.Contains(t, fmt.Sprint(status.Convert(err).Details()), "access denied")
			})

			t.Run("is refused an endorsement", func(t *testing.T) {
				_, err := contract.SubmitTransaction("Put", "guarded", "stolen")
				var endorseErr *client.EndorseError
				require.ErrorAs(t, err, &endorseErr)
				require.Equal(t, codes.Aborted, status.Code(endorseErr))
				require.Contains(t, fmt.Sprint(endorseErr.Details()), "access denied")
			})

			t.Run("is refused chaincode events", func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				request, err := gw.GetNetwork(network.Channel()).NewChaincodeEventsRequest("basic", client.WithStartBlock(0))
				require.NoError(t, err)
				events, err := request.Events(ctx)
				if err == nil {
					_, open := <-events
					require.False(t, open, "no event is delivered")
				} else {
					require.Equal(t, codes.PermissionDenied, status.Code(err))
				}
			})
		})
	}

	t.Run("A transaction whose envelope signature does not verify is refused by the orderer", func(t *testing.T) {
		gw := connectGateway(t, network, core, "User1")
		contract := gw.GetNetwork(network.Channel()).GetContract("basic")
		transaction := endorse(t, contract, "Put", client.WithArguments("guarded", "forged"))
		signedTransaction, err := transaction.Bytes()
		require.NoError(t, err)
		forged, err := strangerSign(t)(transaction.Digest())
		require.NoError(t, err)
		tampered, err := gw.NewSignedTransaction(signedTransaction, forged)
		require.NoError(t, err)
		_, err = tampered.Submit()
		var submitErr *client.SubmitError
		require.ErrorAs(t, err, &submitErr)
		require.Equal(t, codes.Aborted, status.Code(submitErr))
	})

	t.Run("The guarded value is unchanged", func(t *testing.T) {
		value, err := connect(t, network, bank, "User1").EvaluateTransaction("Get", "guarded")
		require.NoError(t, err)
		require.Equal(t, "v1", string(value))
	})
}
