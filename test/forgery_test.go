package test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	signing "github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/devnettest"
	"github.com/scfledger/warrants/test/testnet"
)

// strangerSign signs with a fresh key: well-formed signatures that verify
// against no enrolled certificate.
func strangerSign(t *testing.T) signing.Sign {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	sign, err := signing.NewPrivateKeySign(key)
	require.NoError(t, err)
	return sign
}

// userSign signs with an enrolled user's own key, as the client library does.
func userSign(t *testing.T, network *devnet.Network, id identity) signing.Sign {
	t.Helper()
	org, err := network.Material().Org(id.mspID)
	require.NoError(t, err)
	user, err := org.User(id.user)
	require.NoError(t, err)
	sign, err := signing.NewPrivateKeySign(user.Key)
	require.NoError(t, err)
	return sign
}

// resign rebuilds an endorsed transaction with its envelope payload changed
// by alter and signs it with sign.
func resign(t *testing.T, gw *client.Gateway, transaction *client.Transaction, sign signing.Sign, alter func([]byte) []byte) *client.Transaction {
	t.Helper()
	data, err := transaction.Bytes()
	require.NoError(t, err)
	prepared := &gateway.PreparedTransaction{}
	require.NoError(t, proto.Unmarshal(data, prepared))
	prepared.Envelope.Payload = alter(prepared.GetEnvelope().GetPayload())
	prepared.Envelope.Signature = nil
	data, err = proto.Marshal(prepared)
	require.NoError(t, err)
	unsigned, err := gw.NewTransaction(data)
	require.NoError(t, err)
	signature, err := sign(unsigned.Digest())
	require.NoError(t, err)
	signed, err := gw.NewSignedTransaction(data, signature)
	require.NoError(t, err)
	return signed
}

// alterEndorsedAction changes the endorsed action of a transaction payload.
func alterEndorsedAction(t *testing.T, alter func(*peer.ChaincodeEndorsedAction)) func([]byte) []byte {
	return func(data []byte) []byte {
		payload := &common.Payload{}
		require.NoError(t, proto.Unmarshal(data, payload))
		tx := &peer.Transaction{}
		require.NoError(t, proto.Unmarshal(payload.GetData(), tx))
		action := &peer.ChaincodeActionPayload{}
		require.NoError(t, proto.Unmarshal(tx.GetActions()[0].GetPayload(), action))
		alter(action.GetAction())
		var err error
		tx.Actions[0].Payload, err = proto.Marshal(action)
		require.NoError(t, err)
		payload.Data, err = proto.Marshal(tx)
		require.NoError(t, err)
		data, err = proto.Marshal(payload)
		require.NoError(t, err)
		return data
	}
}

