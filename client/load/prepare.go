package load

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// Shape of the prepared warrants.
const (
	// fanOutsPerRoot is how many times the source splits one root (and then
	// its remainders) into one part per worker holder.
	fanOutsPerRoot = 5
	// partAmount is what every load split-transfer sends, in fen.
	partAmount = 100
	// prepareConcurrency bounds the transactions the preparation runs at once.
	prepareConcurrency = 32
	// laggingAttempts bounds how often a preparation step is endorsed when an
	// endorser has not yet committed the warrant a step before made (afterCommit).
	laggingAttempts = 8
	// laggingBackoff is the wait before the first new attempt; it doubles each time.
	laggingBackoff = 25 * time.Millisecond
)

// afterCommit runs one preparation step on a warrant that an earlier step made or
// changed, and runs it again, at most laggingAttempts times in all with a doubling
// wait, while it fails to endorse with NOT_FOUND. A client learns that a
// transaction committed from its own org's peer, but on a real Fabric network the
// gateway also asks a peer of another org to endorse the next step, and that peer
// may not have committed the block yet: it simulates on older state and answers
// that the warrant does not exist. Nothing was ordered, so trying again is safe;
// any other failure is returned at once.
func afterCommit(ctx context.Context, step func() error) error {
	wait := laggingBackoff
	for attempt := 1; ; attempt++ {
		err := step()
		var endorseErr *client.EndorseError
		if err == nil || attempt == laggingAttempts || client.Code(err) != warrant.CodeNotFound || !errors.As(err, &endorseErr) {
			return err
		}
		if waitErr := pause(ctx, wait); waitErr != nil {
			return errors.Join(err, waitErr)
		}
		wait *= 2
	}
}

// pause waits d, or less if ctx ends first (its error then); tests replace it.
var pause = client.SleepContext

// leaf is a prepared ACTIVE warrant and the worker holder that holds it.
type leaf struct {
	holder int // index into preparer.workerHolders
	id     string
}

// preparer onboards the cast and prepares warrants, connecting each member once.
type preparer struct {
	cast *cast
	// source holds the roots; workerHolders hold the leaves.
	source        Member
	workerHolders []Member

	mu      sync.Mutex
	parties map[string]*party
	invoice atomic.Int64
}

func newPreparer(members []Member) (*preparer, error) {
	c, err := castOf(members)
	if err != nil {
		return nil, err
	}
	p := &preparer{cast: c, source: c.holders[0], workerHolders: c.holders[1:], parties: map[string]*party{}}
	p.invoice.Store(time.Now().UnixNano())
	return p, nil
}

// as returns the member's client, connecting on first use.
func (p *preparer) as(m Member) (*client.Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if existing, ok := p.parties[m.Name]; ok {
		return existing.client, nil
	}
	opened, err := connect(m)
	if err != nil {
		return nil, err
	}
	p.parties[m.Name] = opened
	return opened.client, nil
}

func (p *preparer) close() {
	for _, each := range p.parties {
		each.close()
	}
}

// setUp registers the member orgs (R34) and onboards every member's enterprise
// (keeping those already registered or onboarded), and gives the issuer the largest
// credit line.
func (p *preparer) setUp(ctx context.Context) error {
	admin, err := p.as(p.cast.admin)
	if err != nil {
		return err
	}
	if err := p.registerOrgs(ctx, admin); err != nil {
		return err
	}
	for _, m := range p.cast.members {
		member, err := p.as(m)
		if err != nil {
			return err
		}
		_, err = admin.OnboardEnterprise(ctx, m.onboarding(member.MSPID()))
		if err != nil && client.Code(err) != warrant.CodeAlreadyExists {
			return fmt.Errorf("onboard %s as %s: %w", m.Entity, p.cast.admin.Name, err)
		}
	}
	financier, err := p.as(p.cast.financier)
	if err != nil {
		return err
	}
	request := warrant.SetCreditLineRequest{Debtor: p.cast.issuer.Entity, Limit: warrant.MaxAmountCap}
	if _, err := financier.SetCreditLine(ctx, request); err != nil {
		return fmt.Errorf("set credit line as %s: %w", p.cast.financier.Name, err)
	}
	for _, a := range []warrant.AuthorizeAttestorRequest{
		{CreditCode: p.cast.attestor.Entity, Kinds: []warrant.AttestationKind{warrant.AttestTaxInvoice}},
		{CreditCode: p.cast.issuer.Entity, Kinds: []warrant.AttestationKind{warrant.AttestGoodsReceipt}},
	} {
		if _, err := admin.AuthorizeAttestor(ctx, a); err != nil && client.Code(err) != warrant.CodeAlreadyExists {
			return fmt.Errorf("authorise attestor %s: %w", a.CreditCode, err)
		}
	}
	return nil
}

