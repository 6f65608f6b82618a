package test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// maxChainDepth is the lineage depth the crash load allows (parameter
// maxDepth); splitters whose lineage grows deep get fresh warrants.
const maxChainDepth = 40

// ack is a transaction a client saw commit VALID, and the effect it had.
type ack struct {
	txID   string
	round  int
	issued *warrant.Warrant
	split  *warrant.SplitResult
}

// splitter is a holder that keeps splitting its warrant: each split offers a
// part to recipient and keeps the rest, which it splits next.
type splitter struct {
	holder, recipient identity
	// current is the ACTIVE leaf the holder splits next.
	current string
}

// crashLoad is the crash test's load: an issuer issuing warrants and holders
// splitting theirs, and every transaction they saw commit.
type crashLoad struct {
	splitters []*splitter
	submitted atomic.Int64

	mu   sync.Mutex
	acks []ack
}

func newCrashLoad() *crashLoad {
	pairs := [][2]identity{
		{jinggong, hengda}, {lianchuang, shengtong}, {hengda, yongsheng},
		{shengtong, lianchuang}, {yongsheng, jinggong}, {bank, jinggong},
	}
	load := &crashLoad{}
	for _, pair := range pairs {
		load.splitters = append(load.splitters, &splitter{holder: pair[0], recipient: pair[1]})
	}
	return load
}

func (l *crashLoad) add(a ack) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acks = append(l.acks, a)
	return len(l.acks)
}

// acknowledged returns the acks of the given rounds (all when rounds is empty).
func (l *crashLoad) acknowledged(rounds ...int) []ack {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []ack
	for _, a := range l.acks {
		if len(rounds) == 0 || a.round == rounds[0] {
			out = append(out, a)
		}
	}
	return out
}

// setUp onboards the cast, allows deep lineages and gives every splitter a warrant.
func (l *crashLoad) setUp(c *chain) {
	c.onboard()
	params := warrant.DefaultParams()
	params.MaxDepth = maxChainDepth
	c.mustSubmit(assoc, "admin:SetParams", params, nil)
	for _, s := range l.splitters {
		s.current = c.active(s.holder, 1_000_000_000, inDays(90)).ID
	}
}

// resync moves every splitter to the ACTIVE leaf it holds now, which a split
// committed unacknowledged before a crash may have changed, and gives a fresh
// warrant to a splitter whose lineage grew deep.
func (l *crashLoad) resync(t *testing.T, c *chain) {
	t.Helper()
	for _, s := range l.splitters {
		for {
			var w warrant.Warrant
			c.mustEvaluate(&w, "query:GetWarrant", s.current)
			if w.Status == warrant.StatusActive {
				if w.Depth >= maxChainDepth-16 {
					s.current = c.active(s.holder, 1_000_000_000, inDays(90)).ID
				}
				break
			}
			require.Equal(t, warrant.StatusSplit, w.Status, "warrant %s of %s", w.ID, s.holder)
			nodes, err := c.lineage(w.RootID)
			require.NoError(t, err)
			next := ""
			for _, node := range nodes {
				if node.ParentID == w.ID && node.Holder == codeOf(s.holder) {
					next = node.ID
				}
			}
			require.NotEmpty(t, next, "the remainder of %s", w.ID)
			s.current = next
		}
	}
}

// submit endorses and submits one transaction and waits for its status.
func (l *crashLoad) submit(contract *client.Contract, function, body string) ([]byte, string, error) {
	proposal, err := contract.NewProposal(function, client.WithArguments(body))
	if err != nil {
		return nil, "", err
	}
	transaction, err := proposal.Endorse()
	if err != nil {
		return nil, "", err
	}
	l.submitted.Add(1)
	commit, err := transaction.Submit()
	if err != nil {
		return nil, "", err
	}
	status, err := commit.Status()
	if err != nil {
		return nil, "", err
	}
	if status.Code != peer.TxValidationCode_VALID {
		return nil, "", fmt.Errorf("transaction %s: %s", transaction.TransactionID(), status.Code)
	}
	return transaction.Result(), transaction.TransactionID(), nil
}

