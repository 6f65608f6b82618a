package endorser

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// Fabric's response status thresholds (shim.OK, shim.ERRORTHRESHOLD, shim.ERROR).
const (
	statusOK             = 200
	statusErrorThreshold = 400
	statusError          = 500
)

// Simulator runs one transaction against the committed state of one ledger
// height and records its read-write set.
type Simulator interface {
	chaincode.Simulator
	Results() (*rwset.TxReadWriteSet, error)
	Done()
}

// Signer is the peer's own signing identity.
type Signer interface {
	Serialize() []byte
	Sign(message []byte) ([]byte, error)
}

// IdentityVerifier checks that a serialized identity belongs to one of the
// channel's application orgs and that it signed the message.
type IdentityVerifier interface {
	VerifySigned(identity, message, signature []byte) error
}

// TxLookup finds committed transaction IDs.
type TxLookup interface {
	TxStatus(txID string) (peer.TxValidationCode, uint64, bool, error)
}

// ChaincodeRunner executes a transaction on a named chaincode.
type ChaincodeRunner interface {
	Execute(ctx context.Context, name, channel, txID string, signed *peer.SignedProposal, input *peer.ChaincodeInput, sim chaincode.Simulator) (*peer.Response, *peer.ChaincodeEvent, error)
}

// Config holds an endorser's dependencies.
type Config struct {
	Channel    string
	Signer     Signer
	Identities IdentityVerifier
	Ledger     TxLookup
	// NewSimulator starts a simulation for a transaction ID.
	NewSimulator func(txID string) (Simulator, error)
	Chaincodes   ChaincodeRunner
	// Versions gives the defined version of a chaincode, or false if it is not defined.
	Versions func(name string) (string, bool)
	// MSPID is the endorsing peer's org.
	MSPID string
	// Collections are the chaincodes' private data collections; nil serves
	// none (every collection request fails as undefined).
	Collections Collections
	// Distributor hands private write sets to the collections' member peers.
	Distributor Distributor
}

// Endorser processes proposals for one peer.
type Endorser struct {
	cfg Config
	// inProgress counts the proposals being processed.
	inProgress atomic.Int64
}

// Busy reports whether a proposal is being processed: a transaction may be on
// its way to the orderer.
func (e *Endorser) Busy() bool { return e.inProgress.Load() > 0 }

// New returns an endorser with the given dependencies.
func New(cfg Config) *Endorser {
	return &Endorser{cfg: cfg}
}

// ProcessProposal checks, simulates and endorses a proposal. Like Fabric, a
// proposal that fails its checks or its simulation gets a response with status
// 500 and no endorsement rather than an error; a chaincode response of status
// 500 or more carries the payload but no endorsement.
func (e *Endorser) ProcessProposal(ctx context.Context, signed *peer.SignedProposal) (*peer.ProposalResponse, error) {
	e.inProgress.Add(1)
	defer e.inProgress.Add(-1)
	proposal, err := protoutil.UnpackProposal(signed)
	if err != nil {
		return failure(err), nil
	}
	if err := e.preProcess(proposal); err != nil {
		return failure(err), nil
	}
	response, err := e.endorse(ctx, proposal)
	if err != nil {
		return failure(err), nil
	}
	return response, nil
}

func failure(err error) *peer.ProposalResponse {
	return &peer.ProposalResponse{Response: &peer.Response{Status: statusError, Message: err.Error()}}
}

func (e *Endorser) preProcess(proposal *protoutil.Proposal) error {
	if channel := proposal.ChannelHeader.GetChannelId(); channel != e.cfg.Channel {
		return fmt.Errorf("channel '%s' not found", channel)
	}
	if err := e.cfg.Identities.VerifySigned(proposal.Creator(), proposal.Signed.GetProposalBytes(), proposal.Signed.GetSignature()); err != nil {
		return fmt.Errorf("access denied: channel [%s] creator org unknown, creator is malformed or signature invalid: %w", e.cfg.Channel, err)
	}
	_, _, found, err := e.cfg.Ledger.TxStatus(proposal.TxID())
	if err != nil {
		return fmt.Errorf("look up transaction ID: %w", err)
	}
	if found {
		return fmt.Errorf("duplicate transaction found [%s]. Creator [%x]", proposal.TxID(), proposal.Creator())
	}
	if _, ok := e.cfg.Versions(proposal.ChaincodeName()); !ok {
		return fmt.Errorf("make sure the chaincode %s has been successfully defined on channel %s and try again: chaincode definition for '%s' not found", proposal.ChaincodeName(), e.cfg.Channel, proposal.ChaincodeName())
	}
	return nil
}

