package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
)

// Caller is a client of the server (an ERP system, a person) and the wallet
// identities it may act as. It authenticates with a bearer token, whose SHA-256 is
// configured, or with a TLS client certificate, whose SHA-256 fingerprint (of the DER)
// is configured.
type Caller struct {
	Name        string   `json:"name"`
	TokenSHA256 string   `json:"tokenSha256,omitempty"`
	CertSHA256  string   `json:"certSha256,omitempty"`
	Identities  []string `json:"identities"`
}

// MayActAs reports whether the caller is mapped to the wallet identity.
func (c *Caller) MayActAs(identity string) bool { return slices.Contains(c.Identities, identity) }

// Callers authenticates requests against the configured callers.
type Callers struct {
	byToken map[string]*Caller
	byCert  map[string]*Caller
}

// NewCallers indexes callers by token and certificate digest. Every identity a caller
// names must be in the wallet.
func NewCallers(callers []Caller, wallet *Wallet) (*Callers, error) {
	cs := &Callers{byToken: map[string]*Caller{}, byCert: map[string]*Caller{}}
	for i := range callers {
		c := &callers[i]
		if c.TokenSHA256 == "" && c.CertSHA256 == "" {
			return nil, fmt.Errorf("caller %s: give tokenSha256 or certSha256", c.Name)
		}
		for _, id := range c.Identities {
			if _, ok := wallet.Get(id); !ok {
				return nil, fmt.Errorf("caller %s: identity %s is not in the wallet", c.Name, id)
			}
		}
		if c.TokenSHA256 != "" {
			cs.byToken[strings.ToLower(c.TokenSHA256)] = c
		}
		if c.CertSHA256 != "" {
			cs.byCert[strings.ToLower(c.CertSHA256)] = c
		}
	}
	return cs, nil
}

// LoadCallers reads a JSON file {"callers":[...]}.
func LoadCallers(path string, wallet *Wallet) (*Callers, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read callers: %w", err)
	}
	var file struct {
		Callers []Caller `json:"callers"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("callers %s: %w", path, err)
	}
	return NewCallers(file.Callers, wallet)
}

// Digest is the lower-case hex SHA-256 of b, as tokens and certificates are configured.
func Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ByToken finds the caller of a bearer token.
func (cs *Callers) ByToken(token string) (*Caller, bool) {
	digest := Digest([]byte(token))
	for known, c := range cs.byToken {
		if subtle.ConstantTimeCompare([]byte(known), []byte(digest)) == 1 {
			return c, true
		}
	}
	return nil, false
}

// ByCertificate finds the caller of a TLS client certificate.
func (cs *Callers) ByCertificate(cert *x509.Certificate) (*Caller, bool) {
	c, ok := cs.byCert[Digest(cert.Raw)]
	return c, ok
}

// Authenticate finds the caller of a request: a bearer token in Authorization, else
// a verified TLS client certificate. It returns nil and no problem for an anonymous
// request, and a problem for credentials that match no caller.
func (cs *Callers) Authenticate(r *http.Request) (*Caller, *Problem) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, token, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return nil, NewProblem(CodeUnauthenticated, "Authorization must be \"Bearer <token>\"")
		}
		if c, ok := cs.ByToken(token); ok {
			return c, nil
		}
		return nil, NewProblem(CodeUnauthenticated, "unknown bearer token")
	}
	if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 && len(r.TLS.PeerCertificates) > 0 {
		if c, ok := cs.ByCertificate(r.TLS.PeerCertificates[0]); ok {
			return c, nil
		}
		return nil, NewProblem(CodeUnauthenticated, "client certificate is not mapped to a caller")
	}
	return nil, nil
}

// IdentityHeader names the wallet identity a caller mapped to several acts as.
const IdentityHeader = "X-Warrant-Identity"

// ActAs picks the wallet identity for a caller: the one named (it must be mapped to
// the caller), or the caller's only one.
func ActAs(wallet *Wallet, caller *Caller, name string) (*Identity, *Problem) {
	if name == "" {
		if len(caller.Identities) != 1 {
			return nil, NewProblem(codeInvalidArgument, "caller "+caller.Name+" is mapped to several identities: name one in "+IdentityHeader)
		}
		name = caller.Identities[0]
	}
	if !caller.MayActAs(name) {
		return nil, NewProblem(codeForbidden, "caller "+caller.Name+" may not act as "+name)
	}
	id, ok := wallet.Get(name)
	if !ok {
		return nil, NewProblem(codeForbidden, "identity "+name+" is not in the wallet")
	}
	return id, nil
}

type callerKey struct{}

// WithCaller returns ctx carrying the authenticated caller.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerOf returns the caller carried by ctx, nil if anonymous.
func CallerOf(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey{}).(*Caller)
	return c
}
