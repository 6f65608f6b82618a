package testnet

import "github.com/scfledger/warrants/chaincode/warrant"

// Credit codes of the fictional cast (valid GB 32100-2015 codes).
const (
	Core            = "9144030052601815XN" // 深圳华芯电子制造股份有限公司, core enterprise
	Jinggong        = "91440300908301663N" // 深圳精工模具有限公司, tier 1
	JinggongTrading = "91440300518190937Y" // 深圳精工贸易有限公司, related party of Jinggong
	Lianchuang      = "91441900131860916B" // 东莞联创线缆有限公司, tier 1
	Hengda          = "914413003909960334" // 惠州恒达五金制品有限公司, tier 2
	Shengtong       = "92440300082462814A" // 深圳市宝安区晟通包装厂, tier 2
	Yongsheng       = "91442000948219939P" // 中山永盛注塑加工有限公司, tier 3
	Bank            = "914403007865797541" // 深圳前海合作银行
	Association     = "51440300MJL4323104" // 深圳市供应链金融协会
)

// Users of the dev network, as "<User>@<MSPID>".
const (
	AsCore            = "User1@CoreEnterpriseMSP"
	AsBank            = "User1@BankMSP"
	AsAssociation     = "User1@AssociationMSP"
	AsJinggong        = "Jinggong@AssociationMSP"
	AsJinggongTrading = "JinggongTrading@AssociationMSP"
	AsLianchuang      = "Lianchuang@AssociationMSP"
	AsHengda          = "Hengda@AssociationMSP"
	AsShengtong       = "Shengtong@AssociationMSP"
	AsYongsheng       = "Yongsheng@AssociationMSP"
)

// Cast is every enterprise of the fixtures as the admin onboards it.
var Cast = []warrant.OnboardEnterpriseRequest{
	{CreditCode: Core, Name: "深圳华芯电子制造股份有限公司", MSPID: warrant.MSPCoreEnterprise, Roles: []warrant.Role{warrant.RoleIssuer}, Controller: "huaxin-group"},
	{CreditCode: Jinggong, Name: "深圳精工模具有限公司", MSPID: warrant.MSPAssociation, Roles: []warrant.Role{warrant.RoleHolder}, Controller: "chen-family"},
	{CreditCode: JinggongTrading, Name: "深圳精工贸易有限公司", MSPID: warrant.MSPAssociation, Roles: []warrant.Role{warrant.RoleHolder}, Controller: "chen-family"},
	{CreditCode: Lianchuang, Name: "东莞联创线缆有限公司", MSPID: warrant.MSPAssociation, Roles: []warrant.Role{warrant.RoleHolder}, Controller: "lianchuang"},
	{CreditCode: Hengda, Name: "惠州恒达五金制品有限公司", MSPID: warrant.MSPAssociation, Roles: []warrant.Role{warrant.RoleHolder}, Controller: "hengda"},
	{CreditCode: Shengtong, Name: "深圳市宝安区晟通包装厂", MSPID: warrant.MSPAssociation, Roles: []warrant.Role{warrant.RoleHolder}, Controller: "shengtong"},
	{CreditCode: Yongsheng, Name: "中山永盛注塑加工有限公司", MSPID: warrant.MSPAssociation, Roles: []warrant.Role{warrant.RoleHolder}, Controller: "yongsheng"},
	{CreditCode: Bank, Name: "深圳前海合作银行", MSPID: warrant.MSPBank, Roles: []warrant.Role{warrant.RoleCustodian, warrant.RoleFinancier, warrant.RoleHolder}, Controller: "qianhai-bank"},
	{CreditCode: Association, Name: "深圳市供应链金融协会", MSPID: warrant.MSPAssociation, Roles: []warrant.Role{warrant.RoleVerifier, warrant.RoleRegistrar, warrant.RoleRegulator, warrant.RoleAdmin}, Controller: "association"},
}
