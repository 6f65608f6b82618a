package contracts

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/test/cast"
)

// Unit tests of the adapter seams on a fake stub (no network).

// MSP IDs of the cast's orgs.
var (
	mspCore  = cast.Get(cast.Core).Org
	mspBank  = cast.Get(cast.Bank).Org
	mspAssoc = cast.Get(cast.Association).Org
)

func TestStubStateRange(t *testing.T) {
	stub := newFakeStub()
	composite := func(id string) string { k, _ := warrant.CompositeKey("warrant~holder", "A", id); return k }
	tree := func(id string) string { return composite(id)[1:] } // the same layout without U+0000
	for i := range 10 {
		id := fmt.Sprintf("W%02d", i)
		require.NoError(t, stub.PutState(composite(id), []byte{0}))
		require.NoError(t, stub.PutState(tree(id), []byte{0}))
	}
	prefix, _ := warrant.CompositeKey("warrant~holder", "A")
	for _, c := range []struct {
		name        string
		start, end  string
		limit       int
		want        []string
		wantRead    int // keys the iterator handed out
		wantErrCode warrant.Code
	}{
		{"a composite prefix from its start", prefix, prefix + "\U0010FFFF", 3, []string{composite("W00"), composite("W01"), composite("W02")}, 3, ""},
		{"a composite prefix from a bookmark skips the keys before it", composite("W07"), prefix + "\U0010FFFF", 2, []string{composite("W07"), composite("W08")}, 9, ""},
		{"a tree range stops at its end", tree("W05"), tree("W07"), 5, []string{tree("W05"), tree("W06")}, 2, ""},
		{"tree keys start at the bookmark: a page reads only its keys", tree("W07"), prefix[1:] + "\U0010FFFF", 2, []string{tree("W07"), tree("W08")}, 2, ""},
		{"tree keys with no limit", tree("W08"), prefix[1:] + "\U0010FFFF", 0, []string{tree("W08"), tree("W09")}, 2, ""},
		{"not a range inside a composite prefix", composite("W01"), "zzz", 1, nil, 0, warrant.CodeInvalidArgument},
	} {
		t.Run(c.name, func(t *testing.T) {
			stub.keysRead = 0
			kvs, err := stubState{stub}.Range(c.start, c.end, c.limit)
			if c.wantErrCode != "" {
				require.Equal(t, c.wantErrCode, warrant.ErrorCode(err))
				return
			}
			require.NoError(t, err)
			var keys []string
			for _, kv := range kvs {
				keys = append(keys, kv.Key)
			}
			require.Equal(t, c.want, keys)
			require.Equal(t, c.wantRead, stub.keysRead)
		})
	}
	t.Run("queries page tree keys and composite keys from the bookmark", func(t *testing.T) {
		for _, start := range []string{composite("W07"), tree("W07")} {
			end := prefix + "\U0010FFFF"
			if start[0] != 0 {
				end = end[1:]
			}
			stub.keysRead = 0
			kvs, err := queryState{stubState{stub}}.Range(start, end, 2)
			require.NoError(t, err)
			require.Len(t, kvs, 2)
			require.Equal(t, start, kvs[0].Key)
			require.Equal(t, 2, stub.keysRead)
		}
	})
}

func TestParameterCounts(t *testing.T) {
	for _, c := range []struct {
		contract any
		function string
		want     int
	}{
		{&Query{}, "GetParams", 0},
		{&Query{}, "GetWarrant", 1},
		{&Query{}, "LookupInvoice", 2},
		{&Transfer{}, "SplitTransfer", 1},
		{&Admin{}, "OnboardEnterprise", 1},
	} {
		counts := parameterCounts(c.contract)
		require.Equal(t, c.want, counts[c.function], "%T.%s", c.contract, c.function)
		require.NotContains(t, counts, "setUp", "unexported methods are no functions")
	}
}

func TestCallerOf(t *testing.T) {
	for _, c := range []struct {
		name     string
		identity fakeIdentity
		want     warrant.Caller
		wantErr  bool
	}{
		{"MSP ID and both attributes", fakeIdentity{mspID: mspBank, attrs: map[string]string{
			warrant.AttrEntity: " 914403007865797541 ", warrant.AttrRole: "financier, custodian,"}},
			warrant.Caller{MSPID: mspBank, Entity: "914403007865797541", Roles: []warrant.Role{warrant.RoleFinancier, warrant.RoleCustodian}}, false},
		{"no attributes: no entity, no roles", fakeIdentity{mspID: mspAssoc},
			warrant.Caller{MSPID: mspAssoc}, false},
		{"an unreadable identity", fakeIdentity{err: errors.New("bad certificate")}, warrant.Caller{}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := callerOf(fakeContext(newFakeStub(), c.identity))
			if c.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, got)
		})
	}
}

