package test

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// perfReport is what TestRealFabricSplitLoad measured, for people.
type perfReport struct {
	Size         perfSize
	BatchTimeout time.Duration
	BatchSize    int
	// LoadBefore and LoadAfter are the machine's load averages around the run.
	LoadBefore, LoadAfter string
	// Dev and Native are the split-transfer loads; Put the trivial chaincode's
	// and Shapes its Shape transactions' (native only). Native, Put and Shapes
	// are zero when FABRIC_BIN was not set.
	Dev, Native, Put networkFigures
	Shapes           []shapeFigures
}

// all lists every load that ran.
func (r *perfReport) all() []loadFigures {
	loads := []loadFigures{r.Dev.Light, r.Dev.Heavy}
	if r.Native.Heavy.Workers > 0 {
		loads = append(loads, r.Native.Light, r.Native.Heavy, r.Put.Light, r.Put.Heavy)
	}
	for _, shape := range r.Shapes {
		loads = append(loads, shape.Figures)
	}
	return loads
}

// String is the comparison as a table with the goals' ratios.
func (r *perfReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "blocks of %d transactions or %v on both networks; load average before %s, after %s\n",
		r.BatchSize, r.BatchTimeout, r.LoadBefore, r.LoadAfter)
	fmt.Fprintf(&b, "%-26s %-9s %7s %9s %8s %8s %8s %8s %7s %7s\n", "workload", "network", "clients", "committed",
		"tx/s", "p50 ms", "p95 ms", "invalid", "failed", "retried")
	row := func(workload, network string, f loadFigures) {
		fmt.Fprintf(&b, "%-26s %-9s %7d %9d %8.1f %8.1f %8.1f %8d %7d %7d\n", workload, network, f.Workers, f.Committed,
			f.TxPerSec, ms(f.P50), ms(f.P95), countAll(f.Invalid), f.Failed, f.Retried)
	}
	row("split-transfer, light", "dev", r.Dev.Light)
	row("split-transfer", "dev", r.Dev.Heavy)
	if r.Native.Heavy.Workers == 0 {
		b.WriteString("native real Fabric: not measured (FABRIC_BIN is not set)\n")
		return b.String()
	}
	row("split-transfer, light", "native", r.Native.Light)
	row("split-transfer", "native", r.Native.Heavy)
	row("put (benchcc), light", "native", r.Put.Light)
	row("put (benchcc)", "native", r.Put.Heavy)
	for _, shape := range r.Shapes {
		row(shape.Shape.Name, "native", shape.Figures)
	}
	fmt.Fprintf(&b, "(b) dev / native split-transfer throughput: %.2f (goal >= 3); p50 %.0f ms / %.0f ms; light-load p50 %.0f ms / %.0f ms\n",
		ratio(r.Dev.Heavy.TxPerSec, r.Native.Heavy.TxPerSec), ms(r.Dev.Heavy.P50), ms(r.Native.Heavy.P50),
		ms(r.Dev.Light.P50), ms(r.Native.Light.P50))
	fmt.Fprintf(&b, "(c) native split-transfer / put throughput: %.2f (goal >= 0.8); light-load p50 %.0f ms / %.0f ms\n",
		ratio(r.Native.Heavy.TxPerSec, r.Put.Heavy.TxPerSec), ms(r.Native.Light.P50), ms(r.Put.Light.P50))
	fmt.Fprintf(&b, "(c) read conflicts (MVCC_READ_CONFLICT + PHANTOM_READ_CONFLICT) / committed, %d clients on distinct warrants: %d / %d = %.4f\n",
		r.Native.Heavy.Workers, r.Native.Heavy.conflicts(), r.Native.Heavy.Committed,
		ratio(float64(r.Native.Heavy.conflicts()), float64(r.Native.Heavy.Committed)))
	for _, shape := range r.Shapes {
		s := shape.Shape
		fmt.Fprintf(&b, "(c) %s / put throughput: %.2f (benchcc Shape: %d reads in %d batches, %d documents of %d bytes, %d index entries written and %d deleted, result %d bytes, event %d bytes)\n",
			s.Name, ratio(shape.Figures.TxPerSec, r.Put.Heavy.TxPerSec), s.Reads, s.Batches, s.Docs, s.DocBytes, s.Markers, s.Deletes, s.ResultBytes, s.EventBytes)
	}
	b.WriteString("CPU ms per committed transaction on the native network (heavy loads):\n")
	columns := []loadFigures{r.Native.Heavy, r.Put.Heavy}
	fmt.Fprintf(&b, "  %-17s %8s %8s", "process", "split", "put")
	for i, shape := range r.Shapes {
		columns = append(columns, shape.Figures)
		fmt.Fprintf(&b, " %8s", fmt.Sprintf("shape %d", i+1))
	}
	b.WriteString("\n")
	groups := map[string]bool{}
	for _, column := range columns {
		for group := range column.CPU {
			groups[group] = true
		}
	}
	totals := make([]time.Duration, len(columns))
	for _, group := range slices.Sorted(maps.Keys(groups)) {
		fmt.Fprintf(&b, "  %-17s", group)
		for i, column := range columns {
			totals[i] += column.CPU[group]
			fmt.Fprintf(&b, " %8.2f", ms(column.CPU[group]))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "  %-17s", "total")
	for _, total := range totals {
		fmt.Fprintf(&b, " %8.2f", ms(total))
	}
	b.WriteString("\n")
	for i, shape := range r.Shapes {
		fmt.Fprintf(&b, "  shape %d: %s\n", i+1, shape.Shape.Name)
	}
	return b.String()
}

