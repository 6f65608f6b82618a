package testnet

import (
	"context"
	"fmt"
	"time"

	fabric "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// The ledger time of a transaction is the timestamp its client puts in the
// proposal's channel header. A client may choose it (within the endorsers' clock
// skew), so tests choose it too: to reach a maturity or the end of an acceptance
// window without waiting, or to play a client that backdates.

// Retime returns a serialized, unsigned proposal (fabric-gateway's
// Proposal.Bytes) with its channel header timestamp set to at. The transaction ID
// does not depend on the timestamp, so it is unchanged.
func Retime(proposal []byte, at time.Time) ([]byte, error) {
	var proposed gateway.ProposedTransaction
	if err := proto.Unmarshal(proposal, &proposed); err != nil {
		return nil, fmt.Errorf("retime: proposed transaction: %w", err)
	}
	var prop peer.Proposal
	if err := proto.Unmarshal(proposed.GetProposal().GetProposalBytes(), &prop); err != nil {
		return nil, fmt.Errorf("retime: proposal: %w", err)
	}
	var header common.Header
	if err := proto.Unmarshal(prop.GetHeader(), &header); err != nil {
		return nil, fmt.Errorf("retime: header: %w", err)
	}
	var channelHeader common.ChannelHeader
	if err := proto.Unmarshal(header.GetChannelHeader(), &channelHeader); err != nil {
		return nil, fmt.Errorf("retime: channel header: %w", err)
	}
	channelHeader.Timestamp = timestamppb.New(at)
	var err error
	if header.ChannelHeader, err = proto.Marshal(&channelHeader); err != nil {
		return nil, fmt.Errorf("retime: channel header: %w", err)
	}
	if prop.Header, err = proto.Marshal(&header); err != nil {
		return nil, fmt.Errorf("retime: header: %w", err)
	}
	if proposed.Proposal.ProposalBytes, err = proto.Marshal(&prop); err != nil {
		return nil, fmt.Errorf("retime: proposal: %w", err)
	}
	out, err := proto.Marshal(&proposed)
	if err != nil {
		return nil, fmt.Errorf("retime: proposed transaction: %w", err)
	}
	return out, nil
}

// EndorseAt endorses function of contract with args, as the identity of gw (the
// gateway contract was obtained from), with the proposal timestamp at.
func EndorseAt(ctx context.Context, gw *fabric.Gateway, contract *fabric.Contract, function string, at time.Time, args ...string) (*fabric.Transaction, error) {
	proposal, err := contract.NewProposal(function, fabric.WithArguments(args...))
	if err != nil {
		return nil, fmt.Errorf("%s: new proposal: %w", function, err)
	}
	data, err := proposal.Bytes()
	if err != nil {
		return nil, fmt.Errorf("%s: proposal bytes: %w", function, err)
	}
	retimed, err := Retime(data, at)
	if err != nil {
		return nil, err
	}
	timed, err := gw.NewProposal(retimed)
	if err != nil {
		return nil, fmt.Errorf("%s: retimed proposal: %w", function, err)
	}
	return timed.EndorseWithContext(ctx)
}

// SubmitAt endorses function with the proposal timestamp at (EndorseAt), submits
// the transaction and waits for its commit. It returns the endorsed transaction
// (its Result and TransactionID) and the commit status; an endorsement refusal
// comes back as the fabric-gateway error, which client.Code reads.
func SubmitAt(ctx context.Context, gw *fabric.Gateway, contract *fabric.Contract, function string, at time.Time, args ...string) (*fabric.Transaction, *fabric.Status, error) {
	transaction, err := EndorseAt(ctx, gw, contract, function, at, args...)
	if err != nil {
		return nil, nil, err
	}
	commit, err := transaction.SubmitWithContext(ctx)
	if err != nil {
		return transaction, nil, err
	}
	status, err := commit.StatusWithContext(ctx)
	if err != nil {
		return transaction, nil, err
	}
	return transaction, status, nil
}
