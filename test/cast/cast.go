package cast

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

//go:embed cast.yaml
var castYAML []byte

// Keys of the cast's enterprises, for [Get].
const (
	// Core is 深圳华芯电子制造股份有限公司, the core enterprise: it issues warrants.
	Core = "core"
	// T1A is 深圳精工模具有限公司 (Jinggong), a tier 1 supplier.
	T1A = "t1a"
	// T1ARelated is 深圳精工贸易有限公司 (Jinggong Trading), a related party of T1A:
	// both have the same controller.
	T1ARelated = "t1a-related"
	// T1B is 东莞联创线缆有限公司 (Lianchuang), a tier 1 supplier.
	T1B = "t1b"
	// T2A is 惠州恒达五金制品有限公司 (Hengda), a tier 2 supplier.
	T2A = "t2a"
	// T2B is 深圳市宝安区晟通包装厂 (Shengtong), a tier 2 supplier.
	T2B = "t2b"
	// T3A is 中山永盛注塑加工有限公司 (Yongsheng), a tier 3 supplier.
	T3A = "t3a"
	// Bank is 深圳前海合作银行: custodian, financier and holder.
	Bank = "bank"
	// Association is 深圳市供应链金融协会: verifier, registrar, regulator and admin.
	Association = "association"
	// InvoiceCheck is 深圳数链票据核验服务有限公司 (Shulian), an independent attestor:
	// the tax-invoice check and logistics evidence.
	InvoiceCheck = "invoicecheck"
	// Bank2 is 深圳南山商业银行, the second bank of the consortium network.
	Bank2 = "bank2"
	// Core2 is 东莞鹏程汽车零部件股份有限公司, the second core enterprise of the
	// consortium network.
	Core2 = "core2"
)

// Member is a member org of the network as the association's admin registers it (R34).
type Member struct {
	// MSPID is the org's MSP ID.
	MSPID string `yaml:"mspId"`
	// Kind is CORE_ENTERPRISE, BANK or ASSOCIATION.
	Kind string `yaml:"kind"`
	// Name is the org's display name.
	Name string `yaml:"name"`
	// Consortium marks an org only the consortium network has.
	Consortium bool `yaml:"consortium"`
}

// Enterprise is a member of the cast.
type Enterprise struct {
	// Key names the enterprise in the cast (one of the key constants).
	Key string `yaml:"key"`
	// CreditCode is its unified social credit code (GB 32100-2015).
	CreditCode string `yaml:"creditCode"`
	// Name is its registered Chinese name; NameEn an English rendering.
	Name   string `yaml:"name"`
	NameEn string `yaml:"nameEn"`
	// Org is the MSP ID of the organisation it belongs to.
	Org string `yaml:"org"`
	// Roles are the warrant roles it is onboarded with, in onboarding order.
	Roles []string `yaml:"roles"`
	// Attests are the attestation kinds an attestor is authorised for (role attestor).
	Attests []string `yaml:"attests"`
	// Controller is its actual controller; enterprises with the same controller
	// are related parties.
	Controller string `yaml:"controller"`
	// User is the name of the default dev network's user of Org that acts for it.
	User string `yaml:"user"`
}

// Identity is the dev-network user acting for the enterprise, as "<User>@<MSPID>".
func (e Enterprise) Identity() string { return e.User + "@" + e.Org }

// Roles returns the enterprise's roles as a string type of the caller's, such as
// warrant.Role.
func Roles[R ~string](e Enterprise) []R { return convert[R](e.Roles) }

// Attests returns the attestation kinds of an attestor as a string type of the
// caller's, such as warrant.AttestationKind.
func Attests[K ~string](e Enterprise) []K { return convert[K](e.Attests) }

func convert[T ~string](values []string) []T {
	out := make([]T, len(values))
	for i, v := range values {
		out[i] = T(v)
	}
	return out
}

// Invoice is a VAT invoice of the trade.
type Invoice struct {
	Code   string `yaml:"code"`
	Number string `yaml:"number"`
	// Amount is in fen.
	Amount int64 `yaml:"amount"`
	// Seller and Buyer are credit codes of the cast.
	Seller string `yaml:"seller"`
	Buyer  string `yaml:"buyer"`
}

// Trade is a purchase contract and the invoices issued under it.
type Trade struct {
	ContractNo string    `yaml:"contractNo"`
	Invoices   []Invoice `yaml:"invoices"`
}

// file is the layout of cast.yaml.
type file struct {
	Members     []Member     `yaml:"members"`
	Enterprises []Enterprise `yaml:"enterprises"`
	Trade       Trade        `yaml:"trade"`
}

var theCast = mustParse(castYAML)

func mustParse(data []byte) file {
	parsed, err := parse(data)
	if err != nil {
		panic(fmt.Sprintf("embedded cast.yaml is invalid: %v", err))
	}
	return parsed
}