// ms is a duration in milliseconds.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ratio is a/b, or 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// countAll sums the counts of a map.
func countAll(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// loadAverage is the machine's 1, 5 and 15 minute load averages (/proc/loadavg).
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(data))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}

// clockTicks is the unit of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux).
const clockTicks = 100

// cpu is the CPU time (user and system) spent so far by the native network's
// processes, by group: the orderer, the peers, each chaincode, and this test
// process (the clients). The Fabric CAs are left out.
func (n *nativeNetwork) cpu(t *testing.T) map[string]time.Duration {
	t.Helper()
	spent := map[string]time.Duration{}
	files, err := filepath.Glob(filepath.Join(n.dir, "pids", "*.pid"))
	require.NoError(t, err)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".pid")
		group := name
		switch {
		case strings.HasPrefix(name, "ca-"):
			continue
		case strings.HasPrefix(name, "peer"):
			group = "peers (3)"
		case name == "chaincode":
			group = "warrant chaincode"
		}
		pid, err := os.ReadFile(file)
		require.NoError(t, err)
		used, err := processCPU(strings.TrimSpace(string(pid)))
		require.NoError(t, err, "CPU of %s", name)
		spent[group] += used
	}
	var self syscall.Rusage
	require.NoError(t, syscall.Getrusage(syscall.RUSAGE_SELF, &self))
	spent["clients (test)"] = time.Duration(self.Utime.Nano() + self.Stime.Nano())
	return spent
}

// processCPU reads the user and system CPU time of a process from /proc.
func processCPU(pid string) (time.Duration, error) {
	data, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces: the fields after it follow its ")".
	text := string(data)
	fields := strings.Fields(text[strings.LastIndexByte(text, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%s/stat: %d fields after the command", pid, len(fields))
	}
	var ticks int64
	for _, field := range fields[11:13] { // utime and stime, fields 14 and 15
		n, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%s/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// profilePeer saves a CPU profile of the org's peer over d into file, from the
// pprof endpoint `native up --bench` opens (base port +7, +8, +9 for core, bank,
// assoc).
func (n *nativeNetwork) profilePeer(id identity, d time.Duration, file string) error {
	offset := map[identity]int{core: 7, bank: 8, assoc: 9}[id]
	url := fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/profile?seconds=%d", n.basePort+offset, int(d.Seconds()))
	client := &http.Client{Timeout: d + 30*time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return fmt.Errorf("profile %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profile %s: %s", url, resp.Status)
	}
	out, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, resp.Body); err != nil {
		_ = out.Close()
		return fmt.Errorf("profile %s: %w", url, err)
	}
	return out.Close()
}
