package warrant

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code classifies an Error; clients and adapters branch on it, never on message text.
type Code string

// Error codes returned by the domain operations.
const (
	// CodeNotFound: a named warrant, enterprise, application or index entry does not exist.
	CodeNotFound Code = "NOT_FOUND"
	// CodeForbidden: the caller lacks the role, org or relationship the rule needs (R1–R3).
	CodeForbidden Code = "FORBIDDEN"
	// CodeInvalidArgument: malformed or out-of-range input (R18).
	CodeInvalidArgument Code = "INVALID_ARGUMENT"
	// CodeInsufficientCreditLine: issuing would exceed the debtor's credit line (R4a).
	CodeInsufficientCreditLine Code = "INSUFFICIENT_CREDIT_LINE"
	// CodePledged: the warrant is pledged, or already carries a pledge (R11).
	CodePledged Code = "PLEDGED"
	// CodeFrozen: the warrant is frozen by a regulator (R13).
	CodeFrozen Code = "FROZEN"
	// CodeMatured: the operation is only allowed before maturity.
	CodeMatured Code = "MATURED"
	// CodeNotMatured: the operation is only allowed on or after maturity (R12).
	CodeNotMatured Code = "NOT_MATURED"
	// CodeAlreadyRegistered: an invoice or document was registered before (R6).
	CodeAlreadyRegistered Code = "ALREADY_REGISTERED"
	// CodeAlreadyExists: the object to create exists, or a requestId was reused (R4b).
	CodeAlreadyExists Code = "ALREADY_EXISTS"
	// CodeRelatedParty: the parties are related or the transfer closes a cycle (R4, R8a).
	CodeRelatedParty Code = "RELATED_PARTY"
	// CodeConservation: a root's live leaves do not sum to its face value (R9).
	CodeConservation Code = "CONSERVATION"
	// CodeInvalidState: the warrant's status does not allow the operation.
	CodeInvalidState Code = "INVALID_STATE"
	// CodeDuplicateInvoice: an invoice appears twice in one trade.
	CodeDuplicateInvoice Code = "DUPLICATE_INVOICE"
	// CodeCustody: the custody state does not allow the operation (R10).
	CodeCustody Code = "CUSTODY"
	// CodeClockSkew: the transaction's timestamp is further from the endorsing peer's clock
	// than the allowed skew (R19).
	CodeClockSkew Code = "CLOCK_SKEW"
	// CodeInternal: the state could not be read or written.
	CodeInternal Code = "INTERNAL"
)

// Error is the one error type the operations return. Its JSON form is
// {"code":..,"message":..,"details":{..}}; encoding/json sorts the detail keys, so the
// text is deterministic across endorsing peers.
type Error struct {
	Code    Code              `json:"code"`
	Message string            `json:"message"`
	Details map[string]string `json:"details,omitempty" metadata:",optional"`
}

// Error renders the code, the message and the details in key order.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	b.WriteString(": ")
	b.WriteString(e.Message)
	if len(e.Details) > 0 {
		keys := make([]string, 0, len(e.Details))
		for k := range e.Details {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(" (")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s=%s", k, e.Details[k])
		}
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, &warrant.Error{Code: warrant.CodeFrozen}) works.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Code == e.Code
}

// newError builds an Error; kv are detail key/value pairs.
func newError(code Code, msg string, kv ...string) *Error {
	e := &Error{Code: code, Message: msg}
	if len(kv) > 1 {
		e.Details = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			e.Details[kv[i]] = kv[i+1]
		}
	}
	return e
}

// AsError returns err as an *Error: itself if it is one (or wraps one), otherwise an
// INTERNAL error carrying err's text. It returns nil for a nil err.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeInternal, Message: err.Error()}
}

// ErrorCode returns the code of err, CodeInternal for foreign errors, "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	return AsError(err).Code
}

// IsCode reports whether err is (or wraps) an *Error with the given code.
func IsCode(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// internal wraps a state failure with context as an INTERNAL error.
func internal(context string, err error) *Error {
	return &Error{Code: CodeInternal, Message: fmt.Sprintf("%s: %v", context, err)}
}
