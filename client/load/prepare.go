package load

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/network/devnet"
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
)

// leaf is a prepared ACTIVE warrant and the worker holder that holds it.
type leaf struct {
	holder int // index into preparer.workerHolders
	id     string
}

// preparer onboards the cast and prepares warrants, connecting each member once.
type preparer struct {
	network *devnet.Network
	cast    *cast
	// source holds the roots; workerHolders hold the leaves.
	source        member
	workerHolders []member

	mu      sync.Mutex
	parties map[string]*party
	invoice atomic.Int64
}

func newPreparer(network *devnet.Network) (*preparer, error) {
	c, err := castOf(network)
	if err != nil {
		return nil, err
	}
	p := &preparer{network: network, cast: c, source: c.holders[0], workerHolders: c.holders[1:], parties: map[string]*party{}}
	p.invoice.Store(time.Now().UnixNano())
	return p, nil
}

// party returns the member's connection, opening it on first use.
func (p *preparer) party(m member) (*party, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := m.User + "@" + m.MSPID
	if existing, ok := p.parties[key]; ok {
		return existing, nil
	}
	opened, err := connect(p.network, m)
	if err != nil {
		return nil, err
	}
	p.parties[key] = opened
	return opened, nil
}

func (p *preparer) close() {
	for _, each := range p.parties {
		each.close()
	}
}

// submit submits as m and returns the result of a valid transaction.
func (p *preparer) submit(ctx context.Context, m member, function string, request any) ([]byte, error) {
	actor, err := p.party(m)
	if err != nil {
		return nil, err
	}
	o := actor.submit(ctx, function, request)
	if err := o.error(); err != nil {
		return nil, fmt.Errorf("%s as %s@%s: %w", function, m.User, m.MSPID, err)
	}
	return o.result, nil
}

// setUp onboards every member's enterprise (keeping those already onboarded)
// and gives the issuer the largest credit line.
func (p *preparer) setUp(ctx context.Context) error {
	for _, m := range p.cast.members {
		_, err := p.submit(ctx, p.cast.admin, "admin:OnboardEnterprise", m.onboarding())
		if err != nil && !strings.Contains(err.Error(), string(warrant.CodeAlreadyExists)) {
			return fmt.Errorf("onboard %s: %w", m.Entity, err)
		}
	}
	request := warrant.SetCreditLineRequest{Debtor: p.cast.issuer.Entity, Limit: warrant.MaxAmountCap}
	if _, err := p.submit(ctx, p.cast.financier, "admin:SetCreditLine", request); err != nil {
		return fmt.Errorf("set credit line: %w", err)
	}
	for _, a := range []warrant.AuthorizeAttestorRequest{
		{CreditCode: p.cast.attestor.Entity, Kinds: []warrant.AttestationKind{warrant.AttestTaxInvoice}},
		{CreditCode: p.cast.issuer.Entity, Kinds: []warrant.AttestationKind{warrant.AttestGoodsReceipt}},
	} {
		if _, err := p.submit(ctx, p.cast.admin, "admin:AuthorizeAttestor", a); err != nil {
			return fmt.Errorf("authorise attestor %s: %w", a.CreditCode, err)
		}
	}
	return nil
}

// issueRequest is a valid issue of amount fen to holder, backed by one fresh invoice.
func (p *preparer) issueRequest(holder member, amount int64) warrant.IssueRequest {
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
	ids := make([]string, n)
	for i := range ids {
		result, err := p.submit(ctx, p.cast.issuer, "issuance:Issue", p.issueRequest(p.source, amount))
		if err != nil {
			return nil, err
		}
		var issued warrant.Warrant
		if err := json.Unmarshal(result, &issued); err != nil {
			return nil, fmt.Errorf("decode issued warrant: %w", err)
		}
		ids[i] = issued.ID
	}
	err := forEach(ctx, n, func(i int) error {
		for _, a := range []struct {
			by   member
			kind warrant.AttestationKind
		}{{p.cast.attestor, warrant.AttestTaxInvoice}, {p.cast.issuer, warrant.AttestGoodsReceipt}} {
			attest := warrant.AttestRequest{WarrantID: ids[i], Kind: a.kind, Passed: true, ConfirmedAmount: amount,
				EvidenceHash: hash(string(a.kind) + " " + ids[i])}
			if _, err := p.submit(ctx, a.by, "registry:Attest", attest); err != nil {
				return err
			}
		}
		verify := warrant.VerifyRequest{WarrantID: ids[i], EvidenceHash: hash("evidence " + ids[i]), Passed: true}
		if _, err := p.submit(ctx, p.cast.verifier, "registry:Verify", verify); err != nil {
			return err
		}
		_, err := p.submit(ctx, p.cast.registrar, "registry:Register", warrant.RegisterRequest{WarrantID: ids[i]})
		return err
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
	pending := make([][]leaf, len(roots))
	err = forEach(ctx, len(roots), func(i int) error {
		current := roots[i]
		for range fanOutsPerRoot {
			parts := make([]warrant.Part, width)
			for h, holder := range p.workerHolders {
				parts[h] = warrant.Part{Recipient: holder.Entity, Amount: amount}
			}
			result, err := p.submit(ctx, p.source, "transfer:SplitTransfer", warrant.SplitTransferRequest{WarrantID: current, Parts: parts})
			if err != nil {
				return err
			}
			var split warrant.SplitResult
			if err := json.Unmarshal(result, &split); err != nil {
				return fmt.Errorf("decode split: %w", err)
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
		_, err := p.submit(ctx, p.workerHolders[all[i].holder], "transfer:Accept", warrant.OfferRequest{WarrantID: all[i].id})
		return err
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
