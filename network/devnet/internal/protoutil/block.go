package protoutil

import (
	"crypto/rand"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Signer signs as one serialized identity.
type Signer interface {
	Serialize() []byte
	Sign(message []byte) ([]byte, error)
}

// SignedData is one signature over data by a serialized identity.
type SignedData struct {
	Identity, Data, Signature []byte
}

// BlockHeaderBytes is the ASN.1 DER form of a block header that Fabric hashes
// into the next block's previous hash and that orderers sign:
// SEQUENCE{INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash}.
func BlockHeaderBytes(h *common.BlockHeader) []byte {
	der, err := asn1.Marshal(struct {
		Number       *big.Int
		PreviousHash []byte
		DataHash     []byte
	}{new(big.Int).SetUint64(h.GetNumber()), h.GetPreviousHash(), h.GetDataHash()})
	if err != nil {
		// Marshalling a big.Int and two byte slices cannot fail.
		panic(fmt.Sprintf("marshal block header: %v", err))
	}
	return der
}

// NewNonce returns a random 24-byte nonce, as Fabric's signature headers carry.
func NewNonce() ([]byte, error) {
	nonce := make([]byte, 24)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	return nonce, nil
}

// NewSignatureHeader is a signature header for signer with a fresh nonce.
func NewSignatureHeader(signer Signer) (*common.SignatureHeader, error) {
	nonce, err := NewNonce()
	if err != nil {
		return nil, err
	}
	return &common.SignatureHeader{Creator: signer.Serialize(), Nonce: nonce}, nil
}

// SignBlock writes the orderer's metadata into a cut block as Fabric's block
// writer does: LAST_CONFIG holds the index of the last config block, and
// SIGNATURES holds an OrdererBlockMetadata (with that index and empty
// consenter metadata) signed by signer over the value, the signature header
// and the block header bytes. The other metadata slots (TRANSACTIONS_FILTER,
// and COMMIT_HASH that peers fill) stay present and empty.
func SignBlock(block *common.Block, lastConfig uint64, signer Signer) error {
	if block.Metadata == nil {
		block.Metadata = &common.BlockMetadata{}
	}
	for len(block.Metadata.Metadata) < len(common.BlockMetadataIndex_name) {
		block.Metadata.Metadata = append(block.Metadata.Metadata, nil)
	}
	lastConfigValue, err := proto.Marshal(&common.LastConfig{Index: lastConfig})
	if err != nil {
		return fmt.Errorf("marshal last config: %w", err)
	}
	if block.Metadata.Metadata[common.BlockMetadataIndex_LAST_CONFIG], err = proto.Marshal(&common.Metadata{Value: lastConfigValue}); err != nil {
		return fmt.Errorf("marshal last config metadata: %w", err)
	}
	consenter, err := proto.Marshal(&common.Metadata{})
	if err != nil {
		return fmt.Errorf("marshal consenter metadata: %w", err)
	}
	value, err := proto.Marshal(&common.OrdererBlockMetadata{LastConfig: &common.LastConfig{Index: lastConfig}, ConsenterMetadata: consenter})
	if err != nil {
		return fmt.Errorf("marshal orderer block metadata: %w", err)
	}
	header, err := NewSignatureHeader(signer)
	if err != nil {
		return err
	}
	headerBytes, err := proto.Marshal(header)
	if err != nil {
		return fmt.Errorf("marshal signature header: %w", err)
	}
	signature, err := signer.Sign(concat(value, headerBytes, BlockHeaderBytes(block.GetHeader())))
	if err != nil {
		return fmt.Errorf("sign block %d: %w", block.GetHeader().GetNumber(), err)
	}
	block.Metadata.Metadata[common.BlockMetadataIndex_SIGNATURES], err = proto.Marshal(&common.Metadata{
		Value:      value,
		Signatures: []*common.MetadataSignature{{SignatureHeader: headerBytes, Signature: signature}},
	})
	if err != nil {
		return fmt.Errorf("marshal signatures metadata: %w", err)
	}
	return nil
}

// BlockSignatures returns what a block's orderer signatures signed, as
// Fabric's block verifier reads them, for evaluation against the channel's
// BlockValidation policy.
func BlockSignatures(block *common.Block) ([]SignedData, error) {
	metadata := block.GetMetadata().GetMetadata()
	if len(metadata) <= int(common.BlockMetadataIndex_SIGNATURES) {
		return nil, errors.New("no signatures in block metadata")
	}
	md := &common.Metadata{}
	if err := proto.Unmarshal(metadata[common.BlockMetadataIndex_SIGNATURES], md); err != nil {
		return nil, fmt.Errorf("unmarshal signatures from metadata: %w", err)
	}
	headerBytes := BlockHeaderBytes(block.GetHeader())
	signed := make([]SignedData, 0, len(md.GetSignatures()))
	for _, s := range md.GetSignatures() {
		header := &common.SignatureHeader{}
		if err := proto.Unmarshal(s.GetSignatureHeader(), header); err != nil {
			return nil, fmt.Errorf("unmarshal signature header of block %d: %w", block.GetHeader().GetNumber(), err)
		}
		signed = append(signed, SignedData{
			Identity:  header.GetCreator(),
			Data:      concat(md.GetValue(), s.GetSignatureHeader(), headerBytes),
			Signature: s.GetSignature(),
		})
	}
	return signed, nil
}

// LastConfigIndex reads the number of the last config block from a block's
// SIGNATURES metadata (OrdererBlockMetadata), as Fabric 2.x and later do.
func LastConfigIndex(block *common.Block) (uint64, error) {
	metadata := block.GetMetadata().GetMetadata()
	if len(metadata) <= int(common.BlockMetadataIndex_SIGNATURES) {
		return 0, errors.New("no signatures metadata in block")
	}
	md := &common.Metadata{}
	if err := proto.Unmarshal(metadata[common.BlockMetadataIndex_SIGNATURES], md); err != nil {
		return 0, fmt.Errorf("unmarshal signatures metadata: %w", err)
	}
	value := &common.OrdererBlockMetadata{}
	if err := proto.Unmarshal(md.GetValue(), value); err != nil {
		return 0, fmt.Errorf("unmarshal orderer block metadata: %w", err)
	}
	return value.GetLastConfig().GetIndex(), nil
}

func concat(parts ...[]byte) []byte {
	size := 0
	for _, p := range parts {
		size += len(p)
	}
	out := make([]byte, 0, size)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// NewConfigTransaction is the CONFIG envelope an orderer writes for a
// configuration update: the config envelope (new configuration and the
// update it came from) signed by signer.
func NewConfigTransaction(channelID string, configEnvelope *common.ConfigEnvelope, signer Signer) (*common.Envelope, error) {
	data, err := proto.Marshal(configEnvelope)
	if err != nil {
		return nil, fmt.Errorf("marshal config envelope: %w", err)
	}
	channelHeader, err := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_CONFIG), ChannelId: channelID, Timestamp: timestamppb.Now()})
	if err != nil {
		return nil, fmt.Errorf("marshal channel header: %w", err)
	}
	signatureHeader, err := NewSignatureHeader(signer)
	if err != nil {
		return nil, err
	}
	signatureHeaderBytes, err := proto.Marshal(signatureHeader)
	if err != nil {
		return nil, fmt.Errorf("marshal signature header: %w", err)
	}
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: channelHeader, SignatureHeader: signatureHeaderBytes}, Data: data})
	if err != nil {
		return nil, fmt.Errorf("marshal config payload: %w", err)
	}
	signature, err := signer.Sign(payload)
	if err != nil {
		return nil, fmt.Errorf("sign config transaction: %w", err)
	}
	return &common.Envelope{Payload: payload, Signature: signature}, nil
}