// run has the issuer and the splitters submit until target transactions of
// this round were acknowledged, then kills the node and waits for every
// client to notice.
func (l *crashLoad) run(t *testing.T, c *chain, round, target int, kill func()) {
	t.Helper()
	target += len(l.acknowledged())
	var once sync.Once
	stopAt := func(count int) {
		if count >= target {
			once.Do(kill)
		}
	}
	var wg sync.WaitGroup
	issuer, _ := c.fresh(core)
	holders := []identity{jinggong, lianchuang, hengda, shengtong, yongsheng, bank, jinggongTrading}
	wg.Go(func() {
		for i := 0; ; i++ {
			request := c.issueRequest(holders[i%len(holders)], 1_000_000, inDays(90))
			result, txID, err := l.submit(issuer, "issuance:Issue", encode(t, request))
			if err != nil {
				return
			}
			var issued warrant.Warrant
			if json.Unmarshal(result, &issued) != nil {
				return
			}
			stopAt(l.add(ack{txID: txID, round: round, issued: &issued}))
		}
	})
	for _, s := range l.splitters {
		contract, _ := c.fresh(s.holder)
		wg.Go(func() {
			for {
				request := warrant.SplitTransferRequest{WarrantID: s.current, Parts: []warrant.Part{{Recipient: codeOf(s.recipient), Amount: 1_000}}}
				result, txID, err := l.submit(contract, "transfer:SplitTransfer", encode(t, request))
				if err != nil {
					return
				}
				var split warrant.SplitResult
				if json.Unmarshal(result, &split) != nil {
					return
				}
				stopAt(l.add(ack{txID: txID, round: round, split: &split}))
				remainder := split.Children[len(split.Children)-1]
				if remainder.Holder != codeOf(s.holder) || remainder.Depth >= maxChainDepth {
					return
				}
				s.current = remainder.ID
			}
		})
	}
	wg.Wait()
	once.Do(kill)
	require.GreaterOrEqual(t, len(l.acknowledged()), target)
}

// lost reports why an acknowledged transaction's effect is not visible, or nil.
func (c *chain) lost(a ack) error {
	var errs []error
	expect := func(want warrant.Warrant) {
		var got warrant.Warrant
		switch err := c.evaluate(&got, "query:GetWarrant", want.ID); {
		case err != nil:
			errs = append(errs, fmt.Errorf("warrant %s: %w", want.ID, err))
		case got.Holder != want.Holder || got.Amount != want.Amount || got.ParentID != want.ParentID || got.RootID != want.RootID:
			errs = append(errs, fmt.Errorf("warrant %s: holder %s amount %d, acknowledged holder %s amount %d",
				want.ID, got.Holder, got.Amount, want.Holder, want.Amount))
		}
	}
	if a.issued != nil {
		expect(*a.issued)
	}
	if a.split != nil {
		var parent warrant.Warrant
		if err := c.evaluate(&parent, "query:GetWarrant", a.split.Parent.ID); err != nil || parent.Status != warrant.StatusSplit {
			errs = append(errs, fmt.Errorf("parent %s is %s (%v), acknowledged SPLIT", a.split.Parent.ID, parent.Status, err))
		}
		for _, child := range a.split.Children {
			expect(child)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("transaction %s of round %d: %w", a.txID, a.round, err)
	}
	return nil
}

// losses counts the acknowledged transactions whose effect is not visible
// through the chain's reader, reporting each.
func (c *chain) losses(t *testing.T, acks []ack) int {
	t.Helper()
	losses := 0
	for _, a := range acks {
		if err := c.lost(a); err != nil {
			losses++
			t.Errorf("lost: %v", err)
		}
	}
	return losses
}
