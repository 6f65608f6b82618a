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
	EventTermsRecorded        = "warrant.termsRecorded"
	EventSettled              = "warrant.settled"
	EventRootSettled          = "warrant.rootSettled"
	EventFrozen               = "warrant.frozen"
	EventUnfrozen             = "warrant.unfrozen"
	// EventReplayed is emitted when a requestId is repeated: the original outcome is
	// returned and nothing else happens (R4b).
	EventReplayed = "warrant.replayed"
)

// EventPayload is the JSON payload of every event (R15, R17). Events reach every member
// of the channel, so a payload carries no more than the public registry shows: ids,
// status and registry number; never parties, amounts, terms, reasons or trade data.
// Parties learn the details by querying, which answers need-to-know (R20): the debtor's
// notice of assignment is a warrant.transferred, accepted or factored event about one
// of its warrants, followed by GetWarrant or ListByDebtor.
type EventPayload struct {
	TxID       string      `json:"txId"`
	Time       time.Time   `json:"time"`
	WarrantID  string      `json:"warrantId,omitempty"`
	RootID     string      `json:"rootId,omitempty"`
	Status     Status      `json:"status,omitempty"`
	RegistryNo string      `json:"registryNo,omitempty"`
	Parts      []EventPart `json:"parts,omitempty"`
	// Subject names what the event is about when it is not a warrant: an application
	// id, an enterprise or attestor of the public register, or an attestation's kind.
	Subject string `json:"subject,omitempty"`
}

// EventPart is one warrant touched by an event (split children, settled leaves, frozen
// subtree): its id and status.
type EventPart struct {
	ID     string `json:"id"`
	Status Status `json:"status,omitempty"`
}

// newEvent marshals the payload (which cannot fail for this struct) into an Event.
func newEvent(name string, tx Tx, p EventPayload) Event {
	p.TxID, p.Time = tx.ID, tx.Time
	b, _ := json.Marshal(p)
	return Event{Name: name, Payload: b}
}

// warrantEvent is the payload skeleton for an event about one warrant.
func warrantEvent(w *Warrant) EventPayload {
	return EventPayload{WarrantID: w.ID, RootID: w.RootID, Status: w.Status, RegistryNo: w.RegistryNo}
}

// partOf is the event entry of a warrant touched by an event.
func partOf(w *Warrant) EventPart { return EventPart{ID: w.ID, Status: w.Status} }
