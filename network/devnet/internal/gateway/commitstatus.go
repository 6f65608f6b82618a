package gateway

import (
	"context"

	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// CommitStatus returns a transaction's validation code and block number. If
// the transaction has not committed yet, it blocks until it does or the
// request's context ends.
func (s *Server) CommitStatus(ctx context.Context, signed *gp.SignedCommitStatusRequest) (*gp.CommitStatusResponse, error) {
	if len(signed.GetRequest()) == 0 {
		return nil, status.Error(codes.InvalidArgument, "a commit status request is required")
	}
	request := &gp.CommitStatusRequest{}
	if err := proto.Unmarshal(signed.GetRequest(), request); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "invalid status request: %v", err)
	}
	if err := s.checkReader("gateway/CommitStatus", request.GetChannelId(), request.GetIdentity(), signed.GetRequest(), signed.GetSignature()); err != nil {
		return nil, err
	}

	txID := request.GetTransactionId()
	for {
		// Read the height before looking the transaction up: if it commits
		// after the lookup, its block raises the height above h and the wait
		// below returns. Looking up first and reading the height second could
		// miss a commit in between and wait for a block that never comes.
		// Fabric's commit finder subscribes to commits before it queries, for
		// the same reason.
		h := s.cfg.Ledger.Height()
		code, blockNumber, found, err := s.cfg.Ledger.TxStatus(txID)
		if err != nil {
			return nil, status.Errorf(codes.Aborted, "failed to read transaction status: %s", err)
		}
		if found {
			// The ledger indexes a block's transactions before it applies their
			// writes; report the commit only once the state is there too, so a
			// client that evaluates next reads what it just committed.
			if err := s.cfg.Notifier.WaitForHeight(ctx, blockNumber); err != nil {
				return nil, contextError(err, codes.Aborted)
			}
			return &gp.CommitStatusResponse{Result: code, BlockNumber: blockNumber}, nil
		}
		if err := s.cfg.Notifier.WaitForHeight(ctx, h); err != nil {
			return nil, contextError(err, codes.Aborted)
		}
	}
}

// readersPolicy is the channel policy Fabric's default ACLs apply to commit
// status and chaincode events requests.
const readersPolicy = "/Channel/Application/Readers"

// checkReader checks a signed request the way Fabric's ACL check does: the
// channel must be this network's, the identity a member of it, the signature
// valid. Failures are PermissionDenied.
// With an ACL checker, the channel ACL of resource (gateway/CommitStatus,
// gateway/ChaincodeEvents) must allow the request too.
func (s *Server) checkReader(resource, channel string, identity, data, signature []byte) error {
	if channel != s.cfg.Channel {
		return status.Error(codes.PermissionDenied, channelError(channel).Error())
	}
	if err := s.cfg.Verifier.VerifySigned(identity, data, signature); err != nil {
		return status.Errorf(codes.PermissionDenied,
			"failed evaluating policy on signed data during check policy on channel [%s] with policy [%s]: %s",
			channel, readersPolicy, err)
	}
	if s.cfg.ACL != nil {
		if err := s.cfg.ACL(resource, identity, data, signature); err != nil {
			return status.Error(codes.PermissionDenied, err.Error())
		}
	}
	return nil
}
