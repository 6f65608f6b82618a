package committer

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// Verifier checks that a serialized identity belongs to one of the channel's
// application orgs and that it signed the data.
type Verifier interface {
	VerifySigned(identity, data, signature []byte) error
}

// ConfigChecker checks the CONFIG transaction of a config block after the
// genesis block against the channel's current configuration; apply switches
// the channel to the new configuration once the block is committed.
type ConfigChecker interface {
	CheckConfigTransaction(envelope *common.Envelope) (apply func(), err error)
}

// Config holds a committer's dependencies.
type Config struct {
	Channel  string
	Ledger   *ledger.Store
	Verifier Verifier
	// ChaincodePolicy returns the endorsement policy of a defined chaincode.
	ChaincodePolicy func(name string) (policy.Policy, bool)
	// KeyPolicy turns a VALIDATION_PARAMETER value into a policy.
	KeyPolicy func(value []byte) (policy.Policy, error)
	// MSPID is the committing peer's org, which decides the collections whose
	// private data it stores.
	MSPID string
	// Collections are the chaincodes' collections (their endorsement policies
	// and members); nil: a transaction writing private data is invalid.
	Collections Collections
	// PrivateData is where the peer finds its collections' private writes.
	PrivateData PrivateData
	// Configs checks and applies configuration updates; nil: every CONFIG
	// transaction after the genesis block is invalid.
	Configs ConfigChecker
}

// Committer validates and commits blocks for one peer.
type Committer struct {
	cfg Config

	mu      sync.Mutex
	changed chan struct{}
	failed  chan struct{} // closed when a commit failed
	err     error         // why the committer stopped
}

// New returns a committer for the peer's ledger.
func New(cfg Config) *Committer {
	return &Committer{cfg: cfg, changed: make(chan struct{}), failed: make(chan struct{})}
}

// Commit validates a block, commits it to the ledger and wakes waiters. It
// returns the validation code of every transaction. As in Fabric, a local
// failure (a ledger lookup or write) fails the whole block rather than any
// transaction, and stops the committer: every later Commit, and every
// WaitForHeight, returns that error.
func (c *Committer) Commit(block *common.Block) ([]peer.TxValidationCode, error) {
	if err := c.Err(); err != nil {
		return nil, err
	}
	final, err := c.commit(block)
	if err != nil {
		err = fmt.Errorf("commit block %d: %w", block.GetHeader().GetNumber(), err)
		c.Halt(err)
		return nil, err
	}
	c.mu.Lock()
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
	return final, nil
}

func (c *Committer) commit(block *common.Block) ([]peer.TxValidationCode, error) {
	if block.GetHeader().GetNumber() == 0 {
		return c.cfg.Ledger.CommitBlock(block, joinFlags(block))
	}
	if envelope, ok := configTransaction(block); ok {
		return c.commitConfig(block, envelope)
	}
	checked, err := c.checkAll(block)
	if err != nil {
		return nil, err
	}
	flags, err := c.resolveInBlock(checked)
	if err != nil {
		return nil, err
	}
	parsed := make([]*ledger.Tx, len(checked))
	txIDs := make([]string, 0, len(checked))
	for i := range checked {
		parsed[i] = checked[i].parsed
		txIDs = append(txIDs, checked[i].txID)
	}
	final, err := c.cfg.Ledger.CommitBlockWithPrivateData(block, flags, parsed, c.privateData(block.GetHeader().GetNumber(), checked, flags))
	if err != nil {
		return nil, err
	}
	if c.cfg.PrivateData != nil {
		c.cfg.PrivateData.Committed(txIDs, block.GetHeader().GetNumber()+1)
	}
	return final, nil
}

