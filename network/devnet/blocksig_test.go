package devnet_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// TestBlocksCarryOrdererSignaturesAndLastConfig reads every block with
// fabric-protos only, as an outside auditor would: block 0 holds the channel
// configuration (with the orderer org's MSP), and every later block carries
// LAST_CONFIG and an orderer signature, over the metadata value, the
// signature header and the block header, by an identity of that MSP.
func TestBlocksCarryOrdererSignaturesAndLastConfig(t *testing.T) {
	_, channel, status := networkWithOneTransaction(t)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	blocks, err := channel.BlockEvents(ctx, client.WithStartBlock(0))
	require.NoError(t, err)
	genesis := <-blocks
	ordererRoots := ordererRootsOf(t, genesis)
	for number := uint64(1); number <= status.BlockNumber; number++ {
		block := <-blocks
		require.Equal(t, number, block.GetHeader().GetNumber())
		require.Len(t, block.GetMetadata().GetMetadata(), len(common.BlockMetadataIndex_name), "every metadata slot, COMMIT_HASH included")

		lastConfig := &common.Metadata{}
		require.NoError(t, proto.Unmarshal(block.GetMetadata().GetMetadata()[common.BlockMetadataIndex_LAST_CONFIG], lastConfig))
		index := &common.LastConfig{}
		require.NoError(t, proto.Unmarshal(lastConfig.GetValue(), index))
		require.Equal(t, uint64(0), index.GetIndex(), "the genesis block is the last config block")

		signatures := &common.Metadata{}
		require.NoError(t, proto.Unmarshal(block.GetMetadata().GetMetadata()[common.BlockMetadataIndex_SIGNATURES], signatures))
		value := &common.OrdererBlockMetadata{}
		require.NoError(t, proto.Unmarshal(signatures.GetValue(), value))
		require.Equal(t, uint64(0), value.GetLastConfig().GetIndex())
		require.Len(t, signatures.GetSignatures(), 1)
		signature := signatures.GetSignatures()[0]
		header := &common.SignatureHeader{}
		require.NoError(t, proto.Unmarshal(signature.GetSignatureHeader(), header))
		signer := &mspproto.SerializedIdentity{}
		require.NoError(t, proto.Unmarshal(header.GetCreator(), signer))
		require.Equal(t, "OrdererMSP", signer.GetMspid())
		cert := parseCert(t, signer.GetIdBytes())
		_, err := cert.Verify(x509.VerifyOptions{Roots: ordererRoots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		require.NoError(t, err, "the signer chains to the orderer org's root")

		headerBytes, err := asn1.Marshal(struct {
			Number       *big.Int
			PreviousHash []byte
			DataHash     []byte
		}{new(big.Int).SetUint64(number), block.GetHeader().GetPreviousHash(), block.GetHeader().GetDataHash()})
		require.NoError(t, err)
		signed := append(append(append([]byte{}, signatures.GetValue()...), signature.GetSignatureHeader()...), headerBytes...)
		digest := sha256.Sum256(signed)
		require.True(t, ecdsa.VerifyASN1(cert.PublicKey.(*ecdsa.PublicKey), digest[:], signature.GetSignature()), "block %d signature", number)
	}
}

// ordererRootsOf reads the orderer org's root certificates from the genesis
// block's channel configuration.
func ordererRootsOf(t *testing.T, genesis *common.Block) *x509.CertPool {
	t.Helper()
	require.Len(t, genesis.GetData().GetData(), 1)
	envelope := &common.Envelope{}
	require.NoError(t, proto.Unmarshal(genesis.GetData().GetData()[0], envelope))
	payload := &common.Payload{}
	require.NoError(t, proto.Unmarshal(envelope.GetPayload(), payload))
	configEnvelope := &common.ConfigEnvelope{}
	require.NoError(t, proto.Unmarshal(payload.GetData(), configEnvelope))
	org := configEnvelope.GetConfig().GetChannelGroup().GetGroups()["Orderer"].GetGroups()["OrdererMSP"]
	require.NotNil(t, org, "the orderer org is in the configuration")
	mspConfig := &mspproto.MSPConfig{}
	require.NoError(t, proto.Unmarshal(org.GetValues()["MSP"].GetValue(), mspConfig))
	fabric := &mspproto.FabricMSPConfig{}
	require.NoError(t, proto.Unmarshal(mspConfig.GetConfig(), fabric))
	require.True(t, fabric.GetFabricNodeOus().GetEnable(), "NodeOUs")
	roots := x509.NewCertPool()
	for _, root := range fabric.GetRootCerts() {
		roots.AddCert(parseCert(t, root))
	}
	return roots
}

func parseCert(t *testing.T, data []byte) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(data)
	require.NotNil(t, block)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	return cert
}
