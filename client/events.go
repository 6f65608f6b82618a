package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	fabric "github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Event is one chaincode event of the warrant chaincode (R15), decoded.
type Event struct {
	// Name is the event name, "warrant.<verb>" (see the warrant.Event* constants).
	Name string `json:"name"`
	// BlockNumber is the block that committed the transaction.
	BlockNumber uint64 `json:"blockNumber"`
	// TransactionID is the transaction that emitted the event.
	TransactionID string `json:"transactionId"`
	// Payload is the decoded payload; zero if Raw is not a warrant event payload.
	Payload warrant.EventPayload `json:"payload"`
	// Raw is the payload as emitted.
	Raw json.RawMessage `json:"-"`
}

// EventHandler handles one event. An event is checkpointed only once its handler
// returns nil; an error stops processing without checkpointing that event.
type EventHandler func(context.Context, Event) error

// EventOption changes where event processing starts.
type EventOption func(*eventOptions)

type eventOptions struct {
	startBlock uint64
}

// FromBlock starts at the given block when the checkpoint is empty (default 0: every
// event since the channel began). A non-empty checkpoint always wins.
func FromBlock(n uint64) EventOption {
	return func(o *eventOptions) { o.startBlock = n }
}

// ProcessEvents delivers the chaincode's events to handle, in commit order, resuming
// after the position recorded in the checkpoint file at checkpointPath (created if
// absent; "" keeps no checkpoint). After each handled event the file records it, so a
// process that stops and calls ProcessEvents again with the same file receives every
// later event exactly once. It returns nil when ctx ends, the handler's error, or an
// error if the event stream breaks (call again to resume).
func (c *Client) ProcessEvents(ctx context.Context, checkpointPath string, handle EventHandler, opts ...EventOption) (err error) {
	o := eventOptions{}
	for _, opt := range opts {
		opt(&o)
	}
	streamOptions := []fabric.ChaincodeEventsOption{fabric.WithStartBlock(o.startBlock)}
	var checkpointer *fabric.FileCheckpointer
	if checkpointPath != "" {
		if checkpointer, err = fabric.NewFileCheckpointer(checkpointPath); err != nil {
			return fmt.Errorf("open event checkpoint: %w", err)
		}
		defer func() {
			err = errors.Join(err, checkpointer.Sync(), checkpointer.Close())
		}()
		streamOptions = append(streamOptions, fabric.WithCheckpoint(checkpointer))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events, err := c.network.ChaincodeEvents(ctx, c.chaincode, streamOptions...)
	if err != nil {
		return fmt.Errorf("subscribe to chaincode events: %w", err)
	}
	// The SDK's delivery goroutine ends only once its channel is drained after the
	// stream closes; drain it on the way out so that it cannot leak.
	defer func() {
		cancel()
		go func() {
			for range events {
			}
		}()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case raw, ok := <-events:
			if !ok {
				if ctx.Err() != nil {
					return nil
				}
				return errors.New("chaincode event stream ended")
			}
			if ctx.Err() != nil {
				// Stopped while this event was in flight: leave it unhandled and
				// unrecorded, for the next run.
				return nil
			}
			event := decodeEvent(raw)
			if err := handle(ctx, event); err != nil {
				return fmt.Errorf("handle event %s of transaction %s: %w", event.Name, event.TransactionID, err)
			}
			if checkpointer != nil {
				if err := checkpointer.CheckpointChaincodeEvent(raw); err != nil {
					return fmt.Errorf("checkpoint event: %w", err)
				}
			}
		}
	}
}

func decodeEvent(raw *fabric.ChaincodeEvent) Event {
	event := Event{Name: raw.EventName, BlockNumber: raw.BlockNumber, TransactionID: raw.TransactionID, Raw: raw.Payload}
	if err := json.Unmarshal(raw.Payload, &event.Payload); err != nil {
		event.Payload = warrant.EventPayload{}
	}
	return event
}

// Details returns the warrant an event is about, as this client's identity may read it
// now: the query half of a notice. Events reach every member and tell only that
// something happened to which warrant (R15); the parties learn what by querying, and a
// debtor receives its notice of assignment this way (R20). It returns nil, without
// error, when the event names no warrant or the identity is not a party of its tree.
func (c *Client) Details(ctx context.Context, e Event) (*warrant.Warrant, error) {
	id := e.Payload.WarrantID
	if id == "" {
		id = e.Payload.RootID
	}
	if id == "" {
		return nil, nil
	}
	w, err := c.GetWarrant(ctx, id)
	if Code(err) == warrant.CodeForbidden {
		return nil, nil
	}
	return w, err
}
