package client

import (
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/scfledger/warrants/chaincode/warrant"
)

func TestParseDomainError(t *testing.T) {
	tests := []struct {
		name    string
		message string
		want    *warrant.Error
	}{
		{
			name:    "Decodes the JSON after the chaincode response status",
			message: `chaincode response 500, {"code":"NOT_FOUND","message":"warrant not found","details":{"warrantId":"W1"}}`,
			want:    &warrant.Error{Code: warrant.CodeNotFound, Message: "warrant not found", Details: map[string]string{"warrantId": "W1"}},
		},
		{
			name:    "Ignores text before the status and after the object",
			message: `evaluate call to endorser returned error: chaincode response 500, {"code":"FORBIDDEN","message":"no"} trailing`,
			want:    &warrant.Error{Code: warrant.CodeForbidden, Message: "no"},
		},
		{name: "Returns nil without a chaincode response", message: `{"code":"FORBIDDEN","message":"no"}`},
		{name: "Returns nil for a message that is not JSON", message: "chaincode response 500, transaction returned with failure"},
		{name: "Returns nil for JSON without a code", message: `chaincode response 500, {"message":"no"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, parseDomainError(tt.message))
		})
	}
}

func TestDecodeError(t *testing.T) {
	withDetails := func(messages ...string) error {
		st := status.New(codes.Aborted, "failed to endorse transaction, see attached details for more info")
		for _, m := range messages {
			var err error
			st, err = st.WithDetails(&gateway.ErrorDetail{Address: "peer0:7051", MspId: "CoreEnterpriseMSP", Message: m})
			require.NoError(t, err)
		}
		return st.Err()
	}

	t.Run("Finds the domain error in an error detail and keeps the cause", func(t *testing.T) {
		cause := withDetails("endorser unreachable", `chaincode response 500, {"code":"FROZEN","message":"warrant is frozen"}`)
		err := decodeError("transfer:SplitTransfer", "tx1", cause)

		var ccErr *ChaincodeError
		require.ErrorAs(t, err, &ccErr)
		require.Equal(t, "tx1", ccErr.TransactionID)
		require.Equal(t, warrant.CodeFrozen, Code(err))
		require.True(t, warrant.IsCode(err, warrant.CodeFrozen))
		require.ErrorIs(t, err, cause)
		require.Equal(t, "transfer:SplitTransfer: FROZEN: warrant is frozen", err.Error())
	})

	t.Run("Wraps an error with no domain error and reports no code", func(t *testing.T) {
		cause := withDetails("endorser unreachable")
		err := decodeError("query:GetWarrant", "", cause)
		require.ErrorIs(t, err, cause)
		require.Equal(t, warrant.Code(""), Code(err))
		require.Contains(t, err.Error(), "query:GetWarrant: ")
	})

	t.Run("Returns nil for no error", func(t *testing.T) {
		require.NoError(t, decodeError("query:GetWarrant", "", nil))
	})

	t.Run("Code and DomainError read a fabric-gateway error not decoded by the client", func(t *testing.T) {
		raw := fmt.Errorf("endorse: %w", withDetails(`chaincode response 500, {"code":"PLEDGED","message":"warrant is pledged"}`))
		require.Equal(t, warrant.CodePledged, Code(raw))
		require.Equal(t, &warrant.Error{Code: warrant.CodePledged, Message: "warrant is pledged"}, DomainError(raw))
		require.Nil(t, DomainError(withDetails("endorser unreachable")))
		require.Nil(t, DomainError(nil))
	})
}
