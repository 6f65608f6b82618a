package test

import (
	"fmt"
	"strings"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/test/cast"
	"github.com/scfledger/warrants/test/testnet"
)

// identity names an enrolled user of an org.
type identity struct{ user, mspID string }

// String is the identity as "user@MSP ID".
func (id identity) String() string { return id.user + "@" + id.mspID }

// The users of network/devnet/config/default.yaml that act for the cast (package
// test/cast), and each org's Admin, which carries no scf attributes.
var (
	core            = identityOf(cast.Core)
	bank            = identityOf(cast.Bank)
	assoc           = identityOf(cast.Association)
	jinggong        = identityOf(cast.T1A)
	jinggongTrading = identityOf(cast.T1ARelated)
	lianchuang      = identityOf(cast.T1B)
	hengda          = identityOf(cast.T2A)
	shengtong       = identityOf(cast.T2B)
	yongsheng       = identityOf(cast.T3A)
	shulian         = identityOf(cast.InvoiceCheck)
	coreAdmin       = identity{"Admin", mspCore}
	bankAdmin       = identity{"Admin", mspBank}
	assocAdmin      = identity{"Admin", mspAssoc}
	// assocERP is the association's admin-type identity for its own system that
	// reads full blocks (its BlockReaders policy names admins and peers only).
	assocERP = identity{"ERP", mspAssoc}
)

// identityOf is the user acting for the enterprise of the cast with the given key.
func identityOf(key string) identity {
	e := cast.Get(key)
	return identity{e.User, e.Org}
}

// everyone is every identity of the default network that can call a peer.
var everyone = []identity{
	core, bank, assoc, jinggong, jinggongTrading, lianchuang, hengda, shengtong, yongsheng, shulian,
	coreAdmin, bankAdmin, assocAdmin, assocERP,
}

// member is an enterprise of the cast: the user that acts for it and how it is onboarded.
type member struct {
	id         identity
	enterprise warrant.OnboardEnterpriseRequest
}

// members is the fictional supply chain of the default network in onboarding order;
// Jinggong and Jinggong Trading share a controller, so they are related parties.
var members = membersOf(cast.Association, cast.Core, cast.Bank, cast.T1A, cast.T1ARelated, cast.T1B, cast.T2A, cast.T2B, cast.T3A,
	cast.InvoiceCheck)

func membersOf(keys ...string) []member {
	out := make([]member, len(keys))
	for i, key := range keys {
		e := cast.Get(key)
		out[i] = member{identityOf(key), enterprise(e.CreditCode, e.Name, e.Org, e.Controller, cast.Roles[warrant.Role](e)...)}
	}
	return out
}

func enterprise(code, name, mspID, controller string, roles ...warrant.Role) warrant.OnboardEnterpriseRequest {
	return warrant.OnboardEnterpriseRequest{CreditCode: code, Name: name, MSPID: mspID, Roles: roles, Controller: controller}
}

// codeOf is the credit code of the enterprise an identity acts for; "" for an Admin.
func codeOf(id identity) string {
	for _, m := range members {
		if m.id == id {
			return m.enterprise.CreditCode
		}
	}
	return ""
}

// onboard registers the cast and gives the core enterprise its credit line
// (testnet.Onboard).
func (c *chain) onboard() { testnet.Onboard(c.t, c.dir) }

// withCheck completes 17 characters into a credit code with its GB 32100-2015
// check character.
func withCheck(first17 string) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := range 17 {
		sum += strings.IndexByte(alphabet, first17[i]) * weights[i]
	}
	return first17 + string(alphabet[(31-sum%31)%31])
}

// inDays is a maturity n days from now, to the second.
var inDays = testnet.InDays

// issueRequest issues amount fen from the core enterprise to holder, backed by
// one invoice the chain has not used before.
func (c *chain) issueRequest(holder identity, amount int64, maturesAt time.Time) warrant.IssueRequest {
	number := fmt.Sprintf("%08d", c.invoices.Add(1))
	return warrant.IssueRequest{Debtor: codeOf(core), Holder: codeOf(holder), Amount: amount, MaturesAt: maturesAt,
		Trade: testnet.TradeOf(number, codeOf(holder), amount)}
}

// issued issues a warrant to holder: ISSUED.
func (c *chain) issued(holder identity, amount int64, maturesAt time.Time) warrant.Warrant {
	c.t.Helper()
	var w warrant.Warrant
	c.mustSubmit(core, "issuance:Issue", c.issueRequest(holder, amount, maturesAt), &w)
	return w
}

// verified issues a warrant to holder and verifies it: VERIFIED.
func (c *chain) verified(holder identity, amount int64, maturesAt time.Time) warrant.Warrant {
	c.t.Helper()
	w := c.issued(holder, amount, maturesAt)
	c.mustSubmit(shulian, "registry:Attest", warrant.AttestRequest{WarrantID: w.ID, Kind: warrant.AttestTaxInvoice, Passed: true,
		ConfirmedAmount: amount, EvidenceHash: testnet.Hash("invoice check " + w.ID)}, nil)
	c.mustSubmit(core, "registry:Attest", warrant.AttestRequest{WarrantID: w.ID, Kind: warrant.AttestGoodsReceipt, Passed: true,
		ConfirmedAmount: amount, EvidenceHash: testnet.Hash("goods receipt " + w.ID)}, nil)
	c.mustSubmit(assoc, "registry:Verify", warrant.VerifyRequest{WarrantID: w.ID, EvidenceHash: testnet.Hash("evidence " + w.ID), Passed: true}, &w)
	return w
}

// active issues, verifies and registers a warrant to holder: ACTIVE.
func (c *chain) active(holder identity, amount int64, maturesAt time.Time) warrant.Warrant {
	c.t.Helper()
	w := c.verified(holder, amount, maturesAt)
	c.mustSubmit(assoc, "registry:Register", warrant.RegisterRequest{WarrantID: w.ID}, &w)
	return w
}

// offered splits a fresh ACTIVE warrant of from, offering part of it to to;
// it returns the pending part.
func (c *chain) offered(from, to identity) warrant.Warrant {
	c.t.Helper()
	parent := c.active(from, 1_000_000, inDays(90))
	var split warrant.SplitResult
	c.mustSubmit(from, "transfer:SplitTransfer", warrant.SplitTransferRequest{
		WarrantID: parent.ID, Parts: []warrant.Part{{Recipient: codeOf(to), Amount: 400_000}},
	}, &split)
	for _, child := range split.Children {
		if child.Holder == codeOf(to) {
			return child
		}
	}
	c.t.Fatalf("split of %s offered nothing to %s", parent.ID, to)
	return warrant.Warrant{}
}
