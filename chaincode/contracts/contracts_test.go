package contracts_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/status"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

// The project's cast (see network/devnet/config/default.yaml).
const (
	codeCore    = "9144030052601815XN"
	codeT1A     = "91440300908301663N"
	codeT1ARel  = "91440300518190937Y"
	codeT2A     = "914413003909960334"
	codeBank    = "914403007865797541"
	codeAssoc   = "51440300MJL4323104"
	asCore      = "User1@CoreEnterpriseMSP"
	asBank      = "User1@BankMSP"
	asAssoc     = "User1@AssociationMSP"
	asJinggong  = "Jinggong@AssociationMSP"
	asHengda    = "Hengda@AssociationMSP"
	warrantName = "warrant"
)

// ledger drives the warrant chaincode on a dev network as the cast's users.
type ledger struct {
	t         *testing.T
	network   *devnet.Network
	contracts map[string]*client.Contract
}

func newLedger(t *testing.T) *ledger {
	chaincode, err := contracts.New()
	require.NoError(t, err)
	cfg := config.Default()
	cfg.Orderer.BatchTimeout = config.Duration(10 * time.Millisecond)
	network, err := devnet.Start(context.Background(), devnet.Options{
		Config: cfg, FreePorts: true, InProcess: map[string]shim.Chaincode{warrantName: chaincode},
	})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, network.Close()) })
	return &ledger{t: t, network: network, contracts: map[string]*client.Contract{}}
}

func (l *ledger) contract(as string) *client.Contract {
	if contract, ok := l.contracts[as]; ok {
		return contract
	}
	user, mspID, _ := strings.Cut(as, "@")
	gateway, err := l.network.Connect(mspID, user)
	require.NoError(l.t, err)
	l.t.Cleanup(func() { _ = gateway.Close() })
	contract := gateway.GetNetwork(l.network.Channel()).GetContract(warrantName)
	l.contracts[as] = contract
	return contract
}

// submit runs a mutating function with a JSON request and decodes the result into out.
func (l *ledger) submit(as, function string, request, out any) error {
	body, err := json.Marshal(request)
	require.NoError(l.t, err)
	result, err := l.contract(as).SubmitTransaction(function, string(body))
	if err != nil {
		return err
	}
	if out != nil {
		require.NoError(l.t, json.Unmarshal(result, out))
	}
	return nil
}

func (l *ledger) mustSubmit(as, function string, request, out any) {
	l.t.Helper()
	require.NoError(l.t, l.submit(as, function, request, out), function)
}

func (l *ledger) evaluate(function string, out any, args ...string) error {
	result, err := l.contract(asAssoc).EvaluateTransaction(function, args...)
	if err != nil {
		return err
	}
	return json.Unmarshal(result, out)
}

// code extracts the structured error code the chaincode returned.
func code(t *testing.T, err error) warrant.Code {
	t.Helper()
	require.Error(t, err)
	var details []string
	if s, ok := status.FromError(err); ok {
		details = append(details, s.Message())
		for _, detail := range s.Details() {
			if errorDetail, ok := detail.(*gateway.ErrorDetail); ok {
				details = append(details, errorDetail.GetMessage())
			}
		}
	}
	for _, message := range details {
		if start := strings.Index(message, "{"); start >= 0 {
			var chaincodeErr warrant.Error
			if json.Unmarshal([]byte(message[start:]), &chaincodeErr) == nil && chaincodeErr.Code != "" {
				return chaincodeErr.Code
			}
		}
	}
	t.Fatalf("no structured chaincode error in %v", err)
	return ""
}

func hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// onboard registers the cast and gives the core enterprise a credit line.
func (l *ledger) onboard() {
	cast := []warrant.OnboardEnterpriseRequest{
		{CreditCode: codeAssoc, Name: "深圳市供应链金融协会", MSPID: "AssociationMSP", Roles: []warrant.Role{"verifier", "registrar", "regulator", "admin"}, Controller: "association"},
		{CreditCode: codeCore, Name: "深圳华芯电子制造股份有限公司", MSPID: "CoreEnterpriseMSP", Roles: []warrant.Role{"issuer"}, Controller: "huaxin-group"},
		{CreditCode: codeBank, Name: "深圳前海合作银行", MSPID: "BankMSP", Roles: []warrant.Role{"custodian", "financier", "holder"}, Controller: "qianhai-bank"},
		{CreditCode: codeT1A, Name: "深圳精工模具有限公司", MSPID: "AssociationMSP", Roles: []warrant.Role{"holder"}, Controller: "chen-family"},
		{CreditCode: codeT1ARel, Name: "深圳精工贸易有限公司", MSPID: "AssociationMSP", Roles: []warrant.Role{"holder"}, Controller: "chen-family"},
		{CreditCode: codeT2A, Name: "惠州恒达五金制品有限公司", MSPID: "AssociationMSP", Roles: []warrant.Role{"holder"}, Controller: "hengda"},
	}
	for _, enterprise := range cast {
		l.mustSubmit(asAssoc, "admin:OnboardEnterprise", enterprise, nil)
	}
	l.mustSubmit(asBank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: codeCore, Limit: 500_000_000}, nil)
}

func issueRequest(invoice string, amount int64) warrant.IssueRequest {
	return warrant.IssueRequest{
		Debtor: codeCore, Holder: codeT1A, Amount: amount,
		MaturesAt: time.Now().UTC().Add(90 * 24 * time.Hour).Truncate(time.Second),
		Trade: warrant.Trade{ContractHash: hash("HX-CG-2026-0815"), Invoices: []warrant.Invoice{
			{Code: "4403261130", Number: invoice, Amount: amount, Seller: codeT1A, Buyer: codeCore, DocumentHash: hash(invoice)},
		}},
	}
}

