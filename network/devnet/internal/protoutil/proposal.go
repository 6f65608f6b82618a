package protoutil

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// Proposal is a signed proposal taken apart, with its checks done.
type Proposal struct {
	Signed          *peer.SignedProposal
	Proposal        *peer.Proposal
	Header          *common.Header
	ChannelHeader   *common.ChannelHeader
	SignatureHeader *common.SignatureHeader
	// Payload is the chaincode proposal payload, transient map included.
	Payload *peer.ChaincodeProposalPayload
	// Spec is the invoked chaincode and its input.
	Spec *peer.ChaincodeSpec
	// PayloadWithoutTransient is the chaincode proposal payload as it goes into
	// the transaction: the transient map removed.
	PayloadWithoutTransient []byte
	// Hash is the proposal hash an endorsement signs over (transient data excluded).
	Hash []byte
}

// ChaincodeName is the name of the invoked chaincode.
func (p *Proposal) ChaincodeName() string { return p.Spec.GetChaincodeId().GetName() }

// TxID is the transaction ID in the channel header.
func (p *Proposal) TxID() string { return p.ChannelHeader.GetTxId() }

// Creator is the serialized identity of the proposal's creator.
func (p *Proposal) Creator() []byte { return p.SignatureHeader.GetCreator() }

// ComputeTxID returns Fabric's transaction ID: hex(SHA-256(nonce ‖ creator)).
func ComputeTxID(nonce, creator []byte) string {
	digest := sha256.New()
	digest.Write(nonce)
	digest.Write(creator)
	return hex.EncodeToString(digest.Sum(nil))
}

// UnpackProposal parses a signed endorser proposal and checks what Fabric's
// endorser checks before it looks at identities: header type, epoch, nonce and
// creator present, the transaction ID recomputed from them, a chaincode named.
func UnpackProposal(signed *peer.SignedProposal) (*Proposal, error) {
	if signed == nil || len(signed.GetProposalBytes()) == 0 {
		return nil, errors.New("nil or empty signed proposal")
	}
	result := &Proposal{
		Signed:          signed,
		Proposal:        &peer.Proposal{},
		Header:          &common.Header{},
		ChannelHeader:   &common.ChannelHeader{},
		SignatureHeader: &common.SignatureHeader{},
		Payload:         &peer.ChaincodeProposalPayload{},
	}
	if err := proto.Unmarshal(signed.GetProposalBytes(), result.Proposal); err != nil {
		return nil, fmt.Errorf("error unmarshalling Proposal: %w", err)
	}
	if err := proto.Unmarshal(result.Proposal.GetHeader(), result.Header); err != nil {
		return nil, fmt.Errorf("error unmarshalling Header: %w", err)
	}
	if err := proto.Unmarshal(result.Header.GetChannelHeader(), result.ChannelHeader); err != nil {
		return nil, fmt.Errorf("error unmarshalling ChannelHeader: %w", err)
	}
	if err := proto.Unmarshal(result.Header.GetSignatureHeader(), result.SignatureHeader); err != nil {
		return nil, fmt.Errorf("error unmarshalling SignatureHeader: %w", err)
	}
	if err := checkHeaders(result.ChannelHeader, result.SignatureHeader); err != nil {
		return nil, err
	}
	if err := proto.Unmarshal(result.Proposal.GetPayload(), result.Payload); err != nil {
		return nil, fmt.Errorf("error unmarshalling ChaincodeProposalPayload: %w", err)
	}
	invocation := &peer.ChaincodeInvocationSpec{}
	if err := proto.Unmarshal(result.Payload.GetInput(), invocation); err != nil {
		return nil, fmt.Errorf("error unmarshalling ChaincodeInvocationSpec: %w", err)
	}
	result.Spec = invocation.GetChaincodeSpec()
	if result.ChaincodeName() == "" {
		return nil, errors.New("chaincode name not specified in proposal")
	}
	extension := &peer.ChaincodeHeaderExtension{}
	if err := proto.Unmarshal(result.ChannelHeader.GetExtension(), extension); err != nil {
		return nil, fmt.Errorf("error unmarshalling ChaincodeHeaderExtension: %w", err)
	}
	if name := extension.GetChaincodeId().GetName(); name != result.ChaincodeName() {
		return nil, fmt.Errorf("chaincode name in header extension %q does not match invocation %q", name, result.ChaincodeName())
	}
	withoutTransient, err := proto.Marshal(&peer.ChaincodeProposalPayload{Input: result.Payload.GetInput()})
	if err != nil {
		return nil, fmt.Errorf("marshal proposal payload: %w", err)
	}
	result.PayloadWithoutTransient = withoutTransient
	result.Hash = ProposalHash(result.Header, withoutTransient)
	return result, nil
}

func checkHeaders(channelHeader *common.ChannelHeader, signatureHeader *common.SignatureHeader) error {
	if common.HeaderType(channelHeader.GetType()) != common.HeaderType_ENDORSER_TRANSACTION {
		return fmt.Errorf("invalid header type %s", common.HeaderType(channelHeader.GetType()))
	}
	if channelHeader.GetEpoch() != 0 {
		return fmt.Errorf("invalid epoch in ChannelHeader. Expected 0, got [%d]", channelHeader.GetEpoch())
	}
	if len(signatureHeader.GetNonce()) == 0 {
		return errors.New("invalid nonce specified in the header")
	}
	if len(signatureHeader.GetCreator()) == 0 {
		return errors.New("invalid creator specified in the header")
	}
	want := ComputeTxID(signatureHeader.GetNonce(), signatureHeader.GetCreator())
	if channelHeader.GetTxId() != want {
		return fmt.Errorf("incorrectly formed txID, expected %s, got %s", want, channelHeader.GetTxId())
	}
	return nil
}

// ProposalHash is SHA-256(channel header ‖ signature header ‖ chaincode proposal
// payload without transient data), the hash an endorsement commits to.
func ProposalHash(header *common.Header, payloadWithoutTransient []byte) []byte {
	digest := sha256.New()
	digest.Write(header.GetChannelHeader())
	digest.Write(header.GetSignatureHeader())
	digest.Write(payloadWithoutTransient)
	return digest.Sum(nil)
}
