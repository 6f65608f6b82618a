package msp

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/asn1"
	"fmt"
	"math/big"
)

// verifiedECDSA remembers the ECDSA signatures this process has verified, by
// public key, digest and signature bytes. The peers of a dev network share one
// process, and each checks the same signatures of a transaction (the client's
// proposal and envelope, every endorsement) as separate Fabric peers do; the
// check is a pure function of those bytes, so a peer that meets a signature
// another peer of the process verified takes the result instead of doing the
// curve arithmetic again. Only successes are kept: a bad signature costs its
// sender a full verification every time.
var verifiedECDSA = newBoundedCache[struct{}](verifiedECDSASize)

// verifiedECDSASize bounds the remembered signatures: a few thousand
// transactions' worth, far more than the blocks in flight between the first
// and last peer to validate them.
const verifiedECDSASize = 1 << 14

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
	key, err := verifiedECDSAKey(pub, digest[:], signature)
	if err != nil {
		return err
	}
	if _, verified := verifiedECDSA.get(key); verified {
		return nil
	}
	if !ecdsa.Verify(pub, digest[:], sig.R, sig.S) {
		return fmt.Errorf("%w: ECDSA signature does not verify", ErrBadSignature)
	}
	verifiedECDSA.put(key, struct{}{})
	return nil
}

// verifiedECDSAKey is the memo key of a signature: the length of the public
// key's uncompressed point, the point, the SHA-256 digest and the DER
// signature; each part's length is given, fixed or declared by its encoding, so
// no two triples share a key.
func verifiedECDSAKey(pub *ecdsa.PublicKey, digest, signature []byte) ([]byte, error) {
	point, err := pub.Bytes()
	if err != nil {
		return nil, fmt.Errorf("%w: public key: %w", ErrBadSignature, err)
	}
	key := make([]byte, 0, 1+len(point)+len(digest)+len(signature))
	key = append(key, byte(len(point)))
	return append(append(append(key, point...), digest...), signature...), nil
}
