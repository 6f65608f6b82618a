package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/asn1"
	"math/big"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// asn1Header is the DER form Fabric hashes to chain block headers.
type asn1Header struct {
	Number       *big.Int
	PreviousHash []byte
	DataHash     []byte
}

// BlockHeaderHash returns Fabric's hash of a block header: SHA-256 of the ASN.1
// DER SEQUENCE{INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash}.
// The next block's previous_hash is this value.
func BlockHeaderHash(h *common.BlockHeader) []byte {
	der, err := asn1.Marshal(asn1Header{
		Number:       new(big.Int).SetUint64(h.GetNumber()),
		PreviousHash: h.GetPreviousHash(),
		DataHash:     h.GetDataHash(),
	})
	if err != nil {
		// Marshalling a big.Int and two byte slices cannot fail.
		return nil
	}
	sum := sha256.Sum256(der)
	return sum[:]
}

// BlockDataHash returns Fabric's block data hash: SHA-256 of the concatenated
// envelopes.
func BlockDataHash(d *common.BlockData) []byte {
	sum := sha256.Sum256(bytes.Join(d.GetData(), nil))
	return sum[:]
}
