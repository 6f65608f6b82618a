package gateway

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
	"google.golang.org/protobuf/proto"
)

// fakeEndorser plays a peer running a test chaincode whose functions are
// "echo <value>", "emit <event name> <payload>" and "fail <message>".
type fakeEndorser struct {
	mspID string
	// tamper makes the endorser return a different result than its peers.
	tamper bool
	// peerError makes the endorser fail before running the chaincode.
	peerError string
	// hold, when set, blocks every call until it is closed.
	hold  chan struct{}
	calls atomic.Int32
}

func (e *fakeEndorser) ProcessProposal(_ context.Context, signed *peer.SignedProposal) (*peer.ProposalResponse, error) {
	e.calls.Add(1)
	if e.hold != nil {
		<-e.hold
	}
	if e.peerError != "" {
		return &peer.ProposalResponse{Response: &peer.Response{Status: 500, Message: e.peerError}}, nil
	}
	proposal, err := protoutil.UnpackProposal(signed)
	if err != nil {
		return &peer.ProposalResponse{Response: &peer.Response{Status: 500, Message: err.Error()}}, nil
	}
	args := proposal.Spec.GetInput().GetArgs()
	arg := func(i int) []byte {
		if i < len(args) {
			return args[i]
		}
		return nil
	}
	response := &peer.Response{Status: 200, Payload: arg(1)}
	var event []byte
	switch string(arg(0)) {
	case "echo":
	case "emit":
		event, err = proto.Marshal(&peer.ChaincodeEvent{
			ChaincodeId: proposal.ChaincodeName(), TxId: proposal.TxID(), EventName: string(arg(1)), Payload: arg(2),
		})
		if err != nil {
			return nil, err
		}
	case "fail":
		response = &peer.Response{Status: 500, Message: string(arg(1))}
	default:
		response = &peer.Response{Status: 500, Message: fmt.Sprintf("unknown function %q", arg(0))}
	}
	if e.tamper {
		response.Payload = append([]byte("tampered "), response.Payload...)
	}
	action, err := proto.Marshal(&peer.ChaincodeAction{
		Events:      event,
		Response:    response,
		ChaincodeId: &peer.ChaincodeID{Name: proposal.ChaincodeName(), Version: "1.0"},
	})
	if err != nil {
		return nil, err
	}
	payload, err := proto.Marshal(&peer.ProposalResponsePayload{ProposalHash: proposal.Hash, Extension: action})
	if err != nil {
		return nil, err
	}
	// The top-level response carries a different payload than the action,
	// so that tests see which one the gateway returns.
	top := &peer.Response{Status: response.GetStatus(), Message: response.GetMessage(), Payload: []byte("top-level")}
	result := &peer.ProposalResponse{Version: 1, Response: top, Payload: payload}
	if response.GetStatus() < 400 {
		result.Endorsement = &peer.Endorsement{Endorser: []byte("peer0." + e.mspID), Signature: []byte("signature")}
	}
	return result, nil
}

// fakePlanner returns a fixed list of organizations and records what it saw.
type fakePlanner struct {
	orgs []string
	err  error
	// speculative, when set, is the plan without a local response (the
	// chaincode policy alone); orgs otherwise.
	speculative []string
	// onPlan, when set, runs at every call with a local response.
	onPlan func()
	mu     sync.Mutex
	first  *peer.ProposalResponse
}

func (p *fakePlanner) Plan(_ context.Context, _ string, first *peer.ProposalResponse) ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if first == nil {
		if p.speculative != nil {
			return p.speculative, nil
		}
		return p.orgs, p.err
	}
	p.first = first
	if p.onPlan != nil {
		p.onPlan()
	}
	return p.orgs, p.err
}

// ecdsaVerifier checks signatures of the identities the tests create.
type ecdsaVerifier struct{}

func (ecdsaVerifier) VerifySigned(identity, data, signature []byte) error {
	serialized := &msp.SerializedIdentity{}
	if err := proto.Unmarshal(identity, serialized); err != nil {
		return fmt.Errorf("unmarshal identity: %w", err)
	}
	block, _ := pem.Decode(serialized.GetIdBytes())
	if block == nil {
		return errors.New("identity has no PEM certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return fmt.Errorf("parse certificate: %w", err)
	}
	key, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return errors.New("not an ECDSA identity")
	}
	digest := sha256.Sum256(data)
	if !ecdsa.VerifyASN1(key, digest[:], signature) {
		return errors.New("signature is invalid")
	}
	return nil
}