// TestLedgerTimeCheck checks the hook every mutating contract runs before its function
// (R19): the proposal's timestamp within the skew of the injected clock.
func TestLedgerTimeCheck(t *testing.T) {
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	cfg := &config{clock: func() time.Time { return now }, maxSkew: time.Minute}
	var transfer Transfer
	transfer.setUp(cfg)
	var query Query
	query.setUp(cfg)
	before := func(contract contractapi.ContractInterface) func(contractapi.TransactionContextInterface) error {
		return contract.(interface{ GetBeforeTransaction() interface{} }).GetBeforeTransaction().(func(contractapi.TransactionContextInterface) error)
	}
	for _, c := range []struct {
		name     string
		contract contractapi.ContractInterface
		function string
		at       time.Time
		want     warrant.Code
	}{
		{"on the clock", &transfer, "transfer:Accept", now, ""},
		{"at the edge of the skew", &transfer, "transfer:Accept", now.Add(-time.Minute), ""},
		{"past the skew, ahead", &transfer, "transfer:Reclaim", now.Add(time.Minute + 1), warrant.CodeClockSkew},
		{"eight days ahead", &transfer, "transfer:Reclaim", now.AddDate(0, 0, 8), warrant.CodeClockSkew},
		{"queries are not checked", &query, "query:GetParams", now.AddDate(1, 0, 0), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			stub := newFakeStub()
			stub.function, stub.timestamp = c.function, c.at
			if c.function != "query:GetParams" {
				stub.args = []string{"{}"}
			}
			err := before(c.contract)(fakeContext(stub, fakeIdentity{mspID: mspAssoc}))
			if c.want == "" {
				require.NoError(t, err)
				return
			}
			require.Equal(t, c.want, decodedCode(t, err))
			require.Empty(t, stub.state, "a refused proposal writes nothing")
		})
	}
	t.Run("New refuses a missing clock or skew", func(t *testing.T) {
		_, err := New(WithClock(nil))
		require.Error(t, err)
		_, err = New(WithMaxClockSkew(0))
		require.Error(t, err)
	})
}

// TestMutateOnAFakeStub runs one mutating function end to end through the adapter.
func TestMutateOnAFakeStub(t *testing.T) {
	stub := newFakeStub()
	stub.timestamp = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	admin := fakeIdentity{mspID: mspAssoc, attrs: map[string]string{warrant.AttrRole: "admin"}}
	chaincode := &Admin{cfg: &config{associationMSP: mspAssoc}}
	_, err := chaincode.InitLedger(fakeContext(stub, admin), `{"name":"协会"}`)
	require.NoError(t, err)
	_, err = chaincode.RegisterMember(fakeContext(stub, admin), `{"mspId":"BankMSP","kind":"BANK","name":"银行"}`)
	require.NoError(t, err)
	stub.events = nil
	request := `{"creditCode":"914403007865797541","name":"深圳前海合作银行","mspId":"BankMSP","roles":["financier"],"controller":"Qianhai Bank"}`
	result, err := chaincode.OnboardEnterprise(fakeContext(stub, admin), request)
	require.NoError(t, err)
	require.Contains(t, result, `"controller":"qianhai bank"`, "the controller is stored normalised (R3)")
	require.Equal(t, []string{warrant.EventEnterpriseOnboarded}, stub.events)
	written := len(stub.state)
	_, err = (&Admin{}).OnboardEnterprise(fakeContext(stub, admin), request)
	require.Equal(t, warrant.CodeAlreadyExists, decodedCode(t, err))
	require.Len(t, stub.state, written, "a rejected call writes nothing (R18)")
	_, err = (&Admin{}).OnboardEnterprise(fakeContext(stub, admin), `{"creditCode":1}`)
	require.Equal(t, warrant.CodeInvalidArgument, decodedCode(t, err))
}

// decodedCode is the code of an adapter error, whose text is the domain error's JSON.
func decodedCode(t *testing.T, err error) warrant.Code {
	t.Helper()
	require.Error(t, err)
	e, decodeErr := warrant.DecodeRequest[warrant.Error]([]byte(err.Error()))
	require.NoError(t, decodeErr, err.Error())
	return e.Code
}
