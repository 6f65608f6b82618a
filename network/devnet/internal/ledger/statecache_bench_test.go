package ledger

import (
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
)

// BenchmarkSimulationReads measures a simulation that reads the four keys a
// split-transfer reads, on a ledger of 10,000 keys, with the state cache and
// without it (capacity 0, every read reaching Pebble):
//
//	go test ./network/devnet/internal/ledger -run '^$' -bench BenchmarkSimulationReads
func BenchmarkSimulationReads(b *testing.B) {
	const keys = 10_000
	for _, capacity := range []int{stateCacheSize, 0} {
		b.Run(fmt.Sprintf("cache=%d", capacity), func(b *testing.B) {
			s := openStore(b, b.TempDir())
			s.cache = newStateCache(capacity)
			s.cache.reset(s.Height())
			for block := range 10 {
				envs := make([]*common.Envelope, 0, keys/10)
				for i := range keys / 10 {
					key := fmt.Sprintf("key%05d", block*keys/10+i)
					envs = append(envs, put(b, s, "tx-"+key, key, "a value of some length, as a warrant record is"))
				}
				commit(b, s, envs...)
			}
			b.ResetTimer()
			for i := range b.N {
				sim := s.NewSimulator("reader")
				for k := range 4 {
					_, err := sim.GetState(testNS, fmt.Sprintf("key%05d", (i*7+k*1013)%keys))
					require.NoError(b, err)
				}
				sim.Done()
			}
		})
	}
}
