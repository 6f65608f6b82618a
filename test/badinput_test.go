package test

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/test/testnet"
)

// Credit codes that look like Hengda's (914413003909960334) but are not.
var spoofedCodes = []struct{ trick, code string }{
	{"full-width digits", "９１４４１３００３９０９９６０３３４"},
	{"a zero-width joiner", "914413003909\u200d960334"},
	{"a right-to-left mark", "\u200f914413003909960334"},
	{"a left-to-right override", "\u202d914413003909960334"},
	{"the letter O for the digit 0", "9144130O3909960334"},
	{"a Cyrillic letter", "91441300390996033\u0417"},
	{"a trailing space", "914413003909960334 "},
	{"lower-case letters", strings.ToLower(codeOf(core))},
	{"a wrong check character", "914413003909960335"},
}

// splitBody is a split-transfer request of a warrant with parts given as JSON.
func splitBody(warrantID, parts string) string {
	return fmt.Sprintf(`{"warrantId":%q,"parts":%s}`, warrantID, parts)
}

// partJSON is one part of a split, its amount written as given.
func partJSON(recipient, amount string) string {
	return fmt.Sprintf(`{"recipient":%q,"amount":%s}`, recipient, amount)
}

// issueBody is a valid issue request with one top-level field set to raw JSON.
func (c *chain) issueBody(t *testing.T, field, value string) string {
	var fields map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(encode(t, c.issueRequest(jinggong, 1_000_000, inDays(90)))), &fields))
	fields[field] = json.RawMessage(value)
	body, err := json.Marshal(fields)
	require.NoError(t, err, "field %s = %s", field, value)
	return string(body)
}