// joinFlags are the codes of the genesis block: as a Fabric peer commits the
// block it joins the channel with, its configuration transactions are taken
// as given (the block comes from the network's own configuration, not from a
// member), and anything else in it is invalid.
func joinFlags(block *common.Block) []peer.TxValidationCode {
	data := block.GetData().GetData()
	flags := make([]peer.TxValidationCode, len(data))
	for i, raw := range data {
		flags[i] = peer.TxValidationCode_INVALID_CONFIG_TRANSACTION
		envelope := &common.Envelope{}
		if proto.Unmarshal(raw, envelope) != nil {
			continue
		}
		if header, err := protoutil.UnpackHeader(envelope); err == nil && header.Type() == common.HeaderType_CONFIG {
			flags[i] = peer.TxValidationCode_VALID
		}
	}
	return flags
}

// configTransaction returns the envelope of a config block: one transaction,
// of type CONFIG. A CONFIG transaction among others is not a config block
// (check marks it invalid).
func configTransaction(block *common.Block) (*common.Envelope, bool) {
	data := block.GetData().GetData()
	if len(data) != 1 {
		return nil, false
	}
	envelope := &common.Envelope{}
	if proto.Unmarshal(data[0], envelope) != nil {
		return nil, false
	}
	header, err := protoutil.UnpackHeader(envelope)
	if err != nil || header.Type() != common.HeaderType_CONFIG {
		return nil, false
	}
	return envelope, true
}

// commitConfig validates and commits a config block, as a Fabric peer does:
// a configuration update the orderer signed, whose last update is valid
// against the current configuration and produces the configuration the
// block carries, is VALID, and the channel switches to it once the block is
// committed (new orgs' identities count from the next block, a removed org's
// no longer do); anything else is INVALID_CONFIG_TRANSACTION and changes
// nothing.
func (c *Committer) commitConfig(block *common.Block, envelope *common.Envelope) ([]peer.TxValidationCode, error) {
	code := peer.TxValidationCode_INVALID_CONFIG_TRANSACTION
	var apply func()
	if c.cfg.Configs != nil {
		var err error
		if apply, err = c.cfg.Configs.CheckConfigTransaction(envelope); err == nil {
			code = peer.TxValidationCode_VALID
		}
	}
	final, err := c.cfg.Ledger.CommitBlock(block, []peer.TxValidationCode{code})
	if err != nil {
		return nil, err
	}
	if final[0] == peer.TxValidationCode_VALID && apply != nil {
		apply()
	}
	return final, nil
}

// Halt stops the committer with err (its first error stays): Commit and
// WaitForHeight return it from then on.
func (c *Committer) Halt(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	close(c.failed)
}

