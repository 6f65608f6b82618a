package client

import (
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
// proposal's channel header. A client may choose it: the endorsers refuse one
// further than their allowed clock skew from their own clocks (R19). WithClock
// makes a Client stamp its proposals from a clock of its own; Retime restamps one
// proposal.

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

// stamped returns the proposal re-created with its timestamp from the client's
// clock (WithClock), or unchanged when the client has none.
func (c *Client) stamped(proposal *fabric.Proposal) (*fabric.Proposal, error) {
	if c.opts.clock == nil {
		return proposal, nil
	}
	data, err := proposal.Bytes()
	if err != nil {
		return nil, fmt.Errorf("proposal bytes: %w", err)
	}
	retimed, err := Retime(data, c.opts.clock())
	if err != nil {
		return nil, err
	}
	return c.gateway.NewProposal(retimed)
}
