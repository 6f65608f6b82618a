package protoutil

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// CreateUnsignedEnvelope assembles an endorser transaction from a proposal and
// its endorsements, as Fabric's gateway does before the client signs it. All
// responses must carry the same proposal response payload.
func CreateUnsignedEnvelope(proposal *Proposal, responses []*peer.ProposalResponse) (*common.Envelope, error) {
	if len(responses) == 0 {
		return nil, errors.New("at least one proposal response is required")
	}
	payloadBytes := responses[0].GetPayload()
	endorsements := make([]*peer.Endorsement, 0, len(responses))
	for _, response := range responses {
		if !bytes.Equal(response.GetPayload(), payloadBytes) {
			return nil, errors.New("ProposalResponsePayloads do not match")
		}
		if response.GetEndorsement() == nil {
			return nil, errors.New("proposal response has no endorsement")
		}
		endorsements = append(endorsements, response.GetEndorsement())
	}
	actionPayload, err := proto.Marshal(&peer.ChaincodeActionPayload{
		ChaincodeProposalPayload: proposal.PayloadWithoutTransient,
		Action: &peer.ChaincodeEndorsedAction{
			ProposalResponsePayload: payloadBytes,
			Endorsements:            endorsements,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("marshal chaincode action payload: %w", err)
	}
	transaction, err := proto.Marshal(&peer.Transaction{Actions: []*peer.TransactionAction{{
		Header:  proposal.Header.GetSignatureHeader(),
		Payload: actionPayload,
	}}})
	if err != nil {
		return nil, fmt.Errorf("marshal transaction: %w", err)
	}
	payload, err := proto.Marshal(&common.Payload{Header: proposal.Header, Data: transaction})
	if err != nil {
		return nil, fmt.Errorf("marshal payload: %w", err)
	}
	return &common.Envelope{Payload: payload}, nil
}

// Header is an envelope's payload with its two headers decoded: what every
// kind of envelope carries.
type Header struct {
	Envelope        *common.Envelope
	Payload         *common.Payload
	ChannelHeader   *common.ChannelHeader
	SignatureHeader *common.SignatureHeader
}

// Type is the channel header's type.
func (h *Header) Type() common.HeaderType { return common.HeaderType(h.ChannelHeader.GetType()) }

// TxID is the transaction ID in the channel header.
func (h *Header) TxID() string { return h.ChannelHeader.GetTxId() }

// Transaction is an endorser transaction envelope taken apart.
type Transaction struct {
	Header
	// ActionPayload holds the proposal payload (without transient data) and the endorsed action.
	ActionPayload *peer.ChaincodeActionPayload
	// ResponsePayload is what every endorser signed.
	ResponsePayload *peer.ProposalResponsePayload
	// Action is the chaincode's result: read-write set, event, response, chaincode ID.
	Action *peer.ChaincodeAction
}

// Endorsements are the endorsements carried by the transaction.
func (t *Transaction) Endorsements() []*peer.Endorsement {
	return t.ActionPayload.GetAction().GetEndorsements()
}

// EnvelopeError is a failure to take a transaction apart, with the validation
// code Fabric's committer gives such a transaction.
type EnvelopeError struct {
	Code peer.TxValidationCode
	Err  error
}

func (e *EnvelopeError) Error() string { return fmt.Sprintf("%s: %v", e.Code, e.Err) }

func (e *EnvelopeError) Unwrap() error { return e.Err }

func envelopeError(code peer.TxValidationCode, format string, args ...any) error {
	return &EnvelopeError{Code: code, Err: fmt.Errorf(format, args...)}
}

// UnpackHeader decodes an envelope's payload and headers, whatever its type.
// Errors are *EnvelopeError with the matching validation code.
func UnpackHeader(envelope *common.Envelope) (*Header, error) {
	if envelope == nil || len(envelope.GetPayload()) == 0 {
		return nil, envelopeError(peer.TxValidationCode_NIL_ENVELOPE, "nil envelope")
	}
	h := &Header{
		Envelope:        envelope,
		Payload:         &common.Payload{},
		ChannelHeader:   &common.ChannelHeader{},
		SignatureHeader: &common.SignatureHeader{},
	}
	if err := proto.Unmarshal(envelope.GetPayload(), h.Payload); err != nil {
		return nil, envelopeError(peer.TxValidationCode_BAD_PAYLOAD, "unmarshal payload: %v", err)
	}
	header := h.Payload.GetHeader()
	if header == nil {
		return nil, envelopeError(peer.TxValidationCode_BAD_PAYLOAD, "payload has no header")
	}
	if err := proto.Unmarshal(header.GetChannelHeader(), h.ChannelHeader); err != nil {
		return nil, envelopeError(peer.TxValidationCode_BAD_COMMON_HEADER, "unmarshal channel header: %v", err)
	}
	if err := proto.Unmarshal(header.GetSignatureHeader(), h.SignatureHeader); err != nil {
		return nil, envelopeError(peer.TxValidationCode_BAD_COMMON_HEADER, "unmarshal signature header: %v", err)
	}
	return h, nil
}

// DecodeTransaction takes an endorser transaction envelope apart down to its
// chaincode action without checking it: for a transaction already validated
// (a ledger replaying its blocks) or one only read. [UnpackTransaction] is the
// checked form. Errors are *EnvelopeError.
func DecodeTransaction(envelope *common.Envelope) (*Transaction, error) {
	h, err := UnpackHeader(envelope)
	if err != nil {
		return nil, err
	}
	return h.Transaction()
}

// Transaction decodes, without checks, the endorser transaction the header
// belongs to (see [DecodeTransaction]).
func (h *Header) Transaction() (*Transaction, error) {
	if h.Type() != common.HeaderType_ENDORSER_TRANSACTION {
		return nil, envelopeError(peer.TxValidationCode_UNSUPPORTED_TX_PAYLOAD, "unsupported header type %d", h.ChannelHeader.GetType())
	}
	tx, _, err := decodeAction(h)
	return tx, err
}

// decodeAction decodes the single action of an endorser transaction and
// returns it with the transaction action's header.
func decodeAction(h *Header) (*Transaction, []byte, error) {
	tx := &Transaction{
		Header:          *h,
		ActionPayload:   &peer.ChaincodeActionPayload{},
		ResponsePayload: &peer.ProposalResponsePayload{},
		Action:          &peer.ChaincodeAction{},
	}
	transaction := &peer.Transaction{}
	if err := proto.Unmarshal(h.Payload.GetData(), transaction); err != nil {
		return nil, nil, envelopeError(peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, "unmarshal transaction: %v", err)
	}
	if len(transaction.GetActions()) != 1 {
		return nil, nil, envelopeError(peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, "expected one action, got %d", len(transaction.GetActions()))
	}
	action := transaction.GetActions()[0]
	if err := proto.Unmarshal(action.GetPayload(), tx.ActionPayload); err != nil {
		return nil, nil, envelopeError(peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, "unmarshal chaincode action payload: %v", err)
	}
	if tx.ActionPayload.GetAction() == nil {
		return nil, nil, envelopeError(peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, "no endorsed action")
	}
	if err := proto.Unmarshal(tx.ActionPayload.GetAction().GetProposalResponsePayload(), tx.ResponsePayload); err != nil {
		return nil, nil, envelopeError(peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, "unmarshal proposal response payload: %v", err)
	}
	if err := proto.Unmarshal(tx.ResponsePayload.GetExtension(), tx.Action); err != nil {
		return nil, nil, envelopeError(peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, "unmarshal chaincode action: %v", err)
	}
	return tx, action.GetHeader(), nil
}

// UnpackTransaction parses an endorser transaction envelope down to its
// chaincode action, with the header checks of Fabric's committer: nonce,
// creator and epoch, the transaction ID recomputed, one action whose header is
// the transaction's, and a proposal hash that matches. Signatures are the
// caller's to check. Errors are *EnvelopeError with the matching validation code.
func UnpackTransaction(envelope *common.Envelope) (*Transaction, error) {
	h, err := UnpackHeader(envelope)
	if err != nil {
		return nil, err
	}
	return h.CheckedTransaction()
}

// CheckedTransaction is [UnpackTransaction] for an envelope whose header is
// already unpacked.
func (h *Header) CheckedTransaction() (*Transaction, error) {
	if h.Type() != common.HeaderType_ENDORSER_TRANSACTION {
		return nil, envelopeError(peer.TxValidationCode_UNSUPPORTED_TX_PAYLOAD, "unsupported header type %d", h.ChannelHeader.GetType())
	}
	if len(h.SignatureHeader.GetNonce()) == 0 || len(h.SignatureHeader.GetCreator()) == 0 || h.ChannelHeader.GetEpoch() != 0 {
		return nil, envelopeError(peer.TxValidationCode_BAD_COMMON_HEADER, "nonce, creator or epoch invalid")
	}
	if want := ComputeTxID(h.SignatureHeader.GetNonce(), h.SignatureHeader.GetCreator()); want != h.TxID() {
		return nil, envelopeError(peer.TxValidationCode_BAD_PROPOSAL_TXID, "incorrectly formed txID, expected %s, got %s", want, h.TxID())
	}
	tx, actionHeader, err := decodeAction(h)
	if err != nil {
		return nil, err
	}
	header := h.Payload.GetHeader()
	if !bytes.Equal(actionHeader, header.GetSignatureHeader()) {
		return nil, envelopeError(peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, "action header differs from the transaction's signature header")
	}
	if want := ProposalHash(header, tx.ActionPayload.GetChaincodeProposalPayload()); !bytes.Equal(want, tx.ResponsePayload.GetProposalHash()) {
		return nil, envelopeError(peer.TxValidationCode_INVALID_ENDORSER_TRANSACTION, "proposal hash does not match the transaction")
	}
	return tx, nil
}
