package test

import (
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	warrantclient "github.com/scfledger/warrants/client"
)

// ambiguous is a request that one JSON reader may read differently from
// another, or arguments the contract's signature does not have. R18 calls for
// a refusal; why says what a lenient reader would do instead.
type ambiguous struct {
	name string
	args []string
	why  string
}

func ambiguousSplits(target warrant.Warrant) []ambiguous {
	h := codeOf(hengda)
	valid := splitBody(target.ID, "["+partJSON(h, "1000")+"]")
	return []ambiguous{
		{
			name: "Field names in another letter case",
			args: []string{fmt.Sprintf(`{"WARRANTID":%q,"Parts":[{"RECIPIENT":%q,"Amount":1000}]}`, target.ID, h)},
			why: "warrant.DecodeRequest uses encoding/json, which matches field names case-insensitively, " +
				"so DisallowUnknownFields lets WARRANTID stand for warrantId",
		},
		{
			name: "A field name that matches only under Unicode case folding (partſ with U+017F)",
			args: []string{fmt.Sprintf(`{"warrantId":%q,"partſ":[{"recipient":%q,"amount":1000}]}`, target.ID, h)},
			why:  "encoding/json folds U+017F (ſ) to s and U+212A (K) to k when matching field names, so partſ is read as parts",
		},
		{
			name: "A field given twice",
			args: []string{fmt.Sprintf(`{"warrantId":"W000000000000000000000000","warrantId":%q,"parts":[{"recipient":%q,"amount":1000}]}`, target.ID, h)},
			why: "encoding/json keeps the last of duplicate keys; a first-wins reader (an ERP, an auditor reading the " +
				"request back from the block) sees another warrant than the chaincode acted on",
		},
		{
			name: "Invalid UTF-8 in a text field",
			args: []string{fmt.Sprintf(`{"requestId":"erp-%s","warrantId":%q,"parts":[{"recipient":%q,"amount":1000}]}`, "\xff\xfe", target.ID, h)},
			why: "encoding/json replaces invalid UTF-8 with U+FFFD before validateText checks utf8.ValidString, " +
				"so the stored text is not what the client signed",
		},
		{
			name: "A second argument after the request",
			args: []string{valid, "ignored"},
			why: "fabric-contract-api-go checks only that a function gets at least as many arguments as it declares; " +
				"extra arguments are dropped silently",
		},
		{
			name: "No argument at all",
			args: nil,
			why: "fabric-contract-api-go refuses a missing argument before the contract runs, with the plain text " +
				"\"incorrect number of params\" instead of the structured {\"code\":...} error every other refusal carries",
		},
	}
}

// requireStrictDecoding endorses, without submitting, split-transfers whose
// JSON or arguments are ambiguous: each must be refused with INVALID_ARGUMENT.
func requireStrictDecoding(t *testing.T, c *chain, target warrant.Warrant) {
	for _, tt := range ambiguousSplits(target) {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			proposal, err := c.contract(jinggong).NewProposal("transfer:SplitTransfer", client.WithArguments(tt.args...))
			require.NoError(t, err)
			_, err = proposal.Endorse()
			require.Error(t, err, "endorsed instead of refused: %s", tt.why)
			require.Equal(t, warrant.CodeInvalidArgument, warrantclient.Code(err), "refused without the structured error code: %s (%v)", tt.why, err)
		})
	}
}
