package peer

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	pb "github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// qsccName is Fabric's ledger query system chaincode.
const qsccName = "qscc"

// qscc answers a proposal to Fabric's query system chaincode from the peer's
// ledger: GetChainInfo, GetBlockByNumber, GetBlockByHash, GetTransactionByID
// and GetBlockByTxID, each allowed by the channel ACL qscc/<function>, as
// Fabric's qscc does. Its results are marshalled protobuf messages
// (BlockchainInfo, Block, ProcessedTransaction).
func (p *Peer) qscc(signed *pb.SignedProposal) (*pb.ProposalResponse, error) {
	proposal, err := protoutil.UnpackProposal(signed)
	if err != nil {
		return nil, err
	}
	channel := p.cfg.Channel
	if err := channel.VerifySigned(proposal.Creator(), signed.GetProposalBytes(), signed.GetSignature()); err != nil {
		return nil, fmt.Errorf("access denied: %w", err)
	}
	args := proposal.Spec.GetInput().GetArgs()
	if len(args) < 2 {
		return qsccResponse(nil, fmt.Errorf("incorrect number of arguments, %d", len(args))), nil
	}
	function, channelName := string(args[0]), string(args[1])
	if channelName != channel.Name() {
		return qsccResponse(nil, fmt.Errorf("invalid channel ID %q", channelName)), nil
	}
	request := []policy.SignedData{{Identity: proposal.Creator(), Data: signed.GetProposalBytes(), Signature: signed.GetSignature()}}
	if err := channel.CheckACL(qsccName+"/"+function, request); err != nil {
		return qsccResponse(nil, fmt.Errorf("authorization request for [%s][%s] failed: %w", function, channelName, err)), nil
	}
	arg := ""
	if len(args) > 2 {
		arg = string(args[2])
	}
	result, err := p.qsccQuery(function, arg)
	return qsccResponse(result, err), nil
}

func (p *Peer) qsccQuery(function, arg string) (proto.Message, error) {
	switch function {
	case "GetChainInfo":
		height := p.ledger.Height()
		info := &common.BlockchainInfo{Height: height}
		if height > 0 {
			last, err := p.ledger.GetBlock(height - 1)
			if err != nil {
				return nil, err
			}
			info.CurrentBlockHash = ledger.BlockHeaderHash(last.GetHeader())
			info.PreviousBlockHash = last.GetHeader().GetPreviousHash()
		}
		return info, nil
	case "GetBlockByNumber":
		number, err := strconv.ParseUint(arg, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("failed to parse block number with error %w", err)
		}
		if number >= p.ledger.Height() {
			return nil, fmt.Errorf("failed to get block number %d, error entry not found in index", number)
		}
		return p.ledger.GetBlock(number)
	case "GetBlockByHash":
		// The dev network keeps no hash index: it walks back from the newest
		// block, which suits a development network's short chains.
		for number := p.ledger.Height(); number > 0; number-- {
			block, err := p.ledger.GetBlock(number - 1)
			if err != nil {
				return nil, err
			}
			if bytes.Equal(ledger.BlockHeaderHash(block.GetHeader()), []byte(arg)) {
				return block, nil
			}
		}
		return nil, fmt.Errorf("failed to get block by hash: no such block hash")
	case "GetTransactionByID", "GetBlockByTxID":
		code, number, found, err := p.ledger.TxStatus(arg)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, fmt.Errorf("no such transaction ID [%s] in index", arg)
		}
		block, err := p.ledger.GetBlock(number)
		if err != nil {
			return nil, err
		}
		if function == "GetBlockByTxID" {
			return block, nil
		}
		for _, data := range block.GetData().GetData() {
			envelope := &common.Envelope{}
			if proto.Unmarshal(data, envelope) != nil {
				continue
			}
			if header, err := protoutil.UnpackHeader(envelope); err == nil && header.TxID() == arg {
				return &pb.ProcessedTransaction{TransactionEnvelope: envelope, ValidationCode: int32(code)}, nil
			}
		}
		return nil, fmt.Errorf("transaction %s not found in block %d", arg, number)
	default:
		return nil, fmt.Errorf("requested function %s not found", function)
	}
}

// qsccResponse wraps a qscc result or error as an endorser's proposal response.
func qsccResponse(result proto.Message, err error) *pb.ProposalResponse {
	response := &pb.Response{Status: 200}
	if err == nil {
		response.Payload, err = proto.Marshal(result)
	}
	if err != nil {
		response = &pb.Response{Status: 500, Message: err.Error()}
	}
	action, _ := proto.Marshal(&pb.ChaincodeAction{Response: response, ChaincodeId: &pb.ChaincodeID{Name: qsccName}})
	payload, _ := proto.Marshal(&pb.ProposalResponsePayload{Extension: action})
	return &pb.ProposalResponse{Version: 1, Response: response, Payload: payload}
}

// isQSCC reports whether a signed proposal invokes qscc.
func isQSCC(signed *pb.SignedProposal) bool {
	proposal, err := protoutil.UnpackProposal(signed)
	return err == nil && proposal.ChaincodeName() == qsccName
}

// processProposal routes a proposal to qscc or to the endorser.
func (p *Peer) processProposal(ctx context.Context, signed *pb.SignedProposal) (*pb.ProposalResponse, error) {
	if isQSCC(signed) {
		return p.qscc(signed)
	}
	return p.endorser.ProcessProposal(ctx, signed)
}
