package devnet_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"
)

// page mirrors a page of the test chaincode's RangePage result.
type page struct {
	Records  []record `json:"records"`
	Count    int32    `json:"count"`
	Bookmark string   `json:"bookmark"`
}

func TestRangeQueries(t *testing.T) {
	t.Parallel()
	network := startNetwork(t, testConfig("MAJORITY Endorsement"), "")
	contract := connect(t, network, core, "User1")

	const total = 250
	key := func(i int) string { return fmt.Sprintf("r%03d", i) }
	putConcurrently(t, contract, total, func(i int) []string { return []string{key(i), "value-" + strconv.Itoa(i)} })
	_, err := contract.SubmitTransaction("Put", "s000", "after the range")
	require.NoError(t, err)

	want := func(from, to int) []record {
		records := []record{}
		for i := from; i < to; i++ {
			records = append(records, record{Key: key(i), Value: "value-" + strconv.Itoa(i)})
		}
		return records
	}

	t.Run("An unpaged range returns every key across several batches, in key order", func(t *testing.T) {
		var got []record
		evaluateJSON(t, contract, &got, "Range", "r", "s")
		require.Equal(t, want(0, total), got)
	})

	rangeTests := []struct {
		name       string
		start, end string
		want       []record
	}{
		{"A range includes its start and excludes its end", key(100), key(200), want(100, 200)},
		{"An empty start reads from the first key", "", key(3), want(0, 3)},
		{"A range without keys returns none", "q", "r", []record{}},
	}
	for _, tt := range rangeTests {
		t.Run(tt.name, func(t *testing.T) {
			var got []record
			evaluateJSON(t, contract, &got, "Range", tt.start, tt.end)
			require.Equal(t, tt.want, got)
		})
	}

	pageTests := []struct {
		name     string
		size     int
		bookmark string
		want     page
	}{
		{"The first page ends with a bookmark to the next key", 100, "", page{Records: want(0, 100), Count: 100, Bookmark: key(100)}},
		{"A page starts at its bookmark", 100, key(100), page{Records: want(100, 200), Count: 100, Bookmark: key(200)}},
		{"The last page is short and has no bookmark", 100, key(200), page{Records: want(200, total), Count: 50, Bookmark: ""}},
		{"A page larger than the range returns it whole", 1000, "", page{Records: want(0, total), Count: total, Bookmark: ""}},
	}
	for _, tt := range pageTests {
		t.Run(tt.name, func(t *testing.T) {
			var got page
			evaluateJSON(t, contract, &got, "RangePage", "r", "s", strconv.Itoa(tt.size), tt.bookmark)
			require.Equal(t, tt.want, got)
		})
	}

	t.Run("Following bookmarks visits every key once", func(t *testing.T) {
		var all []record
		bookmark := ""
		for range total {
			var got page
			evaluateJSON(t, contract, &got, "RangePage", "r", "s", "7", bookmark)
			all = append(all, got.Records...)
			if bookmark = got.Bookmark; bookmark == "" {
				break
			}
		}
		require.Equal(t, want(0, total), all)
	})
}

// putConcurrently submits count Puts, a few at a time, and waits for them all to commit.
func putConcurrently(t *testing.T, contract *client.Contract, count int, args func(i int) []string) {
	t.Helper()
	slots := make(chan struct{}, 25)
	var wg sync.WaitGroup
	for i := range count {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			_, commit, err := contract.SubmitAsync("Put", client.WithArguments(args(i)...))
			if !assertNoError(t, err) {
				return
			}
			status, err := commit.Status()
			if assertNoError(t, err) {
				assertValid(t, status)
			}
		}()
	}
	wg.Wait()
	require.False(t, t.Failed())
}