// registerOrgs initialises the ledger with the admin's org as the association and
// registers every other org of the members, of the first kind (core enterprise, bank,
// association) that may hold every role its identities carry (R34). Orgs and a ledger
// set up already are kept.
func (p *preparer) registerOrgs(ctx context.Context, admin *client.Client) error {
	_, err := admin.InitLedger(ctx, warrant.InitLedgerRequest{Name: admin.MSPID()})
	if err != nil && client.Code(err) != warrant.CodeAlreadyExists {
		return fmt.Errorf("initialise the ledger as %s: %w", p.cast.admin.Name, err)
	}
	roles := map[string][]warrant.Role{}
	var orgs []string
	for _, m := range p.cast.members {
		member, err := p.as(m)
		if err != nil {
			return err
		}
		if _, seen := roles[member.MSPID()]; !seen {
			orgs = append(orgs, member.MSPID())
		}
		roles[member.MSPID()] = append(roles[member.MSPID()], m.Roles...)
	}
	for _, org := range orgs {
		if org == admin.MSPID() {
			continue
		}
		kind, err := kindFor(org, roles[org])
		if err != nil {
			return err
		}
		_, err = admin.RegisterMember(ctx, warrant.RegisterMemberRequest{MSPID: org, Kind: kind, Name: org})
		if err != nil && client.Code(err) != warrant.CodeAlreadyExists {
			return fmt.Errorf("register member %s: %w", org, err)
		}
	}
	return nil
}

// kindFor is the first member kind that may hold every one of roles.
func kindFor(org string, roles []warrant.Role) (warrant.MemberKind, error) {
	for _, kind := range warrant.MemberKinds {
		if !slices.ContainsFunc(roles, func(r warrant.Role) bool { return !warrant.RoleAllowedForKind(r, kind) }) {
			return kind, nil
		}
	}
	return "", fmt.Errorf("org %s: no member kind may hold all of the roles %v (R34)", org, roles)
}

// issueRequest is a valid issue of amount fen to holder, backed by one fresh invoice.
func (p *preparer) issueRequest(holder Member, amount int64) warrant.IssueRequest {
	number := fmt.Sprintf("%020d", p.invoice.Add(1))
	return warrant.IssueRequest{
		Debtor: p.cast.issuer.Entity, Holder: holder.Entity, Amount: amount,
		MaturesAt: time.Now().UTC().Add(90 * 24 * time.Hour).Truncate(time.Second),
		Trade: warrant.Trade{ContractHash: hash("contract " + number), Invoices: []warrant.Invoice{{
			Number: number, Amount: amount, Seller: holder.Entity, // a 数电发票: no code
			Buyer: p.cast.issuer.Entity, DocumentHash: hash("invoice " + number),
		}}},
	}
}

