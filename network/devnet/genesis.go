package devnet

import (
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
)

// genesisBlock is block 0: one CONFIG transaction naming the channel's
// orderer and application orgs. Peers commit it without endorsement checks.
func genesisBlock(cfg *config.Network) (*common.Block, error) {
	application := &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{}}
	for _, org := range cfg.Orgs {
		application.Groups[org.MSPID] = &common.ConfigGroup{}
	}
	configEnvelope, err := proto.Marshal(&common.ConfigEnvelope{Config: &common.Config{
		ChannelGroup: &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{
			"Application": application,
			"Orderer":     {Groups: map[string]*common.ConfigGroup{cfg.Orderer.MSPID: {}}},
		}},
	}})
	if err != nil {
		return nil, fmt.Errorf("marshal genesis config: %w", err)
	}
	channelHeader, err := proto.Marshal(&common.ChannelHeader{
		Type:      int32(common.HeaderType_CONFIG),
		ChannelId: cfg.Channel,
		Timestamp: timestamppb.New(timestamppb.Now().AsTime().Truncate(1e9)),
	})
	if err != nil {
		return nil, fmt.Errorf("marshal genesis header: %w", err)
	}
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: channelHeader}, Data: configEnvelope})
	if err != nil {
		return nil, fmt.Errorf("marshal genesis payload: %w", err)
	}
	envelope, err := proto.Marshal(&common.Envelope{Payload: payload})
	if err != nil {
		return nil, fmt.Errorf("marshal genesis envelope: %w", err)
	}
	data := &common.BlockData{Data: [][]byte{envelope}}
	return &common.Block{
		Header:   &common.BlockHeader{Number: 0, DataHash: ledger.BlockDataHash(data)},
		Data:     data,
		Metadata: &common.BlockMetadata{Metadata: make([][]byte, len(common.BlockMetadataIndex_name))},
	}, nil
}
