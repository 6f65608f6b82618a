package load

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/client"
)

func TestOutcomeOf(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		code    string
		failure string
	}{
		{"A call without error is valid", nil, "", ""},
		{"A transaction committed invalid counts by its validation code",
			&client.CommitError{Function: "transfer:SplitTransfer", Code: peer.TxValidationCode_MVCC_READ_CONFLICT}, "MVCC_READ_CONFLICT", ""},
		{"A refused endorsement failed at endorse",
			fmt.Errorf("transfer:SplitTransfer: %w", &client.EndorseError{TransactionError: &client.TransactionError{}}), "", "endorse"},
		{"A refused envelope failed at submit", &client.SubmitError{TransactionError: &client.TransactionError{}}, "", "submit"},
		{"A lost commit status failed at commit status", &client.CommitStatusError{TransactionError: &client.TransactionError{}}, "", "commit status"},
		{"Any other error is counted as other", errors.New("connection refused"), "", "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := outcomeOf(time.Now(), tt.err)
			require.Equal(t, tt.code, o.code)
			require.Equal(t, tt.failure, o.failure)
			require.Equal(t, tt.err == nil, o.ok())
			if tt.failure != "" {
				require.Equal(t, tt.err, o.err)
			}
		})
	}
}
