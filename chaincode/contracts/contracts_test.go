package contracts_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/chaincode/warrant"
)

func TestWarrantLifecycleOnTheDevNetwork(t *testing.T) {
	l := newLedger(t)
	l.onboard()

	var issued warrant.Warrant
	l.mustSubmit(asCore, "issuance:Issue", issueRequest("00812345", 100_000_000), &issued)
	require.Equal(t, warrant.Status("ISSUED"), issued.Status)

	t.Run("A supplier cannot issue, and nothing is written", func(t *testing.T) {
		request := issueRequest("00899999", 1_000)
		require.Equal(t, warrant.CodeForbidden, code(t, l.submit(asJinggong, "issuance:Issue", request, nil)))
		require.False(t, l.lookup("query:LookupInvoice", invoiceCode, "00899999").Registered)
	})

	var verified, registered warrant.Warrant
	l.attest(issued)
	l.mustSubmit(asAssoc, "registry:Verify", warrant.VerifyRequest{WarrantID: issued.ID, EvidenceHash: hash("evidence"), Passed: true}, &verified)
	l.mustSubmit(asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: issued.ID}, &registered)
	require.Equal(t, warrant.Status("ACTIVE"), registered.Status)
	require.NotEmpty(t, registered.RegistryNo)

	t.Run("The same receivable cannot be registered twice", func(t *testing.T) {
		var second warrant.Warrant
		err := l.submit(asCore, "issuance:Issue", issueRequest("00812345", 100_000_000), &second)
		if err == nil {
			l.attest(second)
			err = l.submit(asAssoc, "registry:Verify", warrant.VerifyRequest{WarrantID: second.ID, EvidenceHash: hash("e2"), Passed: true}, nil)
			if err == nil {
				err = l.submit(asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: second.ID}, nil)
			}
		}
		require.Contains(t, []warrant.Code{warrant.CodeAlreadyRegistered, warrant.CodeDuplicateInvoice, warrant.CodeInvalidState}, code(t, err))
		require.Equal(t, registered.RegistryNo, l.lookup("query:LookupInvoice", invoiceCode, "00812345").RegistryNo)
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
