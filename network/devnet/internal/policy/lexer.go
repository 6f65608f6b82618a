package policy

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// tokenKind classifies the tokens of the policy language.
type tokenKind int

const (
	tokEOF tokenKind = iota
	tokIdent
	tokNumber
	tokString
	tokLParen
	tokRParen
	tokComma
)

func (k tokenKind) String() string {
	switch k {
	case tokEOF:
		return "end of expression"
	case tokIdent:
		return "name"
	case tokNumber:
		return "number"
	case tokString:
		return "quoted string"
	case tokLParen:
		return "'('"
	case tokRParen:
		return "')'"
	default:
		return "','"
	}
}

// token is one lexical unit; text is the unquoted content for strings.
type token struct {
	kind tokenKind
	text string
	pos  int
}

func (t token) String() string {
	switch t.kind {
	case tokIdent, tokNumber:
		return fmt.Sprintf("%s %q", t.kind, t.text)
	case tokString:
		return fmt.Sprintf("%s '%s'", t.kind, t.text)
	default:
		return t.kind.String()
	}
}

// lexer splits a policy expression into tokens, skipping white space.
type lexer struct {
	src    string
	pos    int
	peeked *token
}

func (l *lexer) peek() (token, error) {
	if l.peeked == nil {
		tok, err := l.scan()
		if err != nil {
			return token{}, err
		}
		l.peeked = &tok
	}
	return *l.peeked, nil
}

func (l *lexer) next() (token, error) {
	tok, err := l.peek()
	l.peeked = nil
	return tok, err
}

func (l *lexer) scan() (token, error) {
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if !unicode.IsSpace(r) {
			break
		}
		l.pos += size
	}
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tokEOF, pos: start}, nil
	}
	c := l.src[start]
	switch {
	case c == '(':
		l.pos++
		return token{kind: tokLParen, text: "(", pos: start}, nil
	case c == ')':
		l.pos++
		return token{kind: tokRParen, text: ")", pos: start}, nil
	case c == ',':
		l.pos++
		return token{kind: tokComma, text: ",", pos: start}, nil
	case c == '\'' || c == '"':
		return l.scanString(c)
	case c == '-' || isDigit(c):
		l.pos++
		for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
			l.pos++
		}
		return token{kind: tokNumber, text: l.src[start:l.pos], pos: start}, nil
	case isIdentStart(c):
		for l.pos < len(l.src) && (isIdentStart(l.src[l.pos]) || isDigit(l.src[l.pos])) {
			l.pos++
		}
		return token{kind: tokIdent, text: l.src[start:l.pos], pos: start}, nil
	default:
		r, _ := utf8.DecodeRuneInString(l.src[start:])
		return token{}, syntaxErr(start, "unexpected character %q", r)
	}
}

// scanString reads a string quoted with quote; escapes are not part of the language because
// no valid principal contains a quote or a backslash.
func (l *lexer) scanString(quote byte) (token, error) {
	start := l.pos
	for i := start + 1; i < len(l.src); i++ {
		switch l.src[i] {
		case quote:
			l.pos = i + 1
			return token{kind: tokString, text: l.src[start+1 : i], pos: start}, nil
		case '\\':
			return token{}, syntaxErr(i, "escape sequences are not supported in principals")
		}
	}
	return token{}, syntaxErr(start, "unterminated string")
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

func syntaxErr(pos int, format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", ErrSyntax, pos, fmt.Sprintf(format, args...))
}
