//go:build linux

package chaincode_test

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
)

// supervisorHelperEnv makes TestSupervisorHelperProcess act as the
// supervising process of TestLaunchedChaincodeDiesWithItsSupervisor.
const supervisorHelperEnv = "CHAINCODE_TEST_SUPERVISOR_HELPER"

// launchedLine is what the launched command prints first, followed by its PID.
const launchedLine = "[sleeper] launched"

// TestLaunchedChaincodeDiesWithItsSupervisor runs a Supervisor in another
// process, has it launch a long-running command, kills that process with
// SIGKILL and requires the command to die as well. The command inherits the
// write end of a pipe (the helper leaves it open across exec), so the pipe's
// read end reports end-of-file only once the helper and the command are both
// gone.
func TestLaunchedChaincodeDiesWithItsSupervisor(t *testing.T) {
	held, holder, err := os.Pipe()
	require.NoError(t, err)
	defer held.Close()
	helper := exec.Command(os.Args[0], "-test.run=^TestSupervisorHelperProcess$")
	// TMPDIR keeps the helper's own test chaincode build in a directory this test removes.
	helper.Env = append(os.Environ(), supervisorHelperEnv+"=1", "TMPDIR="+t.TempDir())
	helper.ExtraFiles = []*os.File{holder}
	helper.Stderr = os.Stderr
	// The helper must not outlive this test either.
	helper.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := helper.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, helper.Start())
	require.NoError(t, holder.Close())
	t.Cleanup(func() {
		_ = helper.Process.Kill()
		_ = helper.Wait()
	})

	pid := launchedPID(t, stdout)
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	require.NoError(t, helper.Process.Signal(syscall.SIGKILL))
	_ = helper.Wait()

	require.NoError(t, held.SetReadDeadline(time.Now().Add(30*time.Second)))
	_, err = held.Read(make([]byte, 1))
	require.ErrorIs(t, err, io.EOF, "the launched command (PID %d) outlived its supervisor", pid)
}

// launchedPID reads the helper's output until the launched command reports
// its PID.
func launchedPID(t *testing.T, stdout io.Reader) int {
	t.Helper()
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), launchedLine+" "); ok {
			pid, err := strconv.Atoi(rest)
			require.NoError(t, err, lines.Text())
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return pid
		}
	}
	require.NoError(t, errors.Join(errors.New("the helper ended before launching"), lines.Err()))
	return 0
}

// TestSupervisorHelperProcess is the supervising process of
// TestLaunchedChaincodeDiesWithItsSupervisor; it does nothing otherwise.
func TestSupervisorHelperProcess(t *testing.T) {
	if os.Getenv(supervisorHelperEnv) != "1" {
		t.Skip("runs only as the helper process of TestLaunchedChaincodeDiesWithItsSupervisor")
	}
	s := chaincode.NewSupervisor(chaincode.WithOutput(os.Stdout))
	defer s.Close()
	require.NoError(t, s.Add(chaincode.Spec{
		Name:    "sleeper",
		Address: freeAddress(t),
		Command: []string{"sh", "-c", "echo launched $$; exec sleep 600"},
	}))
	// Runs until the test kills it.
	select {}
}
