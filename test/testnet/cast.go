package testnet

import (
	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/test/cast"
)

// Credit codes of the fictional cast (package test/cast).
var (
	Core            = cast.Get(cast.Core).CreditCode         // 深圳华芯电子制造股份有限公司, core enterprise
	Jinggong        = cast.Get(cast.T1A).CreditCode          // 深圳精工模具有限公司, tier 1
	JinggongTrading = cast.Get(cast.T1ARelated).CreditCode   // 深圳精工贸易有限公司, related party of Jinggong
	Lianchuang      = cast.Get(cast.T1B).CreditCode          // 东莞联创线缆有限公司, tier 1
	Hengda          = cast.Get(cast.T2A).CreditCode          // 惠州恒达五金制品有限公司, tier 2
	Shengtong       = cast.Get(cast.T2B).CreditCode          // 深圳市宝安区晟通包装厂, tier 2
	Yongsheng       = cast.Get(cast.T3A).CreditCode          // 中山永盛注塑加工有限公司, tier 3
	Bank            = cast.Get(cast.Bank).CreditCode         // 深圳前海合作银行
	Association     = cast.Get(cast.Association).CreditCode  // 深圳市供应链金融协会
	InvoiceCheck    = cast.Get(cast.InvoiceCheck).CreditCode // 深圳数链票据核验服务有限公司, attestor
)

// Users of the dev network acting for the cast, as "<User>@<MSPID>".
var (
	AsCore            = cast.Get(cast.Core).Identity()
	AsBank            = cast.Get(cast.Bank).Identity()
	AsAssociation     = cast.Get(cast.Association).Identity()
	AsJinggong        = cast.Get(cast.T1A).Identity()
	AsJinggongTrading = cast.Get(cast.T1ARelated).Identity()
	AsLianchuang      = cast.Get(cast.T1B).Identity()
	AsHengda          = cast.Get(cast.T2A).Identity()
	AsShengtong       = cast.Get(cast.T2B).Identity()
	AsYongsheng       = cast.Get(cast.T3A).Identity()
	AsInvoiceCheck    = cast.Get(cast.InvoiceCheck).Identity()
)

// AssociationMSP is the association's org, whose admin initialises the ledger (R34).
var AssociationMSP = cast.Get(cast.Association).Org

// The second bank and second core enterprise of the consortium network.
var (
	Bank2   = cast.Get(cast.Bank2).CreditCode // 深圳南山商业银行
	Core2   = cast.Get(cast.Core2).CreditCode // 东莞鹏程汽车零部件股份有限公司
	AsBank2 = cast.Get(cast.Bank2).Identity()
	AsCore2 = cast.Get(cast.Core2).Identity()
)

// RegisterMemberRequest is the request that registers a member org of the cast (R34).
func RegisterMemberRequest(m cast.Member) warrant.RegisterMemberRequest {
	return warrant.RegisterMemberRequest{MSPID: m.MSPID, Kind: warrant.MemberKind(m.Kind), Name: m.Name}
}

// OnboardRequest is the request that onboards an enterprise of the cast.
func OnboardRequest(e cast.Enterprise) warrant.OnboardEnterpriseRequest {
	return warrant.OnboardEnterpriseRequest{CreditCode: e.CreditCode, Name: e.Name, MSPID: e.Org,
		Roles: cast.Roles[warrant.Role](e), Controller: e.Controller}
}

// invoiceCode is the code of the cast's invoices; Trade numbers fresh ones.
var invoiceCode = cast.FirstTrade().Invoices[0].Code

// Cast is every enterprise of the fixtures as the admin onboards it.
var Cast = onboardings()

// Attestors are the attestors of the cast with the kinds the admin authorises (R30).
var Attestors = authorizations()

func authorizations() []warrant.AuthorizeAttestorRequest {
	var out []warrant.AuthorizeAttestorRequest
	for _, e := range cast.Enterprises() {
		if len(e.Attests) > 0 {
			out = append(out, warrant.AuthorizeAttestorRequest{CreditCode: e.CreditCode, Kinds: cast.Attests[warrant.AttestationKind](e)})
		}
	}
	return out
}

func onboardings() []warrant.OnboardEnterpriseRequest {
	var out []warrant.OnboardEnterpriseRequest
	for _, e := range cast.Enterprises() {
		out = append(out, OnboardRequest(e))
	}
	return out
}
