package contracts

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// config is what the options set.
type config struct {
	clock          func() time.Time
	maxSkew        time.Duration
	associationMSP string
}

// Option configures the chaincode New returns.
type Option func(*config)

// WithClock sets the endorsing peer's clock, which every mutating function
// compares with the transaction's timestamp (R19); the default is time.Now.
// Tests inject a fixed clock, so they choose ledger times without waiting.
func WithClock(clock func() time.Time) Option { return func(c *config) { c.clock = clock } }

// WithMaxClockSkew sets how far a transaction's timestamp may be from the
// endorsing peer's clock (R19); the default is warrant.DefaultMaxClockSkew.
func WithMaxClockSkew(skew time.Duration) Option { return func(c *config) { c.maxSkew = skew } }

// WithAssociationMSP names the MSP whose admin may initialise the ledger by
// registering its org as the association, the first member (R34). Every org of a
// network starts its chaincode with the same value, from the network's
// configuration; without it the ledger cannot be initialised.
func WithAssociationMSP(mspID string) Option { return func(c *config) { c.associationMSP = mspID } }

// New returns the warrant chaincode with all its contracts; the query
// contract is the default one.
func New(options ...Option) (*contractapi.ContractChaincode, error) {
	cfg := &config{clock: time.Now, maxSkew: warrant.DefaultMaxClockSkew}
	for _, option := range options {
		option(cfg)
	}
	if cfg.clock == nil || cfg.maxSkew <= 0 {
		return nil, fmt.Errorf("create warrant chaincode: a clock and a positive clock skew are needed")
	}
	contracts := []contractapi.ContractInterface{
		&Query{}, &Admin{}, &Issuance{}, &Registry{}, &Transfer{},
		&Custody{}, &Finance{}, &Settlement{}, &Regulator{},
	}
	for _, contract := range contracts {
		contract.(interface{ setUp(*config) }).setUp(cfg)
	}
	chaincode, err := contractapi.NewChaincode(contracts...)
	if err != nil {
		return nil, fmt.Errorf("create warrant chaincode: %w", err)
	}
	chaincode.TransactionSerializer = &stringSerializer{}
	chaincode.Info.Title = "warrant"
	chaincode.Info.Version = "1.0"
	return chaincode, nil
}

// base is embedded by every contract: it names the contract and answers
// unknown functions with a structured error.
type base struct {
	contractapi.Contract
}

// init names the contract and sets its hooks. cfg is nil for the query
// contract; every other contract mutates, so its functions first check the
// transaction's timestamp against the endorsing peer's clock (R19).
func (b *base) init(name string, contract any, cfg *config) {
	b.Name = name
	arity := parameterCounts(contract)
	b.UnknownTransaction = func(ctx contractapi.TransactionContextInterface) error {
		function, _ := ctx.GetStub().GetFunctionAndParameters()
		return clientError(&warrant.Error{Code: warrant.CodeNotFound, Message: fmt.Sprintf("contract %s has no function %q", name, function)})
	}
	// fabric-contract-api-go drops extra arguments silently and refuses missing
	// ones in plain text: check the count first, for a structured error.
	b.BeforeTransaction = func(ctx contractapi.TransactionContextInterface) error {
		function, parameters := ctx.GetStub().GetFunctionAndParameters()
		if _, after, qualified := strings.Cut(function, ":"); qualified {
			function = after
		}
		want, known := arity[function]
		if known && len(parameters) != want {
			return clientError(&warrant.Error{Code: warrant.CodeInvalidArgument,
				Message: fmt.Sprintf("%s:%s takes %d argument(s), got %d", name, function, want, len(parameters))})
		}
		if cfg != nil {
			return checkLedgerTime(ctx, cfg)
		}
		return nil
	}
}

// checkLedgerTime refuses, at endorsement, a transaction whose timestamp is
// further than the allowed skew from this peer's clock (R19). The clock only
// ever refuses: the operation takes its time from the transaction timestamp,
// never from the clock, so the write set is the same on every endorser that
// accepts the proposal.
func checkLedgerTime(ctx contractapi.TransactionContextInterface, cfg *config) error {
	timestamp, err := ctx.GetStub().GetTxTimestamp()
	if err != nil {
		return clientError(fmt.Errorf("read transaction timestamp: %w", err))
	}
	if err := warrant.CheckClockSkew(timestamp.AsTime(), cfg.clock(), cfg.maxSkew); err != nil {
		return clientError(err)
	}
	return nil
}

// parameterCounts maps each exported method of a contract to the number of
// arguments a client passes it (its parameters after the transaction context).
func parameterCounts(contract any) map[string]int {
	counts := map[string]int{}
	contractType := reflect.TypeOf(contract)
	for i := range contractType.NumMethod() {
		method := contractType.Method(i)
		if method.Type.NumIn() >= 2 {
			counts[method.Name] = method.Type.NumIn() - 2 // the receiver and the context
		}
	}
	return counts
}