// activeRoots issues n roots of amount to the source one after another (each
// issue consumes the one credit line, so concurrent issues would conflict),
// then verifies and registers them concurrently.
func (p *preparer) activeRoots(ctx context.Context, n int, amount int64) ([]string, error) {
	issuer, err := p.as(p.cast.issuer)
	if err != nil {
		return nil, err
	}
	verifier, err := p.as(p.cast.verifier)
	if err != nil {
		return nil, err
	}
	registrar, err := p.as(p.cast.registrar)
	if err != nil {
		return nil, err
	}
	ids := make([]string, n)
	for i := range ids {
		issued, err := issuer.Issue(ctx, p.issueRequest(p.source, amount))
		if err != nil {
			return nil, fmt.Errorf("issue as %s: %w", p.cast.issuer.Name, err)
		}
		ids[i] = issued.ID
	}
	err = forEach(ctx, n, func(i int) error {
		for _, a := range []struct {
			by   Member
			kind warrant.AttestationKind
		}{{p.cast.attestor, warrant.AttestTaxInvoice}, {p.cast.issuer, warrant.AttestGoodsReceipt}} {
			attest := warrant.AttestRequest{WarrantID: ids[i], Kind: a.kind, Passed: true, ConfirmedAmount: amount,
				EvidenceHash: hash(string(a.kind) + " " + ids[i])}
			attestor, err := p.as(a.by)
			if err != nil {
				return err
			}
			if err := afterCommit(ctx, func() error { _, err := attestor.Attest(ctx, attest); return err }); err != nil {
				return fmt.Errorf("attest %s as %s: %w", ids[i], a.by.Name, err)
			}
		}
		verify := warrant.VerifyRequest{WarrantID: ids[i], EvidenceHash: hash("evidence " + ids[i]), Passed: true}
		if err := afterCommit(ctx, func() error { _, err := verifier.Verify(ctx, verify); return err }); err != nil {
			return fmt.Errorf("verify %s as %s: %w", ids[i], p.cast.verifier.Name, err)
		}
		register := func() error {
			_, err := registrar.Register(ctx, warrant.RegisterRequest{WarrantID: ids[i]})
			return err
		}
		if err := afterCommit(ctx, register); err != nil {
			return fmt.Errorf("register %s as %s: %w", ids[i], p.cast.registrar.Name, err)
		}
		return nil
	})
	return ids, err
}

// leaves prepares at least n ACTIVE warrants of amount fen, spread evenly over
// the worker holders: roots held by the source are split, one part per worker
// holder, fanOutsPerRoot times each, and every holder accepts its parts.
func (p *preparer) leaves(ctx context.Context, n int, amount int64) ([]leaf, error) {
	width := len(p.workerHolders)
	perRoot := fanOutsPerRoot * width
	roots, err := p.activeRoots(ctx, (n+perRoot-1)/perRoot, int64(perRoot)*amount+1)
	if err != nil {
		return nil, err
	}
	source, err := p.as(p.source)
	if err != nil {
		return nil, err
	}
	pending := make([][]leaf, len(roots))
	err = forEach(ctx, len(roots), func(i int) error {
		current := roots[i]
		for range fanOutsPerRoot {
			parts := make([]warrant.Part, width)
			for h, holder := range p.workerHolders {
				parts[h] = warrant.Part{Recipient: holder.Entity, Amount: amount}
			}
			var split *warrant.SplitResult
			err := afterCommit(ctx, func() (err error) {
				split, err = source.SplitTransfer(ctx, warrant.SplitTransferRequest{WarrantID: current, Parts: parts})
				return err
			})
			if err != nil {
				return fmt.Errorf("split %s as %s: %w", current, p.source.Name, err)
			}
			if len(split.Children) != width+1 {
				return fmt.Errorf("split of %s made %d children, want %d", current, len(split.Children), width+1)
			}
			for h := range width {
				pending[i] = append(pending[i], leaf{holder: h, id: split.Children[h].ID})
			}
			current = split.Children[width].ID
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var all []leaf
	for _, each := range pending {
		all = append(all, each...)
	}
	err = forEach(ctx, len(all), func(i int) error {
		holder := p.workerHolders[all[i].holder]
		c, err := p.as(holder)
		if err != nil {
			return err
		}
		accept := func() error { _, err := c.Accept(ctx, warrant.OfferRequest{WarrantID: all[i].id}); return err }
		if err := afterCommit(ctx, accept); err != nil {
			return fmt.Errorf("accept %s as %s: %w", all[i].id, holder.Name, err)
		}
		return nil
	})
	return all, err
}

// forEach runs do(0..n-1) at most prepareConcurrency at a time and returns the
// first error; after an error no new call starts.
func forEach(ctx context.Context, n int, do func(i int) error) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	slots := make(chan struct{}, prepareConcurrency)
	for i := range n {
		mu.Lock()
		failed := len(errs) > 0
		mu.Unlock()
		if failed || ctx.Err() != nil {
			break
		}
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			if err := do(i); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return errs[0]
	}
	return ctx.Err()
}

// hash is the hex SHA-256 of s, for contract, document and evidence hashes.
func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
