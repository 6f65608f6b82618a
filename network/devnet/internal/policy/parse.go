package policy

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Errors returned by Parse, usable with errors.Is.
var (
	// ErrSyntax reports text that is not a well-formed policy expression.
	ErrSyntax = errors.New("policy syntax error")
	// ErrUnknownRole reports a principal whose role is not member, admin, client, peer or orderer.
	ErrUnknownRole = errors.New("unknown principal role")
	// ErrBadMSPID reports a principal with an empty or malformed MSP ID.
	ErrBadMSPID = errors.New("bad MSP ID")
	// ErrBadThreshold reports an OutOf count below 1 or above the number of its sub-policies.
	ErrBadThreshold = errors.New("OutOf count out of range")
)

// maxDepth bounds gate nesting so that hostile input cannot exhaust the stack.
const maxDepth = 64

// roles maps the role words of the policy language to MSP roles.
var roles = map[string]msp.MSPRole_MSPRoleType{
	"member":  msp.MSPRole_MEMBER,
	"admin":   msp.MSPRole_ADMIN,
	"client":  msp.MSPRole_CLIENT,
	"peer":    msp.MSPRole_PEER,
	"orderer": msp.MSPRole_ORDERER,
}

// gates lists the gate spellings Fabric's parser accepts.
var gates = map[string]string{
	"AND": "and", "And": "and", "and": "and",
	"OR": "or", "Or": "or", "or": "or",
	"OUTOF": "outof", "OutOf": "outof", "outof": "outof",
}

// Parse turns a signature policy expression into the envelope Fabric's policy parser produces:
// AND(p, ...) becomes NOutOf(len, ...), OR(p, ...) becomes NOutOf(1, ...), OutOf(n, p, ...)
// becomes NOutOf(n, ...), and each principal 'MSPID.role' (single or double quotes) becomes a
// ROLE principal. As in Fabric, principals are numbered in evaluation order: a gate's nested
// gates first, then its own principals, and every occurrence gets its own entry.
func Parse(expr string) (*common.SignaturePolicyEnvelope, error) {
	p := &parser{lex: lexer{src: expr}}
	root, err := p.parseTop()
	if err != nil {
		return nil, fmt.Errorf("parse policy %q: %w", expr, err)
	}
	b := &builder{}
	rule, err := b.build(root)
	if err != nil {
		return nil, fmt.Errorf("parse policy %q: %w", expr, err)
	}
	return &common.SignaturePolicyEnvelope{Version: 0, Rule: rule, Identities: b.identities}, nil
}

// gateNode is a parsed gate; each argument is either a nested gate or a principal.
type gateNode struct {
	n    int
	args []argNode
}

type argNode struct {
	gate      *gateNode
	principal *msp.MSPRole
}

type parser struct {
	lex lexer
}

func (p *parser) parseTop() (*gateNode, error) {
	g, err := p.parseGate(0)
	if err != nil {
		return nil, err
	}
	if tok, err := p.lex.next(); err != nil {
		return nil, err
	} else if tok.kind != tokEOF {
		return nil, syntaxErr(tok.pos, "unexpected %s after the policy", tok)
	}
	return g, nil
}

func (p *parser) parseGate(depth int) (*gateNode, error) {
	if depth >= maxDepth {
		return nil, fmt.Errorf("%w: gates nested deeper than %d", ErrSyntax, maxDepth)
	}
	tok, err := p.lex.next()
	if err != nil {
		return nil, err
	}
	if tok.kind != tokIdent {
		return nil, syntaxErr(tok.pos, "expected AND, OR or OutOf, got %s", tok)
	}
	kind, ok := gates[tok.text]
	if !ok {
		return nil, syntaxErr(tok.pos, "unknown gate %q (want AND, OR or OutOf; principals are quoted)", tok.text)
	}
	if err := p.expect(tokLParen); err != nil {
		return nil, err
	}
	g := &gateNode{}
	if kind == "outof" {
		if g.n, err = p.parseCount(); err != nil {
			return nil, err
		}
		if err := p.expect(tokComma); err != nil {
			return nil, err
		}
	}
	for {
		arg, err := p.parseArg(depth)
		if err != nil {
			return nil, err
		}
		g.args = append(g.args, arg)
		tok, err := p.lex.next()
		if err != nil {
			return nil, err
		}
		if tok.kind == tokRParen {
			break
		}
		if tok.kind != tokComma {
			return nil, syntaxErr(tok.pos, "expected ',' or ')', got %s", tok)
		}
	}
	switch kind {
	case "and":
		g.n = len(g.args)
	case "or":
		g.n = 1
	default:
		if g.n < 1 || g.n > len(g.args) {
			return nil, fmt.Errorf("%w: OutOf(%d, ...) over %d sub-policies", ErrBadThreshold, g.n, len(g.args))
		}
	}
	return g, nil
}

