package protoutil

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

var (
	testCreator = []byte("creator")
	testNonce   = []byte("nonce")
)

func marshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	raw, err := proto.Marshal(m)
	require.NoError(t, err)
	return raw
}

// headerChange alters a proposal's headers before they are marshalled.
type headerChange func(*common.ChannelHeader, *common.SignatureHeader)

// signedProposal builds a proposal for chaincode "cc" as a client does.
func signedProposal(t *testing.T, changes ...headerChange) *peer.SignedProposal {
	t.Helper()
	channelHeader := &common.ChannelHeader{
		Type:      int32(common.HeaderType_ENDORSER_TRANSACTION),
		ChannelId: "ch",
		TxId:      ComputeTxID(testNonce, testCreator),
		Extension: marshal(t, &peer.ChaincodeHeaderExtension{ChaincodeId: &peer.ChaincodeID{Name: "cc"}}),
	}
	signatureHeader := &common.SignatureHeader{Creator: testCreator, Nonce: testNonce}
	for _, change := range changes {
		change(channelHeader, signatureHeader)
	}
	header := &common.Header{ChannelHeader: marshal(t, channelHeader), SignatureHeader: marshal(t, signatureHeader)}
	input := marshal(t, &peer.ChaincodeInvocationSpec{ChaincodeSpec: &peer.ChaincodeSpec{
		ChaincodeId: &peer.ChaincodeID{Name: "cc"},
		Input:       &peer.ChaincodeInput{Args: [][]byte{[]byte("Put"), []byte("k"), []byte("v")}},
	}})
	payload := marshal(t, &peer.ChaincodeProposalPayload{Input: input, TransientMap: map[string][]byte{"secret": []byte("s")}})
	return &peer.SignedProposal{ProposalBytes: marshal(t, &peer.Proposal{Header: marshal(t, header), Payload: payload}), Signature: []byte("sig")}
}

// response is an endorsement of the proposal with the given action.
func response(t *testing.T, proposal *Proposal, endorser string, action *peer.ChaincodeAction) *peer.ProposalResponse {
	t.Helper()
	payload := marshal(t, &peer.ProposalResponsePayload{ProposalHash: proposal.Hash, Extension: marshal(t, action)})
	return &peer.ProposalResponse{Payload: payload, Endorsement: &peer.Endorsement{Endorser: []byte(endorser), Signature: []byte("sig-" + endorser)}}
}

func transactionEnvelope(t *testing.T, changes ...headerChange) *common.Envelope {
	t.Helper()
	proposal, err := UnpackProposal(signedProposal(t, changes...))
	require.NoError(t, err)
	action := &peer.ChaincodeAction{Results: []byte("rwset"), Response: &peer.Response{Status: 200}}
	envelope, err := CreateUnsignedEnvelope(proposal, []*peer.ProposalResponse{response(t, proposal, "a", action), response(t, proposal, "b", action)})
	require.NoError(t, err)
	return envelope
}

func TestUnpackHeader(t *testing.T) {
	t.Run("Reads the type and transaction ID of any envelope", func(t *testing.T) {
		header, err := UnpackHeader(transactionEnvelope(t))
		require.NoError(t, err)
		require.Equal(t, common.HeaderType_ENDORSER_TRANSACTION, header.Type())
		require.Equal(t, ComputeTxID(testNonce, testCreator), header.TxID())
		require.Equal(t, testCreator, header.SignatureHeader.GetCreator())
	})
	tests := []struct {
		name     string
		envelope *common.Envelope
		code     peer.TxValidationCode
	}{
		{"A nil envelope", nil, peer.TxValidationCode_NIL_ENVELOPE},
		{"An envelope without payload", &common.Envelope{}, peer.TxValidationCode_NIL_ENVELOPE},
		{"A payload that is not a proto", &common.Envelope{Payload: []byte{0xff, 0xff}}, peer.TxValidationCode_BAD_PAYLOAD},
		{"A payload without header", &common.Envelope{Payload: marshal(t, &common.Payload{Data: []byte("x")})}, peer.TxValidationCode_BAD_PAYLOAD},
		{"A channel header that is not a proto", &common.Envelope{Payload: marshal(t, &common.Payload{Header: &common.Header{ChannelHeader: []byte{0xff}}})}, peer.TxValidationCode_BAD_COMMON_HEADER},
		{"A signature header that is not a proto", &common.Envelope{Payload: marshal(t, &common.Payload{Header: &common.Header{SignatureHeader: []byte{0xff}}})}, peer.TxValidationCode_BAD_COMMON_HEADER},
	}
	for _, tt := range tests {
		t.Run("Rejects "+tt.name, func(t *testing.T) {
			_, err := UnpackHeader(tt.envelope)
			var envelopeErr *EnvelopeError
			require.ErrorAs(t, err, &envelopeErr)
			require.Equal(t, tt.code, envelopeErr.Code)
		})
	}
}