func (e *Endorser) endorse(ctx context.Context, proposal *protoutil.Proposal) (*peer.ProposalResponse, error) {
	name := proposal.ChaincodeName()
	version, _ := e.cfg.Versions(name)
	sim, response, event, err := e.simulate(ctx, proposal)
	if err != nil {
		return nil, err
	}
	defer sim.Done()
	if response == nil {
		return nil, errors.New("error in simulation: chaincode returned no response")
	}
	var results []byte
	var eventBytes []byte
	var chaincodeInterest *peer.ChaincodeInterest
	if response.GetStatus() < statusErrorThreshold {
		readWriteSet, err := sim.Results()
		if err != nil {
			return nil, fmt.Errorf("error in simulation: %w", err)
		}
		// As Fabric, the private writes reach the member peers before the
		// proposal is endorsed; the response carries only their hashes.
		if err := e.distribute(sim, proposal.TxID()); err != nil {
			return nil, err
		}
		chaincodeInterest = interest(name, sim)
		if results, err = proto.Marshal(readWriteSet); err != nil {
			return nil, fmt.Errorf("marshal read-write set: %w", err)
		}
		if event != nil {
			event.ChaincodeId = name
			event.TxId = proposal.TxID()
			if eventBytes, err = proto.Marshal(event); err != nil {
				return nil, fmt.Errorf("marshal chaincode event: %w", err)
			}
		}
	}
	action, err := proto.Marshal(&peer.ChaincodeAction{
		Results:     results,
		Events:      eventBytes,
		Response:    response,
		ChaincodeId: &peer.ChaincodeID{Name: name, Version: version},
	})
	if err != nil {
		return nil, fmt.Errorf("marshal chaincode action: %w", err)
	}
	payload, err := proto.Marshal(&peer.ProposalResponsePayload{ProposalHash: proposal.Hash, Extension: action})
	if err != nil {
		return nil, fmt.Errorf("marshal proposal response payload: %w", err)
	}
	switch {
	case response.GetStatus() >= statusError:
		return &peer.ProposalResponse{Response: response, Payload: payload}, nil
	case response.GetStatus() >= statusErrorThreshold:
		return &peer.ProposalResponse{Response: response}, nil
	}
	endorsement, err := e.sign(payload)
	if err != nil {
		return nil, err
	}
	return &peer.ProposalResponse{Version: 1, Response: response, Payload: payload, Endorsement: endorsement, Interest: chaincodeInterest}, nil
}

// simulate runs the chaincode once on a fresh simulation, which reads the
// ledger at the height committed when it began. The caller ends the returned
// simulation.
func (e *Endorser) simulate(ctx context.Context, proposal *protoutil.Proposal) (Simulator, *peer.Response, *peer.ChaincodeEvent, error) {
	sim, err := e.cfg.NewSimulator(proposal.TxID())
	if err != nil {
		return nil, nil, nil, fmt.Errorf("failed to get tx simulator: %w", err)
	}
	sim = e.guard(sim, proposal)
	response, event, err := e.cfg.Chaincodes.Execute(ctx, proposal.ChaincodeName(), e.cfg.Channel, proposal.TxID(), proposal.Signed, proposal.Spec.GetInput(), sim)
	if err != nil {
		sim.Done()
		return nil, nil, nil, fmt.Errorf("error in simulation: %w", err)
	}
	return sim, response, event, nil
}

// sign endorses a proposal response payload: the signature covers payload ‖ endorser.
func (e *Endorser) sign(payload []byte) (*peer.Endorsement, error) {
	endorser := e.cfg.Signer.Serialize()
	message := make([]byte, 0, len(payload)+len(endorser))
	message = append(append(message, payload...), endorser...)
	signature, err := e.cfg.Signer.Sign(message)
	if err != nil {
		return nil, fmt.Errorf("sign endorsement: %w", err)
	}
	return &peer.Endorsement{Endorser: endorser, Signature: signature}, nil
}
