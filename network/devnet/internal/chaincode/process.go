package chaincode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// process is one run of a launched chaincode command.
type process struct {
	// stopGrace is how long the process may take to exit after SIGTERM
	// before its process group is killed.
	stopGrace time.Duration
	cmd       *exec.Cmd
	output    *prefixWriter
	exited    chan struct{}
	err       error
}

// launchEnv is the environment contract-api reads to start as a chaincode
// server: the listen address, the chaincode ID it registers with, plaintext.
func launchEnv(spec Spec) []string {
	env := append(os.Environ(),
		"CHAINCODE_SERVER_ADDRESS="+spec.Address,
		"CORE_CHAINCODE_ID_NAME="+spec.registerID(),
		"CORE_PEER_TLS_ENABLED=false",
	)
	return append(env, spec.Env...)
}

// startProcess launches spec.Command in its own process group, its output
// copied line by line to out behind a "[name] " prefix. On Linux the command
// is killed when this process dies.
func startProcess(spec Spec, out io.Writer, outMu *sync.Mutex, stopGrace time.Duration) (*process, error) {
	if len(spec.Command) == 0 {
		return nil, errors.New("no command to launch")
	}
	cmd := exec.Command(spec.Command[0], spec.Command[1:]...)
	cmd.Env = launchEnv(spec)
	w := &prefixWriter{out: out, mu: outMu, prefix: "[" + spec.Name + "] "}
	cmd.Stdout, cmd.Stderr = w, w
	cmd.WaitDelay = stopGrace
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("launch chaincode %s: %w", spec.Name, err)
	}
	p := &process{stopGrace: stopGrace, cmd: cmd, output: w, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		w.flush()
		close(p.exited)
	}()
	return p, nil
}

// stop terminates the process group, then kills it if it lingers.
func (p *process) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	terminateGroup(p.cmd)
	timer := time.NewTimer(p.stopGrace)
	defer timer.Stop()
	select {
	case <-p.exited:
	case <-timer.C:
		killGroup(p.cmd)
		<-p.exited
	}
}

// prefixWriter writes whole lines, each behind a prefix; mu is shared by all
// writers to the same output so lines of different chaincodes never mix.
type prefixWriter struct {
	out    io.Writer
	mu     *sync.Mutex
	prefix string
	buf    []byte
}

// Write buffers p and writes every complete line.
func (w *prefixWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		_, _ = fmt.Fprintf(w.out, "%s%s", w.prefix, w.buf[:i+1])
		w.buf = w.buf[i+1:]
	}
	return len(p), nil
}

// flush writes a last unterminated line.
func (w *prefixWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 {
		_, _ = fmt.Fprintf(w.out, "%s%s\n", w.prefix, w.buf)
		w.buf = nil
	}
}