func TestUnpackTransaction(t *testing.T) {
	t.Run("Takes a well-formed transaction apart", func(t *testing.T) {
		tx, err := UnpackTransaction(transactionEnvelope(t))
		require.NoError(t, err)
		require.Equal(t, ComputeTxID(testNonce, testCreator), tx.TxID())
		require.Equal(t, []byte("rwset"), tx.Action.GetResults())
		require.Len(t, tx.Endorsements(), 2)
		require.Equal(t, []byte("a"), tx.Endorsements()[0].GetEndorser())
	})

	// rebuild changes the decoded transaction of a well-formed envelope and
	// marshals it again.
	rebuild := func(t *testing.T, change func(payload *common.Payload, transaction *peer.Transaction)) *common.Envelope {
		t.Helper()
		payload := &common.Payload{}
		require.NoError(t, proto.Unmarshal(transactionEnvelope(t).GetPayload(), payload))
		transaction := &peer.Transaction{}
		require.NoError(t, proto.Unmarshal(payload.GetData(), transaction))
		change(payload, transaction)
		payload.Data = marshal(t, transaction)
		return &common.Envelope{Payload: marshal(t, payload)}
	}
	tests := []struct {
		name     string
		envelope *common.Envelope
		code     peer.TxValidationCode
		// decodes tells whether DecodeTransaction, which skips the checks, reads it.
		decodes bool
	}{
		{"A configuration transaction", rebuild(t, func(payload *common.Payload, _ *peer.Transaction) {
			header := &common.ChannelHeader{}
			require.NoError(t, proto.Unmarshal(payload.GetHeader().GetChannelHeader(), header))
			header.Type = int32(common.HeaderType_CONFIG)
			payload.Header.ChannelHeader = marshal(t, header)
		}), peer.TxValidationCode_UNSUPPORTED_TX_PAYLOAD, false},
		{"A transaction ID not computed from nonce and creator", rebuild(t, func(payload *common.Payload, _ *peer.Transaction) {
			header := &common.ChannelHeader{}
			require.NoError(t, proto.Unmarshal(payload.GetHeader().GetChannelHeader(), header))
			header.TxId = "chosen"
			payload.Header.ChannelHeader = marshal(t, header)
		}), peer.TxValidationCode_BAD_PROPOSAL_TXID, true},
		{"A non-zero epoch", rebuild(t, func(payload *common.Payload, _ *peer.Transaction) {
			header := &common.ChannelHeader{}
			require.NoError(t, proto.Unmarshal(payload.GetHeader().GetChannelHeader(), header))
			header.Epoch = 1
			payload.Header.ChannelHeader = marshal(t, header)
		}), peer.TxValidationCode_BAD_COMMON_HEADER, true},
		{"Two actions", rebuild(t, func(_ *common.Payload, transaction *peer.Transaction) {
			transaction.Actions = append(transaction.Actions, transaction.GetActions()[0])
		}), peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, false},
		{"An action header other than the transaction's", rebuild(t, func(_ *common.Payload, transaction *peer.Transaction) {
			transaction.Actions[0].Header = []byte("other")
		}), peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, true},
		{"An action payload that is not a proto", rebuild(t, func(_ *common.Payload, transaction *peer.Transaction) {
			transaction.Actions[0].Payload = []byte{0xff}
		}), peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, false},
		{"A proposal hash that does not match", rebuild(t, func(_ *common.Payload, transaction *peer.Transaction) {
			actionPayload := &peer.ChaincodeActionPayload{}
			require.NoError(t, proto.Unmarshal(transaction.GetActions()[0].GetPayload(), actionPayload))
			actionPayload.ChaincodeProposalPayload = []byte("another proposal")
			transaction.Actions[0].Payload = marshal(t, actionPayload)
		}), peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, true},
	}
	for _, tt := range tests {
		t.Run("Rejects "+tt.name, func(t *testing.T) {
			_, err := UnpackTransaction(tt.envelope)
			var envelopeErr *EnvelopeError
			require.ErrorAs(t, err, &envelopeErr)
			require.Equal(t, tt.code, envelopeErr.Code)
			_, err = DecodeTransaction(tt.envelope)
			require.Equal(t, tt.decodes, err == nil, "DecodeTransaction: %v", err)
		})
	}
}

