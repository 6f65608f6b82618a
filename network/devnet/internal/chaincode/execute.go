package chaincode

import (
	"context"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// Execute runs one transaction: it sends TRANSACTION with the input, the
// transaction ID, the channel and the client's original signed proposal (the
// shim reads the creator, transient data and timestamp from it), serves the
// chaincode's requests against sim, and returns the chaincode's response and
// event. A chaincode function that fails still yields a response (status 500);
// an error means the transaction did not complete. Iterators the chaincode
// left open are closed. ctx bounds the whole execution.
func (c *Connection) Execute(ctx context.Context, channel, txID string, signedProposal *peer.SignedProposal, input *peer.ChaincodeInput, sim Simulator) (*peer.Response, *peer.ChaincodeEvent, error) {
	if txID == "" {
		return nil, nil, errors.New("execute: transaction ID is empty")
	}
	if sim == nil {
		return nil, nil, fmt.Errorf("execute transaction %s: no simulator", shortTxID(txID))
	}
	payload, err := proto.Marshal(input)
	if err != nil {
		return nil, nil, fmt.Errorf("execute transaction %s: marshal input: %w", shortTxID(txID), err)
	}
	if err := c.Err(); err != nil {
		return nil, nil, fmt.Errorf("execute transaction %s: %w", shortTxID(txID), err)
	}
	tx := newTransaction(channel, txID, c.namespace, sim)
	if err := c.register(tx); err != nil {
		return nil, nil, fmt.Errorf("execute transaction: %w", err)
	}
	defer c.unregister(tx)

	err = c.send(&peer.ChaincodeMessage{
		Type:      peer.ChaincodeMessage_TRANSACTION,
		Payload:   payload,
		Txid:      txID,
		ChannelId: channel,
		Proposal:  signedProposal,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("execute transaction %s: %w", shortTxID(txID), err)
	}
	for {
		select {
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("timeout expired while executing transaction %s on chaincode %s: %w", shortTxID(txID), c.chaincodeID, ctx.Err())
		case <-c.done:
			return nil, nil, fmt.Errorf("execute transaction %s: %w", shortTxID(txID), c.closedErr())
		case msg := <-tx.inbox:
			switch msg.GetType() {
			case peer.ChaincodeMessage_COMPLETED:
				return c.completed(msg)
			case peer.ChaincodeMessage_ERROR:
				return nil, nil, fmt.Errorf("%w: %s", ErrTransactionFailed, msg.GetPayload())
			default:
				if err := c.send(tx.handle(msg)); err != nil {
					return nil, nil, fmt.Errorf("execute transaction %s: %w", shortTxID(txID), err)
				}
			}
		}
	}
}

// completed unpacks COMPLETED; like Fabric, it stamps the event with the
// chaincode name and the transaction ID.
func (c *Connection) completed(msg *peer.ChaincodeMessage) (*peer.Response, *peer.ChaincodeEvent, error) {
	response := &peer.Response{}
	if err := proto.Unmarshal(msg.GetPayload(), response); err != nil {
		return nil, nil, fmt.Errorf("failed to unmarshal response for transaction %s: %w", shortTxID(msg.GetTxid()), err)
	}
	event := msg.GetChaincodeEvent()
	if event != nil {
		event.ChaincodeId = c.namespace
		event.TxId = msg.GetTxid()
	}
	return response, event, nil
}
