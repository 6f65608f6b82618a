package gateway

import (
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
	"google.golang.org/protobuf/proto"
)

// chaincodeEvents returns the chaincode events of a block's valid endorser
// transactions, in block order. Config transactions, transactions the
// committer did not mark VALID, and anything that does not parse are skipped.
func chaincodeEvents(block *common.Block) []*peer.ChaincodeEvent {
	var events []*peer.ChaincodeEvent
	for i, data := range block.GetData().GetData() {
		if validationCode(block, i) != peer.TxValidationCode_VALID {
			continue
		}
		envelope := &common.Envelope{}
		if err := proto.Unmarshal(data, envelope); err != nil {
			continue
		}
		tx, err := protoutil.UnpackTransaction(envelope)
		if err != nil {
			continue // not an endorser transaction
		}
		event := &peer.ChaincodeEvent{}
		if err := proto.Unmarshal(tx.Action.GetEvents(), event); err != nil || !completeEvent(event) {
			continue
		}
		events = append(events, event)
	}
	return events
}

// validationCode reads a transaction's code from the block's
// TRANSACTIONS_FILTER metadata; a missing entry counts as invalid.
func validationCode(block *common.Block, txIndex int) peer.TxValidationCode {
	metadata := block.GetMetadata().GetMetadata()
	index := int(common.BlockMetadataIndex_TRANSACTIONS_FILTER)
	if index >= len(metadata) || txIndex >= len(metadata[index]) {
		return peer.TxValidationCode_INVALID_OTHER_REASON
	}
	return peer.TxValidationCode(metadata[index][txIndex])
}

// completeEvent tells whether an event names its chaincode, itself and its
// transaction, as Fabric requires before it delivers one.
func completeEvent(event *peer.ChaincodeEvent) bool {
	return event.GetChaincodeId() != "" && event.GetEventName() != "" && event.GetTxId() != ""
}
