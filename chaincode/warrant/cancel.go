package warrant

// CancelRequest cancels an unregistered warrant (R14).
type CancelRequest struct {
	RequestID string `json:"requestId,omitempty" metadata:",optional"`
	WarrantID string `json:"warrantId"`
	Reason    string `json:"reason"`
}

// Cancel lets the debtor's issuer cancel a warrant that was never registered (ISSUED,
// VERIFIED or REJECTED), not frozen; the credit line is restored (R14, R4a).
func Cancel(st State, tx Tx, c Caller, req CancelRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "Cancel", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		if err := validateText("reason", req.Reason, true, 512); err != nil {
			return nil, Effects{}, err
		}
		old, err := loadWarrantArg(x, "warrantId", req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		_, err = requireDebtorIssuer(x, old.Debtor)
		if err != nil {
			return nil, Effects{}, err
		}
		if err := checkNotFrozen(old); err != nil {
			return nil, Effects{}, err
		}
		switch old.Status {
		case StatusIssued, StatusVerified, StatusRejected:
		default:
			return nil, Effects{}, newError(CodeInvalidState, "only an unregistered warrant can be cancelled",
				"warrantId", old.ID, "status", string(old.Status))
		}
		w := *old
		w.Status = StatusCancelled
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		if err := x.restoreCreditLine(w.Debtor, w.Amount); err != nil {
			return nil, Effects{}, err
		}
		s, err := loadSummary(x, w.RootID)
		if err != nil {
			return nil, Effects{}, err
		}
		s.Cancelled, s.Outstanding = true, 0
		if err := x.putSummary(s); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		return &w, Effects{Event: newEvent(EventCancelled, x.tx, ev)}, nil
	})
}