// parseCount reads OutOf's count: an integer, or (as Fabric also accepts) a quoted integer.
func (p *parser) parseCount() (int, error) {
	tok, err := p.lex.next()
	if err != nil {
		return 0, err
	}
	if tok.kind != tokNumber && tok.kind != tokString {
		return 0, syntaxErr(tok.pos, "expected the OutOf count, got %s", tok)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(tok.text), 10, 32)
	if err != nil {
		return 0, syntaxErr(tok.pos, "OutOf count %q is not an integer", tok.text)
	}
	return int(n), nil
}

func (p *parser) parseArg(depth int) (argNode, error) {
	tok, err := p.lex.peek()
	if err != nil {
		return argNode{}, err
	}
	switch tok.kind {
	case tokIdent:
		g, err := p.parseGate(depth + 1)
		return argNode{gate: g}, err
	case tokString:
		_, _ = p.lex.next()
		role, err := parsePrincipal(tok.text)
		if err != nil {
			return argNode{}, fmt.Errorf("principal at offset %d: %w", tok.pos, err)
		}
		return argNode{principal: role}, nil
	default:
		return argNode{}, syntaxErr(tok.pos, "expected a principal or a gate, got %s", tok)
	}
}

func (p *parser) expect(kind tokenKind) error {
	tok, err := p.lex.next()
	if err != nil {
		return err
	}
	if tok.kind != kind {
		return syntaxErr(tok.pos, "expected %s, got %s", kind, tok)
	}
	return nil
}

// parsePrincipal reads 'MSPID.role'; the role follows the last dot, so MSP IDs may contain dots.
func parsePrincipal(text string) (*msp.MSPRole, error) {
	dot := strings.LastIndexByte(text, '.')
	if dot < 0 {
		return nil, fmt.Errorf("%w: principal %q is not of the form 'MSPID.role'", ErrSyntax, text)
	}
	mspID, roleWord := text[:dot], text[dot+1:]
	role, ok := roles[roleWord]
	if !ok {
		return nil, fmt.Errorf("%w %q in %q (want member, admin, client, peer or orderer)", ErrUnknownRole, roleWord, text)
	}
	if mspID == "" {
		return nil, fmt.Errorf("%w: empty MSP ID in %q", ErrBadMSPID, text)
	}
	for _, r := range mspID {
		if !isMSPIDRune(r) {
			return nil, fmt.Errorf("%w: %q has character %q (want letters, digits, '.' or '-')", ErrBadMSPID, mspID, r)
		}
	}
	return &msp.MSPRole{MspIdentifier: mspID, Role: role}, nil
}

func isMSPIDRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-'
}

// builder numbers principals in the order Fabric's parser does.
type builder struct {
	identities []*msp.MSPPrincipal
}

func (b *builder) build(g *gateNode) (*common.SignaturePolicy, error) {
	rules := make([]*common.SignaturePolicy, len(g.args))
	for i, arg := range g.args {
		if arg.gate == nil {
			continue
		}
		rule, err := b.build(arg.gate)
		if err != nil {
			return nil, err
		}
		rules[i] = rule
	}
	for i, arg := range g.args {
		if arg.principal == nil {
			continue
		}
		raw, err := proto.Marshal(arg.principal)
		if err != nil {
			return nil, fmt.Errorf("marshal principal: %w", err)
		}
		rules[i] = signedBy(int32(len(b.identities)))
		b.identities = append(b.identities, &msp.MSPPrincipal{
			PrincipalClassification: msp.MSPPrincipal_ROLE,
			Principal:               raw,
		})
	}
	return nOutOf(int32(g.n), rules), nil
}

func signedBy(index int32) *common.SignaturePolicy {
	return &common.SignaturePolicy{Type: &common.SignaturePolicy_SignedBy{SignedBy: index}}
}

func nOutOf(n int32, rules []*common.SignaturePolicy) *common.SignaturePolicy {
	return &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{
		NOutOf: &common.SignaturePolicy_NOutOf{N: n, Rules: rules},
	}}
}
