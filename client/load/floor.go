package load

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Signature work of one endorsed transaction, with a policy of two endorsements
// out of three orgs and three validating peers (ECDSA P-256 over SHA-256
// throughout, as the networks and the fabric-gateway client do):
//
//	signs:    client signs the proposal, the prepared envelope and the commit
//	          status request (3); each of the 2 endorsing peers signs its
//	          endorsement (2)                                            = 5
//	verifies: on Fabric, each of the 2 endorsing peers verifies the proposal
//	          (2); the orderer verifies the envelope (1); each of the 3
//	          validating peers verifies the creator's signature and both
//	          endorsements (3×3); the gateway verifies the commit status
//	          request (1)                                               = 13
//
// The dev network's peers and orderer share one process and a memo of the
// signatures verified in it, so there each distinct signature is verified once:
// the proposal, the envelope, the 2 endorsements and the commit status
// request = 5. Certificates are validated once per identity and cached, so
// they add nothing per transaction.
const (
	SignsPerTx = 5
	// FabricVerifiesPerTx is the verifications of a network of separate peers.
	FabricVerifiesPerTx = 13
	// SharedVerifiesPerTx is the verifications of the dev network.
	SharedVerifiesPerTx = 5
)

// Floor is the throughput the signature work alone allows on this machine.
type Floor struct {
	// Cores is GOMAXPROCS, the cores the rates were measured on.
	Cores int `json:"cores"`
	// SignsPerSecond and VerifiesPerSecond are aggregate rates over all cores.
	SignsPerSecond    float64 `json:"signs_per_second"`
	VerifiesPerSecond float64 `json:"verifies_per_second"`
	// SignMicros and VerifyMicros are the time of one operation on one core.
	SignMicros   float64 `json:"sign_us"`
	VerifyMicros float64 `json:"verify_us"`
	// Signs and Verifies are the operations one transaction needs.
	Signs    int `json:"signs_per_tx"`
	Verifies int `json:"verifies_per_tx"`
	// TPS = 1 / (signs/signRate + verifies/verifyRate): the transactions per
	// second if every core did nothing but the signature work.
	TPS float64 `json:"tps"`
}

// MeasureFloor measures ECDSA P-256 sign and verify rates with one goroutine per
// core for about d each, and computes the floor for SignsPerTx and the given
// verifications per transaction.
// Measuring on all cores at once folds in whatever else the machine is running.
func MeasureFloor(d time.Duration, verifies int) (Floor, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Floor{}, fmt.Errorf("generate key: %w", err)
	}
	message := []byte("a proposal response payload of typical length, signed and verified")
	digest := sha256.Sum256(message)
	signature, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		return Floor{}, fmt.Errorf("sign: %w", err)
	}
	cores := runtime.GOMAXPROCS(0)
	signRate := parallelRate(cores, d, func() {
		digest := sha256.Sum256(message)
		_, _ = ecdsa.SignASN1(rand.Reader, key, digest[:])
	})
	verifyRate := parallelRate(cores, d, func() {
		digest := sha256.Sum256(message)
		_ = ecdsa.VerifyASN1(&key.PublicKey, digest[:], signature)
	})
	return newFloor(cores, signRate, verifyRate, verifies), nil
}

// newFloor computes the floor from aggregate rates.
func newFloor(cores int, signRate, verifyRate float64, verifies int) Floor {
	f := Floor{Cores: cores, SignsPerSecond: signRate, VerifiesPerSecond: verifyRate, Signs: SignsPerTx, Verifies: verifies}
	if signRate > 0 && verifyRate > 0 {
		f.SignMicros = float64(cores) / signRate * 1e6
		f.VerifyMicros = float64(cores) / verifyRate * 1e6
		f.TPS = 1 / (float64(f.Signs)/signRate + float64(f.Verifies)/verifyRate)
	}
	return f
}

// parallelRate runs op on n goroutines for about d and returns operations per second.
func parallelRate(n int, d time.Duration, op func()) float64 {
	var count atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				op()
				count.Add(1)
			}
		}()
	}
	time.Sleep(d)
	stop.Store(true)
	wg.Wait()
	return float64(count.Load()) / time.Since(start).Seconds()
}
