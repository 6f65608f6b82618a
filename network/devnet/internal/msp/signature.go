package msp

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/asn1"
	"fmt"
	"math/big"
)

// ecdsaSignature is the DER structure of an ECDSA signature.
type ecdsaSignature struct {
	R, S *big.Int
}

// Verify checks signature over message by the identity's key: ECDSA over the
// SHA-256 digest (DER, S at most half the curve order, as Fabric requires), or
// Ed25519 over the message itself.
func (i *Identity) Verify(message, signature []byte) error {
	switch pub := i.Cert.PublicKey.(type) {
	case *ecdsa.PublicKey:
		return verifyECDSA(pub, message, signature)
	case ed25519.PublicKey:
		if !ed25519.Verify(pub, message, signature) {
			return fmt.Errorf("%w: Ed25519 signature does not verify", ErrBadSignature)
		}
		return nil
	default:
		return fmt.Errorf("%w: unsupported public key type %T", ErrBadSignature, i.Cert.PublicKey)
	}
}

// verifyECDSA verifies a DER ECDSA signature over SHA-256(message) and rejects
// the high-S form Fabric refuses as malleable.
func verifyECDSA(pub *ecdsa.PublicKey, message, signature []byte) error {
	var sig ecdsaSignature
	rest, err := asn1.Unmarshal(signature, &sig)
	if err != nil {
		return fmt.Errorf("%w: parse ECDSA signature: %w", ErrBadSignature, err)
	}
	if len(rest) != 0 {
		return fmt.Errorf("%w: trailing bytes after ECDSA signature", ErrBadSignature)
	}
	if sig.R == nil || sig.S == nil || sig.R.Sign() <= 0 || sig.S.Sign() <= 0 {
		return fmt.Errorf("%w: ECDSA signature values must be positive", ErrBadSignature)
	}
	halfOrder := new(big.Int).Rsh(pub.Curve.Params().N, 1)
	if sig.S.Cmp(halfOrder) > 0 {
		return fmt.Errorf("%w: ECDSA signature has high S", ErrBadSignature)
	}
	digest := sha256.Sum256(message)
	if !ecdsa.Verify(pub, digest[:], sig.R, sig.S) {
		return fmt.Errorf("%w: ECDSA signature does not verify", ErrBadSignature)
	}
	return nil
}