// TestForgedAndReplayedTransactions tampers with signed warrant transactions
// and replays them: nothing forged commits, and a replayed transaction is
// marked DUPLICATE_TXID in the ledger without a second effect.
func TestForgedAndReplayedTransactions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	net := testnet.StartWith(t, testnet.Options{Dir: dir})
	network := net.Network
	c := chainOn(t, net)
	target := c.active(jinggong, 1_000_000, inDays(90))
	splitTo := func(recipient identity) client.ProposalOption {
		return client.WithArguments(splitBody(target.ID, "["+partJSON(codeOf(recipient), "1000")+"]"))
	}
	contract, gw := c.fresh(jinggong)
	lookups := warrantLookups(target.ID)
	before := c.fingerprint(t, lookups)
	txIDs := map[string]string{}

	t.Run("A proposal signed with a key that is not the caller's is refused", func(t *testing.T) {
		forger, err := network.Connect(jinggong.mspID, jinggong.user, client.WithSign(strangerSign(t)))
		require.NoError(t, err)
		defer func() { _ = forger.Close() }()
		_, err = forger.GetNetwork(network.Channel()).GetContract(testnet.ChaincodeName).Submit("transfer:SplitTransfer", splitTo(hengda))
		var endorseErr *client.EndorseError
		require.ErrorAs(t, err, &endorseErr)
	})

	t.Run("A proposal whose recipient was changed after signing is refused", func(t *testing.T) {
		proposal, err := contract.NewProposal("transfer:SplitTransfer", splitTo(hengda))
		require.NoError(t, err)
		signature, err := userSign(t, network, jinggong)(proposal.Digest())
		require.NoError(t, err)
		data, err := proposal.Bytes()
		require.NoError(t, err)
		tampered := bytes.ReplaceAll(data, []byte(codeOf(hengda)), []byte(codeOf(lianchuang)))
		require.NotEqual(t, data, tampered)
		forged, err := gw.NewSignedProposal(tampered, signature)
		require.NoError(t, err)
		_, err = forged.Endorse()
		var endorseErr *client.EndorseError
		require.ErrorAs(t, err, &endorseErr)
	})

	t.Run("A transaction whose envelope signature is forged is refused by the orderer", func(t *testing.T) {
		proposal, err := contract.NewProposal("transfer:SplitTransfer", splitTo(hengda))
		require.NoError(t, err)
		transaction, err := proposal.Endorse()
		require.NoError(t, err)
		forged := resign(t, gw, transaction, strangerSign(t), func(payload []byte) []byte { return payload })
		_, err = forged.Submit()
		var submitErr *client.SubmitError
		require.ErrorAs(t, err, &submitErr)
		txIDs["forged envelope"] = transaction.TransactionID()
	})

	swap := func(data []byte) []byte {
		return bytes.ReplaceAll(data, []byte(codeOf(hengda)), []byte(codeOf(lianchuang)))
	}
	tampered := []struct {
		name  string
		alter func([]byte) []byte
		want  peer.TxValidationCode
	}{
		// The proposal no longer hashes to what the peers endorsed.
		{"whose arguments and endorsed results name another recipient", swap, peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION},
		// The endorsers' signatures no longer cover the results.
		{"whose endorsed results alone name another recipient", alterEndorsedAction(t, func(action *peer.ChaincodeEndorsedAction) {
			action.ProposalResponsePayload = swap(action.GetProposalResponsePayload())
		}), peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
		{"that keeps one endorsement of the two MAJORITY needs", alterEndorsedAction(t, func(action *peer.ChaincodeEndorsedAction) {
			require.Greater(t, len(action.GetEndorsements()), 1)
			action.Endorsements = action.GetEndorsements()[:1]
		}), peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
	}
	for _, tt := range tampered {
		t.Run("A transaction "+tt.name+", signed by the caller, does not commit", func(t *testing.T) {
			proposal, err := contract.NewProposal("transfer:SplitTransfer", splitTo(hengda))
			require.NoError(t, err)
			transaction, err := proposal.Endorse()
			require.NoError(t, err)
			txIDs[tt.name] = transaction.TransactionID()
			forged := resign(t, gw, transaction, userSign(t, network, jinggong), tt.alter)
			commit, err := forged.Submit()
			require.NoError(t, err, "the orderer takes a well-signed envelope")
			status, err := commit.Status()
			require.NoError(t, err)
			require.Equal(t, tt.want, status.Code)
		})
	}

	t.Run("No forgery changed the warrant", func(t *testing.T) {
		c.requireSameAnswers(t, before, lookups)
	})

	// The one genuine split, then its envelope sent again.
	proposal, err := contract.NewProposal("transfer:SplitTransfer", splitTo(hengda))
	require.NoError(t, err)
	original, err := proposal.Endorse()
	require.NoError(t, err)
	commit, err := original.Submit()
	require.NoError(t, err)
	first, err := commit.Status()
	require.NoError(t, err)
	require.Equal(t, peer.TxValidationCode_VALID, first.Code)
	var split warrant.SplitResult
	require.NoError(t, json.Unmarshal(original.Result(), &split))
	splitLookups := warrantLookups(append([]string{target.ID}, childIDs(split)...)...)
	afterSplit := c.fingerprint(t, splitLookups)

	// The long variant replays the transaction many times.
	replays := 1
	if long() {
		replays = 16
	}
	t.Run("The same signed transaction submitted again commits nothing", func(t *testing.T) {
		data, err := original.Bytes()
		require.NoError(t, err)
		prepared := &gateway.PreparedTransaction{}
		require.NoError(t, proto.Unmarshal(data, prepared))
		for range replays {
			replay, err := gw.NewSignedTransaction(data, prepared.GetEnvelope().GetSignature())
			require.NoError(t, err)
			replayCommit, err := replay.Submit()
			require.NoError(t, err, "the orderer takes the replay, as Fabric's does")
			replayed, err := replayCommit.Status()
			require.NoError(t, err)
			require.Equal(t, first.BlockNumber, replayed.BlockNumber, "the status is the first occurrence's")
		}
		// A later transaction commits after the replay's block.
		c.mustSubmit(bank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: codeOf(core), Limit: testnet.CreditLimit}, nil)
		c.requireSameAnswers(t, afterSplit, splitLookups)
	})

	t.Run("The signed proposal cannot be endorsed again", func(t *testing.T) {
		_, err := proposal.Endorse()
		var endorseErr *client.EndorseError
		require.ErrorAs(t, err, &endorseErr)
	})

	require.NoError(t, net.Stop())
	t.Run("Every peer's ledger has the split once VALID, the replay DUPLICATE_TXID and the forgeries invalid", func(t *testing.T) {
		for _, org := range testnet.Config().Orgs {
			store, err := devnettest.OpenLedger(dir, org)
			require.NoError(t, err)
			require.NoError(t, store.VerifyChain(), org.MSPID)
			occurrences, err := store.TxOccurrences()
			require.NoError(t, err)
			want := []peer.TxValidationCode{peer.TxValidationCode_VALID}
			for range replays {
				want = append(want, peer.TxValidationCode_DUPLICATE_TXID)
			}
			require.Equal(t, want, occurrences[original.TransactionID()], org.MSPID)
			require.Empty(t, occurrences[txIDs["forged envelope"]], "%s: the orderer refused it", org.MSPID)
			for _, tt := range tampered {
				require.Equal(t, []peer.TxValidationCode{tt.want}, occurrences[txIDs[tt.name]], "%s: %s", org.MSPID, tt.name)
			}
			requireLedgerConserved(t, store)
			require.NoError(t, store.Close())
		}
	})
}

// childIDs lists the ids of a split's children.
func childIDs(split warrant.SplitResult) []string {
	ids := make([]string, len(split.Children))
	for i, child := range split.Children {
		ids[i] = child.ID
	}
	return ids
}
