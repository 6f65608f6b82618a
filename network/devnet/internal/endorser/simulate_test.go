package endorser

import (
	"context"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// staleSimulator is a simulation that reports a commit during its run while
// stale is set.
type staleSimulator struct {
	chaincode.Simulator
	stale  bool
	writes bool
	done   *int
}

func (s *staleSimulator) Results() (*rwset.TxReadWriteSet, error) {
	return &rwset.TxReadWriteSet{}, nil
}
func (s *staleSimulator) Stale() bool     { return s.stale }
func (s *staleSimulator) Done()           { *s.done++ }
func (s *staleSimulator) HasWrites() bool { return s.writes }

type countingRunner struct{ runs int }

func (r *countingRunner) Execute(context.Context, string, string, string, *peer.SignedProposal, *peer.ChaincodeInput, chaincode.Simulator) (*peer.Response, *peer.ChaincodeEvent, error) {
	r.runs++
	return &peer.Response{Status: 200}, nil, nil
}

func TestSimulateRunsAgainAfterAConcurrentCommit(t *testing.T) {
	proposal := &protoutil.Proposal{Spec: &peer.ChaincodeSpec{ChaincodeId: &peer.ChaincodeID{Name: "cc"}}}
	tests := []struct {
		name      string
		stale     []bool
		writes    bool
		wantRuns  int
		wantDones int
	}{
		{"A simulation no commit overlapped runs once", []bool{false}, false, 1, 0},
		{"A read-only simulation a commit overlapped runs again", []bool{true, false}, false, 2, 1},
		{"Runs stop after the attempts allowed", []bool{true, true, true, true}, false, simulationAttempts, simulationAttempts - 1},
		{"A simulation that writes runs once: MVCC validates its reads", []bool{true, false}, true, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runner := &countingRunner{}
			dones, made := 0, 0
			e := New(Config{
				Chaincodes: runner,
				NewSimulator: func(string) (Simulator, error) {
					sim := &staleSimulator{stale: tt.stale[made], writes: tt.writes, done: &dones}
					made++
					return sim, nil
				},
			})
			sim, response, _, err := e.simulate(context.Background(), proposal)
			require.NoError(t, err)
			require.EqualValues(t, 200, response.GetStatus())
			require.NotNil(t, sim)
			require.Equal(t, tt.wantRuns, runner.runs)
			require.Equal(t, tt.wantDones, dones, "every discarded simulation is ended")
		})
	}
}
