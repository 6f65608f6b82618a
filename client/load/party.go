package load

import (
	"errors"
	"fmt"
	"time"

	"github.com/scfledger/warrants/client"
)

// party is a member connected to its peer's gateway through the client library.
type party struct {
	Member
	client *client.Client
}

// connect opens a connection of its own for m.
func connect(m Member) (*party, error) {
	c, err := client.Connect(m.Config)
	if err != nil {
		return nil, fmt.Errorf("connect as %s: %w", m.Name, err)
	}
	return &party{Member: m, client: c}, nil
}

func (p *party) close() { _ = p.client.Close() }

// outcome is what became of one transaction.
type outcome struct {
	latency time.Duration
	// code is the validation code name of a committed but invalid transaction.
	code string
	// failure is why a transaction never committed ("endorse", "submit",
	// "commit status", "evaluate", "other"), with err the error.
	failure string
	err     error
}

// ok reports whether the transaction committed valid (or the query answered).
func (o outcome) ok() bool { return o.failure == "" && o.code == "" }

// outcomeOf classifies the result of one client call begun at start: valid, or
// committed invalid with a validation code, or failed at a step.
func outcomeOf(start time.Time, err error) outcome {
	if err == nil {
		return outcome{latency: time.Since(start)}
	}
	if code := client.CommitCode(err); code != "" {
		return outcome{code: code}
	}
	return outcome{failure: failedStep(err), err: err}
}

// failedStep names the step of a transaction at which err occurred.
func failedStep(err error) string {
	var endorseErr *client.EndorseError
	var submitErr *client.SubmitError
	var statusErr *client.CommitStatusError
	switch {
	case errors.As(err, &endorseErr):
		return "endorse"
	case errors.As(err, &submitErr):
		return "submit"
	case errors.As(err, &statusErr):
		return "commit status"
	default:
		return "other"
	}
}
