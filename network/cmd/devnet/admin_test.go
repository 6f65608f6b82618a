package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

// TestAddOrgCommands runs devnet addorg and removeorg against a running
// network's admin socket, as scripts/network.sh dev addOrg|removeOrg does.
func TestAddOrgCommands(t *testing.T) {
	dir := t.TempDir()
	cc, err := contracts.New(contracts.WithAssociationMSP("AssociationMSP"))
	require.NoError(t, err)
	cfg := config.Default()
	// The default network's collections file is relative to the repository.
	cfg.Chaincodes[0].Collections.Path = filepath.Join("..", "..", "..", cfg.Chaincodes[0].Collections.Path)
	network, err := devnet.Start(context.Background(), devnet.Options{
		Config: cfg, Dir: dir, FreePorts: true, InProcess: map[string]shim.Chaincode{"warrant": cc},
	})
	require.NoError(t, err)
	defer network.Close()

	var out bytes.Buffer
	require.ErrorContains(t, run([]string{"addorg", "bank2", "--dir", dir}, &out, &out), "no running dev network", "before the admin socket serves")
	stop, err := serveAdmin(network)
	require.NoError(t, err)
	defer stop()

	tests := []struct {
		name    string
		args    []string
		wantErr string
		want    []string
	}{
		{"An org outside the consortium", []string{"addorg", "bank9"}, `no org "bank9"`, nil},
		{"No org", []string{"addorg"}, "needs an org", nil},
		{"Signed by one admin of three", []string{"addorg", "bank2", "--signers", "AssociationMSP"}, "/Channel/Application/Admins", nil},
		{"Signed by a majority", []string{"addorg", "bank2"}, "", []string{
			"added Bank2MSP", "(2 of 3 signatures: CoreEnterpriseMSP, BankMSP)", "(caught up)",
			"members   AssociationMSP, Bank2MSP, BankMSP, CoreEnterpriseMSP"}},
		{"Again", []string{"addorg", "Bank2MSP"}, "mspId \"Bank2MSP\" used twice", nil},
		{"Removed by a majority of four", []string{"removeorg", "bank2"}, "", []string{
			"removed Bank2MSP", "(3 of 4 signatures: CoreEnterpriseMSP, BankMSP, AssociationMSP)",
			"members   AssociationMSP, BankMSP, CoreEnterpriseMSP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			height := network.Height()
			err := run(append(tt.args, "--dir", dir), &out, &out)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.Equal(t, height, network.Height(), "nothing ordered")
				return
			}
			require.NoError(t, err)
			for _, line := range tt.want {
				require.Contains(t, out.String(), line)
			}
		})
	}
}
