package msp

import "errors"

// Errors returned by the MSP, usable with errors.Is.
var (
	// ErrMalformed means the serialized identity or its certificate cannot be parsed.
	ErrMalformed = errors.New("malformed identity")
	// ErrUnknownMSP means the identity names an MSP that is not on the channel.
	ErrUnknownMSP = errors.New("unknown MSP")
	// ErrUntrusted means the certificate does not chain to the MSP's root certificates
	// or may not be used as an identity.
	ErrUntrusted = errors.New("untrusted identity")
	// ErrExpired means the certificate is outside its validity period.
	ErrExpired = errors.New("identity certificate expired or not yet valid")
	// ErrBadSignature means a signature does not verify.
	ErrBadSignature = errors.New("invalid signature")
	// ErrPrincipalNotSatisfied means the identity does not satisfy a principal.
	ErrPrincipalNotSatisfied = errors.New("principal not satisfied")
	// ErrUnsupportedPrincipal means the principal's classification is not supported.
	ErrUnsupportedPrincipal = errors.New("unsupported principal classification")
)