func TestWarrantLifecycleOnTheDevNetwork(t *testing.T) {
	l := newLedger(t)
	l.onboard()

	var issued warrant.Warrant
	l.mustSubmit(asCore, "issuance:Issue", issueRequest("00812345", 100_000_000), &issued)
	require.Equal(t, warrant.Status("ISSUED"), issued.Status)

	t.Run("A supplier cannot issue, and nothing is written", func(t *testing.T) {
		request := issueRequest("00899999", 1_000)
		require.Equal(t, warrant.CodeForbidden, code(t, l.submit(asJinggong, "issuance:Issue", request, nil)))
		var found warrant.Warrant
		require.Equal(t, warrant.CodeNotFound, code(t, l.evaluate("query:LookupInvoice", &found, "4403261130", "00899999")))
	})

	var verified, registered warrant.Warrant
	l.mustSubmit(asAssoc, "registry:Verify", warrant.VerifyRequest{WarrantID: issued.ID, EvidenceHash: hash("evidence"), Passed: true}, &verified)
	l.mustSubmit(asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: issued.ID}, &registered)
	require.Equal(t, warrant.Status("ACTIVE"), registered.Status)
	require.NotEmpty(t, registered.RegistryNo)

	t.Run("The same receivable cannot be registered twice", func(t *testing.T) {
		var second warrant.Warrant
		err := l.submit(asCore, "issuance:Issue", issueRequest("00812345", 100_000_000), &second)
		if err == nil {
			err = l.submit(asAssoc, "registry:Verify", warrant.VerifyRequest{WarrantID: second.ID, EvidenceHash: hash("e2"), Passed: true}, nil)
			if err == nil {
				err = l.submit(asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: second.ID}, nil)
			}
		}
		require.Contains(t, []warrant.Code{warrant.CodeAlreadyRegistered, warrant.CodeDuplicateInvoice, warrant.CodeInvalidState}, code(t, err))
		var found warrant.Warrant
		require.NoError(t, l.evaluate("query:LookupInvoice", &found, "4403261130", "00812345"))
		require.Equal(t, issued.ID, found.ID)
	})

	var split warrant.SplitResult
	l.mustSubmit(asJinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{
		WarrantID: issued.ID, Parts: []warrant.Part{{Recipient: codeT2A, Amount: 30_000_000}},
	}, &split)
	require.Len(t, split.Children, 2)

	t.Run("A transfer to a related party is rejected", func(t *testing.T) {
		remainder := split.Children[len(split.Children)-1]
		for _, child := range split.Children {
			if child.Holder == codeT1A {
				remainder = child
			}
		}
		err := l.submit(asJinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{
			WarrantID: remainder.ID, Parts: []warrant.Part{{Recipient: codeT1ARel, Amount: 1_000}},
		}, nil)
		require.Equal(t, warrant.CodeRelatedParty, code(t, err))
	})

	var offered warrant.Warrant
	for _, child := range split.Children {
		if child.Holder == codeT2A {
			offered = child
		}
	}
	require.NotEmpty(t, offered.ID)
	var accepted warrant.Warrant
	l.mustSubmit(asHengda, "transfer:Accept", warrant.OfferRequest{WarrantID: offered.ID}, &accepted)
	require.Equal(t, warrant.Status("ACTIVE"), accepted.Status)

	var pledged warrant.Warrant
	l.mustSubmit(asHengda, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: offered.ID, Financier: codeBank}, nil)
	l.mustSubmit(asBank, "finance:Pledge", warrant.PledgeRequest{WarrantID: offered.ID, Amount: 30_000_000}, &pledged)
	require.Equal(t, warrant.Status("PLEDGED"), pledged.Status)

	t.Run("A second pledge is rejected", func(t *testing.T) {
		err := l.submit(asBank, "finance:Pledge", warrant.PledgeRequest{WarrantID: offered.ID, Amount: 1_000}, nil)
		require.Equal(t, warrant.CodePledged, code(t, err))
	})

	t.Run("Queries page through indexes", func(t *testing.T) {
		var page warrant.WarrantPage
		body, _ := json.Marshal(warrant.LineageRequest{RootID: issued.ID, PageSize: 2})
		require.NoError(t, l.evaluate("query:Lineage", &page, string(body)))
		require.Len(t, page.Items, 2)
		require.NotEmpty(t, page.NextBookmark)
		var summary warrant.RootSummary
		require.NoError(t, l.evaluate("query:RootSummary", &summary, issued.ID))
		var history []contracts.HistoryEntry
		require.NoError(t, l.evaluate("query:History", &history, issued.ID))
		require.GreaterOrEqual(t, len(history), 3, "issued, verified, registered, split")
	})

	t.Run("Malformed requests get INVALID_ARGUMENT", func(t *testing.T) {
		_, err := l.contract(asCore).SubmitTransaction("issuance:Issue", `{"debtor": 1}`)
		require.Equal(t, warrant.CodeInvalidArgument, code(t, err))
		_, err = l.contract(asCore).SubmitTransaction("issuance:Issue", `{"bogus": true}`)
		require.Equal(t, warrant.CodeInvalidArgument, code(t, err))
		_, err = l.contract(asCore).SubmitTransaction("issuance:NoSuchFunction", `{}`)
		require.Equal(t, warrant.CodeNotFound, code(t, err))
	})
}
