package endorser

import (
	"context"
	"errors"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// countedSimulator counts the simulations ended.
type countedSimulator struct {
	chaincode.Simulator
	done *int
}

func (s *countedSimulator) Results() (*rwset.TxReadWriteSet, error) {
	return &rwset.TxReadWriteSet{}, nil
}
func (s *countedSimulator) Done() { *s.done++ }

// countingRunner counts the chaincode runs and fails them with err.
type countingRunner struct {
	runs int
	err  error
}

func (r *countingRunner) Execute(context.Context, string, string, string, *peer.SignedProposal, *peer.ChaincodeInput, chaincode.Simulator) (*peer.Response, *peer.ChaincodeEvent, error) {
	r.runs++
	return &peer.Response{Status: 200}, nil, r.err
}

func TestSimulateRunsTheChaincodeOnce(t *testing.T) {
	proposal := &protoutil.Proposal{Spec: &peer.ChaincodeSpec{ChaincodeId: &peer.ChaincodeID{Name: "cc"}}}
	tests := []struct {
		name      string
		err       error
		wantDones int
	}{
		{"A successful run hands its simulation to the caller", nil, 0},
		{"A failed run ends its simulation", errors.New("chaincode broke"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runner := &countingRunner{err: tt.err}
			simulations, dones := 0, 0
			e := New(Config{
				Chaincodes: runner,
				NewSimulator: func(string) (Simulator, error) {
					simulations++
					return &countedSimulator{done: &dones}, nil
				},
			})
			sim, _, _, err := e.simulate(context.Background(), proposal)
			require.Equal(t, tt.err == nil, err == nil)
			require.Equal(t, tt.err == nil, sim != nil)
			require.Equal(t, 1, runner.runs, "the chaincode runs once: the simulation reads one height")
			require.Equal(t, 1, simulations)
			require.Equal(t, tt.wantDones, dones)
		})
	}
}
