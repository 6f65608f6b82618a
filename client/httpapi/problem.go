package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// Problem is an RFC 9457 problem detail, served as application/problem+json. Code is
// the chaincode's error code when the chaincode rejected the call, or one of the
// server's own codes (UNAUTHENTICATED, RATE_LIMITED, ...).
type Problem struct {
	Type          string            `json:"type"`
	Title         string            `json:"title"`
	Status        int               `json:"status"`
	Detail        string            `json:"detail,omitempty"`
	Instance      string            `json:"instance,omitempty"`
	Code          string            `json:"code"`
	Details       map[string]string `json:"details,omitempty"`
	TransactionID string            `json:"transactionId,omitempty"`
}

// ProblemContentType is the media type of error responses.
const ProblemContentType = "application/problem+json"

// problemTypeBase prefixes the code to make a problem's type URI.
const problemTypeBase = "urn:scfledger:warrants:problem:"

// Codes the server itself answers with, besides the chaincode's.
const (
	CodeUnauthenticated     = "UNAUTHENTICATED"
	CodeRateLimited         = "RATE_LIMITED"
	CodePayloadTooLarge     = "PAYLOAD_TOO_LARGE"
	CodeUnsupportedMedia    = "UNSUPPORTED_MEDIA_TYPE"
	CodeCommitFailed        = "COMMIT_FAILED"
	CodeUnavailable         = "UNAVAILABLE"
	CodeNotFoundRoute       = "NO_SUCH_ROUTE"
	CodeNotReady            = "NOT_READY"
	codeForbidden           = string(warrant.CodeForbidden)
	codeInvalidArgument     = string(warrant.CodeInvalidArgument)
	defaultChaincodeProblem = http.StatusUnprocessableEntity
)

// statusByCode is the one table from error code to HTTP status. A chaincode code
// missing here (a newer chaincode) is a 422: the request was understood and refused.
var statusByCode = map[string]int{
	string(warrant.CodeInvalidArgument):        http.StatusBadRequest,
	string(warrant.CodeDuplicateInvoice):       http.StatusBadRequest,
	string(warrant.CodeForbidden):              http.StatusForbidden,
	string(warrant.CodeNotFound):               http.StatusNotFound,
	string(warrant.CodeAlreadyExists):          http.StatusConflict,
	string(warrant.CodeAlreadyRegistered):      http.StatusConflict,
	string(warrant.CodeInvalidState):           http.StatusConflict,
	string(warrant.CodePledged):                http.StatusConflict,
	string(warrant.CodeFrozen):                 http.StatusConflict,
	string(warrant.CodeCustody):                http.StatusConflict,
	string(warrant.CodeInsufficientCreditLine): http.StatusUnprocessableEntity,
	string(warrant.CodeMatured):                http.StatusUnprocessableEntity,
	string(warrant.CodeNotMatured):             http.StatusUnprocessableEntity,
	string(warrant.CodeRelatedParty):           http.StatusUnprocessableEntity,
	string(warrant.CodeConservation):           http.StatusUnprocessableEntity,
	string(warrant.CodeIncompleteAttestation):  http.StatusUnprocessableEntity,
	string(warrant.CodePaymentMismatch):        http.StatusUnprocessableEntity,
	string(warrant.CodeClockSkew):              http.StatusUnprocessableEntity,
	string(warrant.CodeInternal):               http.StatusInternalServerError,
	CodeUnauthenticated:                        http.StatusUnauthorized,
	CodeRateLimited:                            http.StatusTooManyRequests,
	CodePayloadTooLarge:                        http.StatusRequestEntityTooLarge,
	CodeUnsupportedMedia:                       http.StatusUnsupportedMediaType,
	CodeCommitFailed:                           http.StatusConflict,
	CodeUnavailable:                            http.StatusServiceUnavailable,
	CodeNotFoundRoute:                          http.StatusNotFound,
	CodeNotReady:                               http.StatusServiceUnavailable,
}

// StatusOf returns the HTTP status for an error code.
func StatusOf(code string) int {
	if status, ok := statusByCode[code]; ok {
		return status
	}
	return defaultChaincodeProblem
}

// NewProblem builds a problem of a code with a human-readable detail.
func NewProblem(code, detail string) *Problem {
	status := StatusOf(code)
	return &Problem{Type: problemTypeBase + code, Title: http.StatusText(status), Status: status, Code: code, Detail: detail}
}

// ProblemOf turns an error of the client library into a problem: a chaincode
// rejection keeps its code, message and details; a transaction that failed to commit
// is COMMIT_FAILED; anything else (transport, timeout) is UNAVAILABLE.
func ProblemOf(err error) *Problem {
	var rejected *client.ChaincodeError
	if errors.As(err, &rejected) {
		p := NewProblem(string(rejected.Domain.Code), rejected.Domain.Message)
		p.Details, p.TransactionID = rejected.Domain.Details, rejected.TransactionID
		return p
	}
	var commit *client.CommitError
	if errors.As(err, &commit) {
		p := NewProblem(CodeCommitFailed, commit.Error())
		p.TransactionID = commit.TransactionID
		return p
	}
	var problem *Problem
	if errors.As(err, &problem) {
		return problem
	}
	return NewProblem(CodeUnavailable, err.Error())
}

// Error makes a Problem an error, so handlers can return one.
func (p *Problem) Error() string { return p.Code + ": " + p.Detail }

// writeProblem sends p for request r.
func writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	copied := *p
	copied.Instance = r.URL.Path
	if copied.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "1")
	}
	w.Header().Set("Content-Type", ProblemContentType)
	w.WriteHeader(copied.Status)
	_ = json.NewEncoder(w).Encode(&copied)
}

// writeJSON sends v as a 200 JSON response.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(v)
}