func (c *chain) refusedCalls(t *testing.T, target, financed warrant.Warrant) []refusedCall {
	h := codeOf(hengda)
	valid := splitBody(target.ID, "["+partJSON(h, "1000")+"]")
	split := func(name, body string) refusedCall {
		return refusedCall{name, jinggong, "transfer:SplitTransfer", []string{body}, warrant.CodeInvalidArgument}
	}
	issue := func(name, body string) refusedCall {
		return refusedCall{name, core, "issuance:Issue", []string{body}, warrant.CodeInvalidArgument}
	}
	manyParts := make([]string, warrant.MaxPartsHardLimit+1)
	for i := range manyParts {
		manyParts[i] = partJSON(h, "1")
	}
	manyInvoices := c.issueRequest(jinggong, 1_000_000, inDays(90))
	for len(manyInvoices.Trade.Invoices) <= 50 {
		invoice := c.issueRequest(jinggong, 1, inDays(90)).Trade.Invoices[0]
		manyInvoices.Trade.Invoices = append(manyInvoices.Trade.Invoices, invoice)
	}
	overflowingInvoice := c.issueRequest(jinggong, 1_000_000, inDays(90))
	overflowingInvoice.Trade.Invoices[0].Amount = math.MaxInt64
	maxInt, minInt := fmt.Sprint(int64(math.MaxInt64)), fmt.Sprint(int64(math.MinInt64))

	cases := []refusedCall{
		split("a truncated object", valid[:len(valid)-2]),
		split("a JSON array", `[`+valid+`]`),
		split("JSON null", `null`),
		split("an empty argument", ``),
		split("a bare string", `"`+target.ID+`"`),
		split("form encoding instead of JSON", "warrantId="+target.ID+"&recipient="+h+"&amount=1000"),
		split("an unknown field", strings.Replace(valid, `{`, `{"memo":"urgent",`, 1)),
		split("an unknown field inside a part", splitBody(target.ID, `[{"recipient":"`+h+`","amount":1000,"discount":1}]`)),
		split("a second object after the request", valid+`{}`),
		split("garbage after the request", valid+` x`),
		split("a request padded past 1 MiB", strings.Repeat(" ", 1<<20)+valid),
		split("a request past 1 MiB of data", splitBody(target.ID, "["+strings.Repeat(partJSON(h, "1")+",", 1<<20/len(partJSON(h, "1")))+partJSON(h, "1")+"]")),
		split("a malformed warrant id with a zero-width joiner", splitBody(target.ID[:5]+"\u200d"+target.ID[5:], "["+partJSON(h, "1000")+"]")),
		split("a warrant id with a trailing space", splitBody(target.ID+" ", "["+partJSON(h, "1000")+"]")),
		split("a warrant id in full-width letters", splitBody("Ｗ"+target.ID[1:], "["+partJSON(h, "1000")+"]")),
		split("a negative part", splitBody(target.ID, "["+partJSON(h, "-1000")+"]")),
		split("a zero part", splitBody(target.ID, "["+partJSON(h, "0")+"]")),
		split("a part of math.MaxInt64", splitBody(target.ID, "["+partJSON(h, maxInt)+"]")),
		split("a part of math.MinInt64", splitBody(target.ID, "["+partJSON(h, minInt)+"]")),
		split("parts whose sum overflows int64", splitBody(target.ID, "["+partJSON(h, maxInt)+","+partJSON(codeOf(lianchuang), maxInt)+"]")),
		split("parts whose sum exceeds the warrant by one fen", splitBody(target.ID, "["+partJSON(h, fmt.Sprint(target.Amount-1))+","+partJSON(codeOf(lianchuang), "2")+"]")),
		split("an amount past int64", splitBody(target.ID, "["+partJSON(h, "9223372036854775808")+"]")),
		split("a fractional amount", splitBody(target.ID, "["+partJSON(h, "1000.5")+"]")),
		split("an amount in exponent notation", splitBody(target.ID, "["+partJSON(h, "1e3")+"]")),
		split("an amount as a string", splitBody(target.ID, "["+partJSON(h, `"1000"`)+"]")),
		split("duplicate recipients", splitBody(target.ID, "["+partJSON(h, "1000")+","+partJSON(h, "2000")+"]")),
		split("no parts", splitBody(target.ID, "[]")),
		split("too many parts", splitBody(target.ID, "["+strings.Join(manyParts, ",")+"]")),
		split("parts as an object", splitBody(target.ID, partJSON(h, "1000"))),
		split("a warrant id as a number", `{"warrantId":42,"parts":[`+partJSON(h, "1000")+`]}`),
		split("a requestId with a NUL character", strings.Replace(valid, `{`, `{"requestId":"a\u0000b",`, 1)),
		issue("an amount of zero", c.issueBody(t, "amount", "0")),
		issue("a negative amount", c.issueBody(t, "amount", "-5")),
		issue("an amount of math.MaxInt64", c.issueBody(t, "amount", maxInt)),
		issue("an amount past int64", c.issueBody(t, "amount", "92233720368547758070")),
		issue("an amount as a string", c.issueBody(t, "amount", `"1000000"`)),
		issue("a maturity that is not a date", c.issueBody(t, "maturesAt", `"2026-13-45T00:00:00Z"`)),
		issue("a maturity as a number", c.issueBody(t, "maturesAt", "1767225600")),
		issue("a maturity in the past", c.issueBody(t, "maturesAt", `"2020-01-01T00:00:00Z"`)),
		issue("a maturity more than a year away", c.issueBody(t, "maturesAt", `"`+inDays(400).Format("2006-01-02T15:04:05Z")+`"`)),
		issue("an invoice of math.MaxInt64", encode(t, overflowingInvoice)),
		issue("too many invoices", encode(t, manyInvoices)),
		issue("a currency other than CNY", c.issueBody(t, "currency", `"USD"`)),
		{"a pledge of math.MaxInt64", bank, "finance:Pledge", []string{encode(t, warrant.PledgeRequest{WarrantID: financed.ID, Amount: math.MaxInt64})}, warrant.CodeInvalidArgument},
		{"a pledge of zero", bank, "finance:Pledge", []string{encode(t, warrant.PledgeRequest{WarrantID: financed.ID})}, warrant.CodeInvalidArgument},
		{"a negative credit line", bank, "admin:SetCreditLine", []string{encode(t, warrant.SetCreditLineRequest{Debtor: codeOf(core), Limit: -1})}, warrant.CodeInvalidArgument},
		{"a credit line of math.MaxInt64", bank, "admin:SetCreditLine", []string{encode(t, warrant.SetCreditLineRequest{Debtor: codeOf(core), Limit: math.MaxInt64})}, warrant.CodeInvalidArgument},
		{"an amount cap of math.MaxInt64", assoc, "admin:SetParams", []string{encode(t, warrant.Params{AmountCap: math.MaxInt64, MaxTenorDays: 183, MinUnit: 1, MaxParts: 100, MaxDepth: 20, AcceptanceWindowDays: 7})}, warrant.CodeInvalidArgument},
		{"roles as a string", assoc, "admin:UpdateEnterprise", []string{`{"creditCode":"` + codeOf(yongsheng) + `","roles":"holder"}`}, warrant.CodeInvalidArgument},
		{"a verification result as a string", assoc, "registry:Verify", []string{`{"warrantId":"` + target.ID + `","evidenceHash":"` + testnet.Hash("e") + `","passed":"true"}`}, warrant.CodeInvalidArgument},
		{"a freeze reason with a NUL character", assoc, "regulator:Freeze", []string{encode(t, warrant.FreezeRequest{WarrantID: target.ID, Reason: "court\x00order"})}, warrant.CodeInvalidArgument},
		{"a freeze reason past 1 MiB", assoc, "regulator:Freeze", []string{encode(t, warrant.FreezeRequest{WarrantID: target.ID, Reason: strings.Repeat("冻", 1<<18)})}, warrant.CodeInvalidArgument},
	}
	for _, spoof := range spoofedCodes {
		cases = append(cases,
			split("a recipient credit code with "+spoof.trick, splitBody(target.ID, "["+partJSON(spoof.code, "1000")+"]")),
			refusedCall{"a financier credit code with " + spoof.trick, jinggong, "finance:RequestFinancing",
				[]string{encode(t, warrant.FinancingRequest{WarrantID: target.ID, Financier: spoof.code})}, warrant.CodeInvalidArgument},
			refusedCall{"an onboarded credit code with " + spoof.trick, assoc, "admin:OnboardEnterprise",
				[]string{encode(t, enterprise(spoof.code, "恒达五金（仿冒）", mspAssoc, "spoofer", "holder"))}, warrant.CodeInvalidArgument},
		)
		request := c.issueRequest(jinggong, 1_000_000, inDays(90))
		request.Holder = spoof.code
		cases = append(cases, issue("a first holder credit code with "+spoof.trick, encode(t, request)))
	}
	return cases
}

