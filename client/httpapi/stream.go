package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/scfledger/warrants/client"
)

// EventID is the id of an event in the stream and in webhooks: "<block>-<txid>". A
// transaction emits at most one chaincode event, so it is unique.
func EventID(e client.Event) string {
	return strconv.FormatUint(e.BlockNumber, 10) + "-" + e.TransactionID
}

// parseEventID splits an event id into its block and transaction.
func parseEventID(id string) (uint64, string, error) {
	blockText, txID, ok := strings.Cut(id, "-")
	block, err := strconv.ParseUint(blockText, 10, 64)
	if !ok || err != nil || txID == "" {
		return 0, "", NewProblem(codeInvalidArgument, "Last-Event-ID must be <block>-<transactionId>")
	}
	return block, txID, nil
}

// streamEvents serves the chaincode's events as Server-Sent Events, resuming after
// Last-Event-ID: it restarts at that event's block and skips the events up to it.
func (s *Server) streamEvents(w http.ResponseWriter, r *http.Request) {
	id, problem := s.IdentityFor(r, false)
	if problem != nil {
		s.Fail(w, r, "events", problem)
		return
	}
	var from uint64
	skipUntil := ""
	if last := r.Header.Get("Last-Event-ID"); last != "" {
		block, txID, err := parseEventID(last)
		if err != nil {
			s.Fail(w, r, "events", ProblemOf(err))
			return
		}
		from, skipUntil = block, txID
	} else if text := r.URL.Query().Get("fromBlock"); text != "" {
		block, err := strconv.ParseUint(text, 10, 64)
		if err != nil {
			s.Fail(w, r, "events", NewProblem(codeInvalidArgument, "fromBlock must be a block number"))
			return
		}
		from = block
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		s.Fail(w, r, "events", NewProblem(CodeUnavailable, "streaming is not supported by this connection"))
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	flusher.Flush()
	consumer := "stream:" + CallerOf(r.Context()).Name
	err := id.Client.ProcessEvents(r.Context(), "", func(_ context.Context, e client.Event) error {
		if skipUntil != "" {
			if e.BlockNumber == from {
				if e.TransactionID == skipUntil {
					skipUntil = ""
				}
				return nil
			}
			skipUntil = "" // the block held no such event: deliver what follows
		}
		data, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("encode event: %w", err)
		}
		if _, err := fmt.Fprintf(w, "id: %s\nevent: %s\ndata: %s\n\n", EventID(e), e.Name, data); err != nil {
			return fmt.Errorf("write event: %w", err)
		}
		flusher.Flush()
		s.observeEvent(consumer, e)
		return nil
	}, client.FromBlock(from))
	if err != nil && r.Context().Err() == nil {
		_, _ = fmt.Fprintf(w, "event: error\ndata: %q\n\n", err.Error())
		flusher.Flush()
	}
}

// observeEvent records an event's delivery lag and block for a consumer.
func (s *Server) observeEvent(consumer string, e client.Event) {
	s.opts.Metrics.eventsBlock.WithLabelValues(consumer).Set(float64(e.BlockNumber))
	if !e.Payload.Time.IsZero() {
		s.opts.Metrics.eventLag.WithLabelValues(consumer).Set(s.opts.Now().Sub(e.Payload.Time).Seconds())
	}
}
