package test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// identity names an enrolled user of an org.
type identity struct{ user, mspID string }

// String is the identity as "user@MSP ID".
func (id identity) String() string { return id.user + "@" + id.mspID }

// The users of network/devnet/config/default.yaml, and each org's Admin,
// which carries no scf attributes.
var (
	core            = identity{"User1", warrant.MSPCoreEnterprise}
	bank            = identity{"User1", warrant.MSPBank}
	assoc           = identity{"User1", warrant.MSPAssociation}
	jinggong        = identity{"Jinggong", warrant.MSPAssociation}
	jinggongTrading = identity{"JinggongTrading", warrant.MSPAssociation}
	lianchuang      = identity{"Lianchuang", warrant.MSPAssociation}
	hengda          = identity{"Hengda", warrant.MSPAssociation}
	shengtong       = identity{"Shengtong", warrant.MSPAssociation}
	yongsheng       = identity{"Yongsheng", warrant.MSPAssociation}
	coreAdmin       = identity{"Admin", warrant.MSPCoreEnterprise}
	bankAdmin       = identity{"Admin", warrant.MSPBank}
	assocAdmin      = identity{"Admin", warrant.MSPAssociation}
)

// everyone is every identity of the default network that can call a peer.
var everyone = []identity{
	core, bank, assoc, jinggong, jinggongTrading, lianchuang, hengda, shengtong, yongsheng,
	coreAdmin, bankAdmin, assocAdmin,
}

// member is an enterprise of the cast: the user that acts for it and how it is onboarded.
type member struct {
	id         identity
	enterprise warrant.OnboardEnterpriseRequest
}

// cast is the fictional supply chain of the default network; Jinggong and
// Jinggong Trading share a controller, so they are related parties.
var cast = []member{
	{assoc, enterprise("51440300MJL4323104", "深圳市供应链金融协会", warrant.MSPAssociation, "association", "verifier", "registrar", "regulator", "admin")},
	{core, enterprise("9144030052601815XN", "深圳华芯电子制造股份有限公司", warrant.MSPCoreEnterprise, "huaxin-group", "issuer")},
	{bank, enterprise("914403007865797541", "深圳前海合作银行", warrant.MSPBank, "qianhai-bank", "custodian", "financier", "holder")},
	{jinggong, enterprise("91440300908301663N", "深圳精工模具有限公司", warrant.MSPAssociation, "chen-family", "holder")},
	{jinggongTrading, enterprise("91440300518190937Y", "深圳精工贸易有限公司", warrant.MSPAssociation, "chen-family", "holder")},
	{lianchuang, enterprise("91441900131860916B", "东莞联创线缆有限公司", warrant.MSPAssociation, "lianchuang", "holder")},
	{hengda, enterprise("914413003909960334", "惠州恒达五金制品有限公司", warrant.MSPAssociation, "hengda", "holder")},
	{shengtong, enterprise("92440300082462814A", "深圳市宝安区晟通包装厂", warrant.MSPAssociation, "shengtong", "holder")},
	{yongsheng, enterprise("91442000948219939P", "中山永盛注塑加工有限公司", warrant.MSPAssociation, "yongsheng", "holder")},
}

func enterprise(code, name, mspID, controller string, roles ...warrant.Role) warrant.OnboardEnterpriseRequest {
	return warrant.OnboardEnterpriseRequest{CreditCode: code, Name: name, MSPID: mspID, Roles: roles, Controller: controller}
}

// codeOf is the credit code of the enterprise an identity acts for; "" for an Admin.
func codeOf(id identity) string {
	for _, m := range cast {
		if m.id == id {
			return m.enterprise.CreditCode
		}
	}
	return ""
}

// creditLimit is the core enterprise's credit line in every suite (fen).
const creditLimit = int64(1e14)

// onboard registers the cast and gives the core enterprise its credit line.
func (c *chain) onboard() {
	for _, m := range cast {
		c.mustSubmit(assoc, "admin:OnboardEnterprise", m.enterprise, nil)
	}
	c.mustSubmit(bank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: codeOf(core), Limit: creditLimit}, nil)
}

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

func digest(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// inDays is a maturity n days from now, to the second.
func inDays(n int) time.Time {
	return time.Now().UTC().Add(time.Duration(n) * 24 * time.Hour).Truncate(time.Second)
}

// issueRequest issues amount fen from the core enterprise to holder, backed by
// one invoice the chain has not used before.
func (c *chain) issueRequest(holder identity, amount int64, maturesAt time.Time) warrant.IssueRequest {
	number := fmt.Sprintf("%010d", c.invoices.Add(1))
	return warrant.IssueRequest{
		Debtor: codeOf(core), Holder: codeOf(holder), Amount: amount, MaturesAt: maturesAt,
		Trade: warrant.Trade{ContractHash: digest("contract " + number), Invoices: []warrant.Invoice{{
			Code: "4403261130", Number: number, Amount: amount,
			Seller: codeOf(holder), Buyer: codeOf(core), DocumentHash: digest("invoice " + number),
		}}},
	}
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
	c.mustSubmit(assoc, "registry:Verify", warrant.VerifyRequest{WarrantID: w.ID, EvidenceHash: digest("evidence " + w.ID), Passed: true}, &w)
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