func TestCreateUnsignedEnvelope(t *testing.T) {
	proposal, err := UnpackProposal(signedProposal(t))
	require.NoError(t, err)
	action := &peer.ChaincodeAction{Results: []byte("rwset")}

	t.Run("Leaves the transient data out of the transaction", func(t *testing.T) {
		envelope, err := CreateUnsignedEnvelope(proposal, []*peer.ProposalResponse{response(t, proposal, "a", action)})
		require.NoError(t, err)
		tx, err := UnpackTransaction(envelope)
		require.NoError(t, err)
		payload := &peer.ChaincodeProposalPayload{}
		require.NoError(t, proto.Unmarshal(tx.ActionPayload.GetChaincodeProposalPayload(), payload))
		require.Empty(t, payload.GetTransientMap())
		require.Empty(t, envelope.GetSignature(), "the client signs it")
	})
	tests := []struct {
		name      string
		responses []*peer.ProposalResponse
		want      string
	}{
		{"No response", nil, "at least one proposal response"},
		{"Responses with different results", []*peer.ProposalResponse{
			response(t, proposal, "a", action),
			response(t, proposal, "b", &peer.ChaincodeAction{Results: []byte("other")}),
		}, "do not match"},
		{"A response without endorsement", []*peer.ProposalResponse{{Payload: response(t, proposal, "a", action).GetPayload()}}, "no endorsement"},
	}
	for _, tt := range tests {
		t.Run("Rejects "+tt.name, func(t *testing.T) {
			_, err := CreateUnsignedEnvelope(proposal, tt.responses)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestUnpackProposal(t *testing.T) {
	t.Run("Reads the chaincode, the transaction ID and the hash without transient data", func(t *testing.T) {
		proposal, err := UnpackProposal(signedProposal(t))
		require.NoError(t, err)
		require.Equal(t, "cc", proposal.ChaincodeName())
		require.Equal(t, ComputeTxID(testNonce, testCreator), proposal.TxID())
		require.Equal(t, testCreator, proposal.Creator())
		require.Equal(t, ProposalHash(proposal.Header, proposal.PayloadWithoutTransient), proposal.Hash)
		require.NotContains(t, string(proposal.PayloadWithoutTransient), "secret")
	})
	tests := []struct {
		name   string
		change headerChange
		want   string
	}{
		{"A configuration header", func(ch *common.ChannelHeader, _ *common.SignatureHeader) { ch.Type = int32(common.HeaderType_CONFIG) }, "invalid header type"},
		{"A non-zero epoch", func(ch *common.ChannelHeader, _ *common.SignatureHeader) { ch.Epoch = 2 }, "invalid epoch"},
		{"No nonce", func(_ *common.ChannelHeader, sh *common.SignatureHeader) { sh.Nonce = nil }, "invalid nonce"},
		{"No creator", func(_ *common.ChannelHeader, sh *common.SignatureHeader) { sh.Creator = nil }, "invalid creator"},
		{"A chosen transaction ID", func(ch *common.ChannelHeader, _ *common.SignatureHeader) { ch.TxId = "mine" }, "incorrectly formed txID"},
		{"A header naming another chaincode", func(ch *common.ChannelHeader, _ *common.SignatureHeader) {
			ch.Extension = marshal(t, &peer.ChaincodeHeaderExtension{ChaincodeId: &peer.ChaincodeID{Name: "other"}})
		}, "does not match"},
	}
	for _, tt := range tests {
		t.Run("Rejects "+tt.name, func(t *testing.T) {
			_, err := UnpackProposal(signedProposal(t, tt.change))
			require.ErrorContains(t, err, tt.want)
		})
	}
	t.Run("Rejects an empty signed proposal", func(t *testing.T) {
		_, err := UnpackProposal(&peer.SignedProposal{})
		require.Error(t, err)
	})
}
