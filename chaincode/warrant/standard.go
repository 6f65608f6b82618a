package warrant

// StandardVersion names the published warrant standard a stored warrant conforms to
// (R33): the JSON Schemas under docs/standard/ of the same version. Every write of a
// warrant records it.
const StandardVersion = "scf-warrant/1.0"

// Export is a root warrant and its lineage in the standard format (R33), as written by
// `warrantctl export` for another platform or a regulator.
type Export struct {
	Standard string       `json:"standard"`
	Root     Warrant      `json:"root"`
	Lineage  []Warrant    `json:"lineage"`
	Summary  *RootSummary `json:"summary,omitempty" metadata:",optional"`
}

// EventNames lists every event name the chaincode emits, in a fixed order (R15, R33).
var EventNames = []string{
	EventEnterpriseOnboarded, EventEnterpriseUpdated, EventEnterpriseSuspended, EventEnterpriseReinstated,
	EventParamsSet, EventCreditLineSet, EventIssued, EventApplied, EventConfirmed, EventDeclined, EventCancelled,
	EventVerified, EventRegistered, EventTransferred, EventAccepted, EventRejected, EventReclaimed,
	EventDeposited, EventWithdrawn, EventFinanceRequested, EventPledged, EventPledgeReleased, EventFactored,
	EventSettled, EventRootSettled, EventFrozen, EventUnfrozen, EventReplayed,
	EventAttestorAuthorized, EventAttested, EventInterestArranged, EventSettlementConfirmed,
	EventMemberRegistered, EventMemberSuspended, EventMemberReinstated,
	EventTermsRecorded,
}
