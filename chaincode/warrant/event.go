package warrant

import (
	"encoding/json"
	"time"
)

// Event is the one chaincode event a mutating operation emits (R15); the adapter passes
// Name and Payload to SetEvent.
type Event struct {
	Name    string `json:"name"`
	Payload []byte `json:"payload"`
}

// Event names, all "warrant.<verb>".
const (
	EventEnterpriseOnboarded  = "warrant.enterpriseOnboarded"
	EventEnterpriseUpdated    = "warrant.enterpriseUpdated"
	EventEnterpriseSuspended  = "warrant.enterpriseSuspended"
	EventEnterpriseReinstated = "warrant.enterpriseReinstated"
	EventParamsSet            = "warrant.paramsSet"
	EventCreditLineSet        = "warrant.creditLineSet"
	EventIssued               = "warrant.issued"
	EventApplied              = "warrant.applied"
	EventConfirmed            = "warrant.confirmed"
	EventDeclined             = "warrant.declined"
	EventCancelled            = "warrant.cancelled"
	EventVerified             = "warrant.verified"
	EventRegistered           = "warrant.registered"
	EventTransferred          = "warrant.transferred"
	EventAccepted             = "warrant.accepted"
	EventRejected             = "warrant.rejected"
	EventReclaimed            = "warrant.reclaimed"
	EventDeposited            = "warrant.deposited"
	EventWithdrawn            = "warrant.withdrawn"
	EventFinanceRequested     = "warrant.financeRequested"
	EventPledged              = "warrant.pledged"
	EventPledgeReleased       = "warrant.pledgeReleased"
	EventFactored             = "warrant.factored"
	EventSettled              = "warrant.settled"
	EventRootSettled          = "warrant.rootSettled"
	EventFrozen               = "warrant.frozen"
	EventUnfrozen             = "warrant.unfrozen"
	// EventReplayed is emitted when a requestId is repeated: the original outcome is
	// returned and nothing else happens (R4b).
	EventReplayed = "warrant.replayed"
)

// EventPayload is the JSON payload of every event: ids, amounts, parties, no private
// data (R15). Events about a warrant always name its debtor (notice of assignment).
type EventPayload struct {
	TxID       string      `json:"txId"`
	Time       time.Time   `json:"time"`
	Actor      string      `json:"actor,omitempty"`
	WarrantID  string      `json:"warrantId,omitempty"`
	RootID     string      `json:"rootId,omitempty"`
	Debtor     string      `json:"debtor,omitempty"`
	From       string      `json:"from,omitempty"`
	To         string      `json:"to,omitempty"`
	Amount     int64       `json:"amount,omitempty"`
	Status     Status      `json:"status,omitempty"`
	RegistryNo string      `json:"registryNo,omitempty"`
	Parts      []EventPart `json:"parts,omitempty"`
	Subject    string      `json:"subject,omitempty"` // enterprise, debtor of a credit line, request id
	Note       string      `json:"note,omitempty"`    // result, reason or payment reference
}

// EventPart is one warrant touched by an event (split children, settled leaves, frozen
// subtree).
type EventPart struct {
	ID     string `json:"id"`
	Holder string `json:"holder,omitempty"`
	Amount int64  `json:"amount,omitempty"`
	Status Status `json:"status,omitempty"`
}

// newEvent marshals the payload (which cannot fail for this struct) into an Event.
func newEvent(name string, tx Tx, p EventPayload) Event {
	p.TxID, p.Time = tx.ID, tx.Time
	b, _ := json.Marshal(p)
	return Event{Name: name, Payload: b}
}

// warrantEvent is the payload skeleton for an event about one warrant.
func warrantEvent(w *Warrant, actor string) EventPayload {
	return EventPayload{Actor: actor, WarrantID: w.ID, RootID: w.RootID, Debtor: w.Debtor,
		Amount: w.Amount, Status: w.Status, To: w.Holder}
}
