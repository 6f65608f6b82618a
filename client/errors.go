package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	fabric "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/status"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// The fabric-gateway error types of each step of a transaction, under this package's
// name; errors.As finds them in the errors the Client returns.
type (
	// EndorseError is a failure to endorse a transaction proposal.
	EndorseError = fabric.EndorseError
	// SubmitError is a failure to submit an endorsed transaction to the orderer.
	SubmitError = fabric.SubmitError
	// CommitStatusError is a failure to learn a transaction's commit status.
	CommitStatusError = fabric.CommitStatusError
	// TransactionError is the gRPC status error under the three above.
	TransactionError = fabric.TransactionError
)

// ChaincodeError is a rejection by the warrant chaincode: the decoded domain error and
// the gateway error that carried it. errors.As finds both the *warrant.Error and the
// gateway error (an *EndorseError for mutations, a gRPC status error for queries).
type ChaincodeError struct {
	// Function is the contract function called, "contract:Function".
	Function string
	// TransactionID is the id of the rejected proposal, when known.
	TransactionID string
	// Domain is the chaincode's structured error.
	Domain *warrant.Error
	cause  error
}

// Error renders the function and the domain error.
func (e *ChaincodeError) Error() string {
	return fmt.Sprintf("%s: %s", e.Function, e.Domain.Error())
}

// Unwrap returns the domain error and the gateway error.
func (e *ChaincodeError) Unwrap() []error { return []error{e.Domain, e.cause} }

// CommitError is a transaction that was ordered but failed validation at commit, e.g.
// on an MVCC read conflict; nothing it wrote reached the ledger.
type CommitError struct {
	// Function is the contract function called, "contract:Function".
	Function string
	// TransactionID is the id of the invalid transaction.
	TransactionID string
	// Code is the peer's validation code.
	Code peer.TxValidationCode
}

// Error renders the function, transaction and validation code.
func (e *CommitError) Error() string {
	return fmt.Sprintf("%s: transaction %s failed to commit with status code %d (%s)",
		e.Function, e.TransactionID, int32(e.Code), e.Code.String())
}

// Code returns the chaincode's error code carried by err, or "" when err is nil or no
// chaincode rejection (a transport, timeout or commit failure).
func Code(err error) warrant.Code {
	var domainErr *warrant.Error
	if errors.As(err, &domainErr) {
		return domainErr.Code
	}
	return ""
}

// DecodeError returns err, a gateway error of a call of function, as the Client's
// methods return it: a *ChaincodeError when it carries the chaincode's structured error,
// so that Code finds the code. Callers of the fabric-gateway client use it to parse
// chaincode errors the same way.
func DecodeError(function string, err error) error { return decodeError(function, "", err) }

// CommitCode returns the validation code name of a commit failure carried by err (e.g.
// "MVCC_READ_CONFLICT"), or "" when err is no commit failure.
func CommitCode(err error) string {
	var commitErr *CommitError
	if errors.As(err, &commitErr) {
		return commitErr.Code.String()
	}
	return ""
}

// decodeError turns a gateway error into a *ChaincodeError when one of its messages
// (the error details of each endorser, then the status message) carries the
// chaincode's JSON error, as in "chaincode response 500, {...}"; other errors are
// returned wrapped with the function name.
func decodeError(function, txID string, err error) error {
	if err == nil {
		return nil
	}
	if domainErr := domainError(err); domainErr != nil {
		var txErr *TransactionError
		if txID == "" && errors.As(err, &txErr) {
			txID = txErr.TransactionID
		}
		return &ChaincodeError{Function: function, TransactionID: txID, Domain: domainErr, cause: err}
	}
	return fmt.Errorf("%s: %w", function, err)
}

// domainError finds the chaincode's structured error in err's gRPC status.
func domainError(err error) *warrant.Error {
	st, ok := status.FromError(err)
	if !ok {
		return parseDomainError(err.Error())
	}
	var messages []string
	for _, detail := range st.Details() {
		if d, ok := detail.(*gateway.ErrorDetail); ok {
			messages = append(messages, d.GetMessage())
		}
	}
	messages = append(messages, st.Message())
	for _, message := range messages {
		if e := parseDomainError(message); e != nil {
			return e
		}
	}
	return nil
}

// chaincodeResponse is the prefix the gateway puts before a chaincode's error message.
const chaincodeResponse = "chaincode response "

// parseDomainError decodes the JSON object following "chaincode response <status>, "
// in message; it returns nil if there is none or it carries no code.
func parseDomainError(message string) *warrant.Error {
	i := strings.Index(message, chaincodeResponse)
	if i < 0 {
		return nil
	}
	rest := message[i+len(chaincodeResponse):]
	j := strings.IndexByte(rest, '{')
	if j < 0 {
		return nil
	}
	var e warrant.Error
	if err := json.NewDecoder(bytes.NewReader([]byte(rest[j:]))).Decode(&e); err != nil || e.Code == "" {
		return nil
	}
	return &e
}