// Err is the error that stopped the committer, nil while it runs.
func (c *Committer) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// WaitForHeight returns once the ledger height exceeds h, or when ctx ends,
// or with the committer's error once a commit failed.
func (c *Committer) WaitForHeight(ctx context.Context, h uint64) error {
	for {
		// Take the channel before reading the height, so a commit in between is not missed.
		c.mu.Lock()
		changed, err := c.changed, c.err
		c.mu.Unlock()
		if c.cfg.Ledger.Height() > h {
			return nil
		}
		if err != nil {
			return err
		}
		select {
		case <-changed:
		case <-c.failed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// checkedTx is a transaction after the checks that do not depend on other
// transactions of the block.
type checkedTx struct {
	code peer.TxValidationCode
	txID string
	// writtenKeys are the (namespace, key) pairs written or whose metadata is written.
	writtenKeys []nsKey
	// metadataKeys are the keys whose metadata (validation parameter) the transaction sets.
	metadataKeys []nsKey
	// parsed is the transaction as the ledger reads it, handed to the ledger so
	// that it does not decode the envelope again; nil when it could not be taken apart.
	parsed *ledger.Tx
}

type nsKey struct{ namespace, key string }

// checkAll runs the per-transaction checks on all cores. An error is a local
// failure (the ledger could not be read): it fails the block.
func (c *Committer) checkAll(block *common.Block) ([]checkedTx, error) {
	data := block.GetData().GetData()
	checked := make([]checkedTx, len(data))
	errs := make([]error, len(data))
	workers := min(runtime.GOMAXPROCS(0), len(data))
	var next sync.WaitGroup
	indexes := make(chan int, len(data))
	for i := range data {
		indexes <- i
	}
	close(indexes)
	for range workers {
		next.Add(1)
		go func() {
			defer next.Done()
			for i := range indexes {
				checked[i], errs[i] = c.check(data[i])
			}
		}()
	}
	next.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("transaction %d: %w", i, err)
		}
	}
	return checked, nil
}

// check validates one transaction on its own. A configuration transaction
// here is invalid: it is valid only alone in its block (commitConfig).
func (c *Committer) check(data []byte) (checkedTx, error) {
	envelope := &common.Envelope{}
	if err := proto.Unmarshal(data, envelope); err != nil {
		return checkedTx{code: peer.TxValidationCode_INVALID_OTHER_REASON}, nil
	}
	header, err := protoutil.UnpackHeader(envelope)
	if err != nil {
		return checkedTx{code: envelopeCode(err)}, nil
	}
	if header.Type() == common.HeaderType_CONFIG {
		return checkedTx{code: peer.TxValidationCode_INVALID_CONFIG_TRANSACTION}, nil
	}
	tx, err := header.CheckedTransaction()
	if err != nil {
		return checkedTx{code: envelopeCode(err)}, nil
	}
	result := checkedTx{txID: tx.TxID(), parsed: &ledger.Tx{
		ID:        tx.TxID(),
		Type:      common.HeaderType_ENDORSER_TRANSACTION,
		Timestamp: tx.ChannelHeader.GetTimestamp(),
	}}
	if tx.ChannelHeader.GetChannelId() != c.cfg.Channel {
		result.code = peer.TxValidationCode_TARGET_CHAIN_NOT_FOUND
		return result, nil
	}
	if err := c.cfg.Verifier.VerifySigned(tx.SignatureHeader.GetCreator(), envelope.GetPayload(), envelope.GetSignature()); err != nil {
		result.code = peer.TxValidationCode_BAD_CREATOR_SIGNATURE
		return result, nil
	}
	writes, err := ledger.ParseResults(tx.Action.GetResults())
	if err != nil {
		result.code = peer.TxValidationCode_BAD_RWSET
		return result, nil
	}
	result.parsed.RWSet = writes
	invoked := tx.Action.GetChaincodeId().GetName()
	result.writtenKeys, result.metadataKeys = writtenKeys(writes)
	if result.code, err = c.checkEndorsements(tx, invoked, result.writtenKeys); err != nil {
		return checkedTx{}, err
	}
	return result, nil
}

func envelopeCode(err error) peer.TxValidationCode {
	var envelopeErr *protoutil.EnvelopeError
	if errors.As(err, &envelopeErr) {
		return envelopeErr.Code
	}
	return peer.TxValidationCode_INVALID_OTHER_REASON
}

// checkEndorsements applies Fabric's key-level validation: each written key
// with a validation parameter must satisfy that policy; the chaincode policy
// applies to the other written keys, and to the invoked chaincode when no key
// policy was checked. An error is a failed ledger read, not an invalid
// transaction.
func (c *Committer) checkEndorsements(tx *protoutil.Transaction, invoked string, written []nsKey) (peer.TxValidationCode, error) {
	signed := endorsementSignedData(tx)
	checkedChaincodes := map[string]bool{}
	checkedCollections := map[string]bool{}
	needChaincodePolicy := map[string]bool{}
	keyPolicyChecked := false
	for _, key := range written {
		metadata, err := c.cfg.Ledger.GetStateMetadata(key.namespace, key.key)
		if err != nil {
			return 0, fmt.Errorf("read metadata of %s/%q: %w", key.namespace, key.key, err)
		}
		parameter := metadata[policy.ValidationParameterKey]
		if len(parameter) == 0 {
			namespace := key.namespace
			// A private key without a key-level policy: its collection's
			// endorsement policy, else the chaincode's.
			if ns, _, private := ledger.SplitHashedNamespace(namespace); private {
				applied, code := c.collectionPolicy(namespace, signed, checkedCollections)
				if code != peer.TxValidationCode_VALID {
					return code, nil
				}
				if applied {
					keyPolicyChecked = true
					continue
				}
				namespace = ns
			}
			needChaincodePolicy[namespace] = true
			continue
		}
		keyPolicy, err := c.cfg.KeyPolicy(parameter)
		if err != nil || keyPolicy.EvaluateSignedData(signed) != nil {
			return peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, nil
		}
		keyPolicyChecked = true
	}
	// As Fabric's key-level validator: at least one policy is always checked,
	// the invoked chaincode's when the transaction wrote no key with a policy.
	if !keyPolicyChecked {
		needChaincodePolicy[invoked] = true
	}
	for namespace := range needChaincodePolicy {
		if checkedChaincodes[namespace] {
			continue
		}
		checkedChaincodes[namespace] = true
		chaincodePolicy, ok := c.cfg.ChaincodePolicy(namespace)
		if !ok {
			return peer.TxValidationCode_INVALID_CHAINCODE, nil
		}
		if chaincodePolicy.EvaluateSignedData(signed) != nil {
			return peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, nil
		}
	}
	return peer.TxValidationCode_VALID, nil
}

// endorsementSignedData is what each endorser signed: the proposal response
// payload followed by the endorser's identity.
func endorsementSignedData(tx *protoutil.Transaction) []policy.SignedData {
	payload := tx.ActionPayload.GetAction().GetProposalResponsePayload()
	endorsements := tx.Endorsements()
	signed := make([]policy.SignedData, len(endorsements))
	for i, endorsement := range endorsements {
		data := make([]byte, 0, len(payload)+len(endorsement.GetEndorser()))
		data = append(append(data, payload...), endorsement.GetEndorser()...)
		signed[i] = policy.SignedData{Identity: endorsement.GetEndorser(), Data: data, Signature: endorsement.GetSignature()}
	}
	return signed
}

// passedHeaderChecks reports whether a transaction got past the checks Fabric
// makes before looking for duplicate transaction IDs: only endorsement
// validation can have failed it.
func passedHeaderChecks(code peer.TxValidationCode) bool {
	switch code {
	case peer.TxValidationCode_VALID, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, peer.TxValidationCode_INVALID_CHAINCODE:
		return true
	}
	return false
}

// resolveInBlock applies the checks that depend on earlier transactions of the
// block: duplicate transaction IDs, and keys whose validation parameter an
// earlier valid transaction of the block changed. An error is a failed lookup
// in the transaction index.
func (c *Committer) resolveInBlock(checked []checkedTx) ([]peer.TxValidationCode, error) {
	flags := make([]peer.TxValidationCode, len(checked))
	seen := map[string]bool{}
	parameterChanged := map[nsKey]bool{}
	for i, tx := range checked {
		flags[i] = tx.code
		if tx.txID == "" || !passedHeaderChecks(tx.code) {
			continue
		}
		// As Fabric: a transaction ID already in the ledger is a duplicate once
		// the header and signature checks pass; within the block, only an
		// earlier VALID transaction makes a later one a duplicate.
		_, _, found, err := c.cfg.Ledger.TxStatus(tx.txID)
		if err != nil {
			return nil, fmt.Errorf("look up transaction %s: %w", tx.txID, err)
		}
		if found || seen[tx.txID] {
			flags[i] = peer.TxValidationCode_DUPLICATE_TXID
			continue
		}
		if flags[i] != peer.TxValidationCode_VALID {
			continue
		}
		seen[tx.txID] = true
		for _, key := range tx.writtenKeys {
			if parameterChanged[key] {
				flags[i] = peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE
				break
			}
		}
		if flags[i] == peer.TxValidationCode_VALID {
			for _, key := range tx.metadataKeys {
				parameterChanged[key] = true
			}
		}
	}
	return flags, nil
}