// chain is an in-memory orderer, ledger and commit notifier in one. A
// transaction whose chaincode result is "conflict" commits as an MVCC read
// conflict; everything else commits VALID.
type chain struct {
	channel string
	mu      sync.Mutex
	blocks  []*common.Block
	txs     map[string]txRecord
	changed chan struct{}
	// batching holds broadcast transactions until cut is called.
	batching bool
	pending  []*common.Envelope
	// reject makes Broadcast refuse every transaction.
	reject error
	// waiting, when set, receives the height every WaitForHeight call is
	// about to wait beyond; a full channel drops the notice.
	waiting chan uint64
}

type txRecord struct {
	code  peer.TxValidationCode
	block uint64
}

func newChain(channel string) *chain {
	c := &chain{channel: channel, txs: map[string]txRecord{}, changed: make(chan struct{})}
	config, err := proto.Marshal(&common.Envelope{Payload: mustMarshal(&common.Payload{Header: &common.Header{
		ChannelHeader: mustMarshal(&common.ChannelHeader{Type: int32(common.HeaderType_CONFIG), ChannelId: channel}),
	}})})
	if err != nil {
		panic(err)
	}
	c.append([][]byte{config}, []peer.TxValidationCode{peer.TxValidationCode_VALID}, []string{""})
	return c
}

func mustMarshal(m proto.Message) []byte {
	data, err := proto.Marshal(m)
	if err != nil {
		panic(err)
	}
	return data
}

func (c *chain) Height() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return uint64(len(c.blocks))
}

func (c *chain) GetBlock(num uint64) (*common.Block, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if num >= uint64(len(c.blocks)) {
		return nil, fmt.Errorf("block %d not found", num)
	}
	return c.blocks[num], nil
}

func (c *chain) TxStatus(txID string) (peer.TxValidationCode, uint64, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	record, ok := c.txs[txID]
	return record.code, record.block, ok, nil
}

func (c *chain) WaitForHeight(ctx context.Context, h uint64) error {
	for {
		c.mu.Lock()
		height, changed := uint64(len(c.blocks)), c.changed
		c.mu.Unlock()
		if height > h {
			return nil
		}
		select {
		case c.waiting <- h:
		default:
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *chain) Broadcast(_ context.Context, env *common.Envelope) error {
	c.mu.Lock()
	reject, batching := c.reject, c.batching
	if reject == nil {
		c.pending = append(c.pending, env)
	}
	c.mu.Unlock()
	if reject != nil {
		return reject
	}
	if !batching {
		c.cut()
	}
	return nil
}

// cut puts the pending transactions into a block and commits it.
func (c *chain) cut() {
	c.mu.Lock()
	pending := c.pending
	c.pending = nil
	c.mu.Unlock()
	var data [][]byte
	var codes []peer.TxValidationCode
	var txIDs []string
	for _, env := range pending {
		data = append(data, mustMarshal(env))
		code, txID := peer.TxValidationCode_VALID, ""
		tx, err := protoutil.UnpackTransaction(env)
		var envErr *protoutil.EnvelopeError
		switch {
		case errors.As(err, &envErr):
			code = envErr.Code
		case err != nil:
			code = peer.TxValidationCode_INVALID_OTHER_REASON
		default:
			txID = tx.TxID()
			if string(tx.Action.GetResponse().GetPayload()) == "conflict" {
				code = peer.TxValidationCode_MVCC_READ_CONFLICT
			}
		}
		codes = append(codes, code)
		txIDs = append(txIDs, txID)
	}
	c.append(data, codes, txIDs)
}

// append commits a block with the given transactions and validation codes.
func (c *chain) append(data [][]byte, codes []peer.TxValidationCode, txIDs []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	number := uint64(len(c.blocks))
	filter := make([]byte, len(codes))
	for i, code := range codes {
		filter[i] = byte(code)
		if _, seen := c.txs[txIDs[i]]; txIDs[i] != "" && !seen {
			c.txs[txIDs[i]] = txRecord{code: code, block: number}
		}
	}
	metadata := make([][]byte, len(common.BlockMetadataIndex_name))
	metadata[common.BlockMetadataIndex_TRANSACTIONS_FILTER] = filter
	c.blocks = append(c.blocks, &common.Block{
		Header:   &common.BlockHeader{Number: number},
		Data:     &common.BlockData{Data: data},
		Metadata: &common.BlockMetadata{Metadata: metadata},
	})
	close(c.changed)
	c.changed = make(chan struct{})
}
