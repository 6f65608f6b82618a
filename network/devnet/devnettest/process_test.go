package devnettest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadEndpoints(t *testing.T) {
	tests := []struct {
		name      string
		output    string
		addresses map[string]string
		err       string
	}{
		{
			name: "Peer lines before the ready line give the peers' addresses",
			output: "channel   warrants (height 1)\n" +
				"peer      CoreEnterpriseMSP  127.0.0.1:40001  /d/core.yaml (host alias peer0.core.example.com)\n" +
				"peer      BankMSP            127.0.0.1:40002  /d/bank.yaml (host alias peer0.bank.example.com)\n" +
				"chaincode warrant 1.0, policy \"MAJORITY Endorsement\"\n" +
				"devnet ready in 812ms\n" +
				"peer      LateMSP            127.0.0.1:40003\n",
			addresses: map[string]string{"CoreEnterpriseMSP": "127.0.0.1:40001", "BankMSP": "127.0.0.1:40002"},
		},
		{
			name:      "Output that ends before the ready line is an error",
			output:    "peer      BankMSP            127.0.0.1:40002  /d/bank.yaml\n",
			addresses: map[string]string{"BankMSP": "127.0.0.1:40002"},
			err:       "devnet ended before it was ready",
		},
		{
			name:      "A peer line without an address is not an endpoint",
			output:    "peer BankMSP\ndevnet ready in 1s\n",
			addresses: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Process{addresses: map[string]string{}}
			err := p.readEndpoints(strings.NewReader(tt.output))
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, tt.addresses, p.addresses)
		})
	}
}

func TestKillPoint(t *testing.T) {
	t.Run("A single kill falls after 30 acknowledged transactions", func(t *testing.T) {
		require.Equal(t, 30, KillPoint(1))
	})
	t.Run("Many kills fall after 5 to 44 acknowledged transactions", func(t *testing.T) {
		for range 200 {
			point := KillPoint(20)
			require.GreaterOrEqual(t, point, 5)
			require.LessOrEqual(t, point, 44)
		}
	})
}
