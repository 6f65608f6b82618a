package warrant

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDecodeRequestIsStrict(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"Refuses a field name in another letter case", `{"WARRANTID":"W1","parts":[]}`, `unknown field "WARRANTID"`},
		{"Refuses a nested field name in another letter case", `{"warrantId":"W1","parts":[{"Recipient":"x","amount":1}]}`, `request.parts[0]: unknown field "Recipient"`},
		{"Refuses a field name that matches only after Unicode folding", `{"warrantId":"W1","partſ":[]}`, `unknown field "partſ"`},
		{"Refuses a field given twice", `{"warrantId":"W1","warrantId":"W2","parts":[]}`, `field "warrantId" given twice`},
		{"Refuses invalid UTF-8", "{\"requestId\":\"erp-\xff\",\"warrantId\":\"W1\",\"parts\":[]}", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeRequest[SplitTransferRequest]([]byte(tt.body))
			require.True(t, IsCode(err, CodeInvalidArgument), "%v", err)
			require.ErrorContains(t, err, tt.want)
		})
	}

	t.Run("Accepts exact names, times and nested objects", func(t *testing.T) {
		req, err := DecodeRequest[IssueRequest]([]byte(`{"debtor":"D","holder":"H","amount":5,"maturesAt":"2026-09-01T00:00:00Z",
			"trade":{"contractHash":"c","invoices":[{"code":"1","number":"2","amount":5,"seller":"H","buyer":"D","documentHash":"d"}]}}`))
		require.NoError(t, err)
		require.Equal(t, int64(5), req.Trade.Invoices[0].Amount)
	})
}