// parse decodes a cast, rejecting unknown fields, incomplete enterprises, repeated
// keys or credit codes and invoices between strangers to the cast.
func parse(data []byte) (file, error) {
	var parsed file
	decoder := yaml.NewDecoder(bytes.NewReader(data))
	decoder.KnownFields(true)
	if err := decoder.Decode(&parsed); err != nil {
		return file{}, fmt.Errorf("decode cast: %w", err)
	}
	if len(parsed.Enterprises) == 0 || len(parsed.Members) == 0 {
		return file{}, errors.New("the cast has no members or no enterprises")
	}
	orgs := map[string]bool{}
	for i, m := range parsed.Members {
		if m.MSPID == "" || m.Kind == "" || m.Name == "" || orgs[m.MSPID] {
			return file{}, fmt.Errorf("member %d (%q): mspId (once), kind and name are required", i, m.MSPID)
		}
		orgs[m.MSPID] = true
	}
	keys, codes := map[string]bool{}, map[string]bool{}
	for i, e := range parsed.Enterprises {
		if e.Key == "" || e.CreditCode == "" || e.Name == "" || e.Org == "" || e.Controller == "" || e.User == "" || len(e.Roles) == 0 {
			return file{}, fmt.Errorf("enterprise %d (%q): key, creditCode, name, org, roles, controller and user are required", i, e.Key)
		}
		if !orgs[e.Org] {
			return file{}, fmt.Errorf("enterprise %q: org %q is not a member", e.Key, e.Org)
		}
		if keys[e.Key] {
			return file{}, fmt.Errorf("enterprise key %q repeated", e.Key)
		}
		if codes[e.CreditCode] {
			return file{}, fmt.Errorf("credit code %s repeated", e.CreditCode)
		}
		keys[e.Key], codes[e.CreditCode] = true, true
	}
	for _, invoice := range parsed.Trade.Invoices {
		if !codes[invoice.Seller] || !codes[invoice.Buyer] {
			return file{}, fmt.Errorf("invoice %s:%s: seller and buyer must be enterprises of the cast", invoice.Code, invoice.Number)
		}
	}
	return parsed, nil
}

// Enterprises returns the enterprises of the default network's orgs, in the order of
// cast.yaml. The slices are copies: callers may change them.
func Enterprises() []Enterprise { return enterprises(false) }

// ConsortiumEnterprises returns every enterprise of the cast, those of the consortium
// network's extra orgs included, in the order of cast.yaml.
func ConsortiumEnterprises() []Enterprise { return enterprises(true) }

func enterprises(consortium bool) []Enterprise {
	var out []Enterprise
	for _, e := range theCast.Enterprises {
		if consortium || !consortiumOnly(e.Org) {
			out = append(out, e.clone())
		}
	}
	return out
}

// Members returns the member orgs of the default network, the association first, in
// the order of cast.yaml.
func Members() []Member { return members(false) }

// ConsortiumMembers returns the member orgs of the consortium network, the association
// first.
func ConsortiumMembers() []Member { return members(true) }

func members(consortium bool) []Member {
	var out []Member
	for _, m := range theCast.Members {
		if consortium || !m.Consortium {
			out = append(out, m)
		}
	}
	return out
}

func consortiumOnly(org string) bool {
	i := slices.IndexFunc(theCast.Members, func(m Member) bool { return m.MSPID == org })
	return i >= 0 && theCast.Members[i].Consortium
}

// Lookup returns the enterprise with the given key, and whether there is one.
func Lookup(key string) (Enterprise, bool) {
	return find(func(e Enterprise) bool { return e.Key == key })
}

// Get returns the enterprise with the given key, one of the key constants ([Core],
// [Bank], ...). An unknown key is a programming error, so Get panics on it; use
// [Lookup] for keys that come from input.
func Get(key string) Enterprise {
	e, ok := Lookup(key)
	if !ok {
		panic(fmt.Sprintf("cast: no enterprise with key %q", key))
	}
	return e
}

// ByCreditCode returns the enterprise with the given credit code, and whether there
// is one.
func ByCreditCode(code string) (Enterprise, bool) {
	return find(func(e Enterprise) bool { return e.CreditCode == code })
}

// find returns a copy of the first enterprise that matches.
func find(match func(Enterprise) bool) (Enterprise, bool) {
	i := slices.IndexFunc(theCast.Enterprises, match)
	if i < 0 {
		return Enterprise{}, false
	}
	return theCast.Enterprises[i].clone(), true
}

// FirstTrade returns the trade behind the first warrant: a purchase contract of the
// core enterprise with tier 1 supplier T1A and its two invoices.
func FirstTrade() Trade {
	return Trade{ContractNo: theCast.Trade.ContractNo, Invoices: slices.Clone(theCast.Trade.Invoices)}
}

func (e Enterprise) clone() Enterprise {
	e.Roles = slices.Clone(e.Roles)
	e.Attests = slices.Clone(e.Attests)
	return e
}