// TestBadInput sends malformed, oversized, overflowing, ill-typed and
// Unicode-spoofed requests: each is refused with INVALID_ARGUMENT (R18), and
// the whole batch cuts no block and changes no warrant or enterprise.
func TestBadInput(t *testing.T) {
	t.Parallel()
	c, _ := newChain(t)
	target := c.active(jinggong, 1_000_000, inDays(90))
	financed := c.active(hengda, 1_000_000, inDays(90))
	c.mustSubmit(hengda, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: financed.ID, Financier: codeOf(bank)}, nil)
	cases := c.refusedCalls(t, target, financed)

	lookups := append(warrantLookups(target.ID, financed.ID), enterpriseLookups()...)
	before := c.fingerprint(t, lookups)
	for i := range cases {
		cases[i].name = fmt.Sprintf("%s in %s is refused", cases[i].name, cases[i].function)
	}
	c.requireRefused(t, cases)
	t.Logf("%d bad inputs refused", len(cases))

	t.Run("Ambiguous requests", func(t *testing.T) {
		requireStrictDecoding(t, c, target)
	})

	t.Run("Nothing was written by the refused calls", func(t *testing.T) {
		c.requireUnchanged(t, before, lookups)
	})

	t.Run("The well-formed request commits", func(t *testing.T) {
		var split warrant.SplitResult
		c.mustSubmit(jinggong, "transfer:SplitTransfer", splitBody(target.ID, "["+partJSON(codeOf(hengda), "1000")+"]"), &split)
		require.Len(t, split.Children, 2)
	})
}
