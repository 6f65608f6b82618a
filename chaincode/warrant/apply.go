package warrant

import "time"

// ApplicationStatus is the state of a supplier's application (R4).
type ApplicationStatus string

// Application statuses.
const (
	ApplicationPending   ApplicationStatus = "PENDING"
	ApplicationConfirmed ApplicationStatus = "CONFIRMED"
	ApplicationDeclined  ApplicationStatus = "DECLINED"
)

// Application is a supplier's request that the debtor issue it a warrant (R4). It is not
// a warrant: the warrant exists, irrevocably, once the debtor confirms.
type Application struct {
	ID        string            `json:"id"`
	Debtor    string            `json:"debtor"`
	Applicant string            `json:"applicant"`
	Amount    int64             `json:"amount"`
	Currency  string            `json:"currency"`
	MaturesAt time.Time         `json:"maturesAt"`
	Trade     Trade             `json:"trade"`
	AppliedAt time.Time         `json:"appliedAt"`
	Status    ApplicationStatus `json:"status"`
	WarrantID string            `json:"warrantId,omitempty" metadata:",optional"`
	Reason    string            `json:"reason,omitempty" metadata:",optional"`
}

// ApplyRequest is a supplier's application for a warrant on the debtor.
type ApplyRequest struct {
	RequestID string    `json:"requestId,omitempty" metadata:",optional"`
	Debtor    string    `json:"debtor"`
	Amount    int64     `json:"amount"`
	Currency  string    `json:"currency,omitempty" metadata:",optional"`
	MaturesAt time.Time `json:"maturesAt"`
	Trade     Trade     `json:"trade"`
	// Documents are the trade documents, taken from the transient map (key "trade"),
	// never from the public arguments (R17).
	Documents *TradeDocuments `json:"-"`
}

// ApplicationDecisionRequest confirms or declines an application (the debtor's issuer).
type ApplicationDecisionRequest struct {
	RequestID     string `json:"requestId,omitempty" metadata:",optional"`
	ApplicationID string `json:"applicationId"`
	Reason        string `json:"reason,omitempty" metadata:",optional"`
}

// Apply records a holder's application; the same R4 terms as Issue are checked now and
// again at confirmation. It consumes no credit line.
func Apply(st State, tx Tx, c Caller, req ApplyRequest) (*Application, Effects, error) {
	return execute(st, tx, c, "Apply", req.RequestID, req, func(x *opCtx) (*Application, Effects, error) {
		applicant, err := requireActingEnterprise(x, c, RoleHolder)
		if err != nil {
			return nil, Effects{}, err
		}
		debtor, err := requireParty(x, "debtor", req.Debtor, RoleIssuer)
		if err != nil {
			return nil, Effects{}, err
		}
		t := rootTerms{holder: applicant.CreditCode, amount: req.Amount, currency: req.Currency, maturesAt: req.MaturesAt, trade: req.Trade}
		if _, _, err := x.validateTerms(debtor, t); err != nil {
			return nil, Effects{}, err
		}
		trade := req.Trade
		trade.Invoices = append([]Invoice(nil), req.Trade.Invoices...)
		if err := x.attachDocuments(&trade, req.Documents); err != nil {
			return nil, Effects{}, err
		}
		a := &Application{ID: applicationID(x.tx.ID), Debtor: debtor.CreditCode, Applicant: applicant.CreditCode,
			Amount: req.Amount, Currency: CurrencyCNY, MaturesAt: req.MaturesAt.UTC(), Trade: trade,
			AppliedAt: x.tx.Time, Status: ApplicationPending}
		if _, err := loadApplication(x, a.ID); err == nil {
			return nil, Effects{}, newError(CodeAlreadyExists, "application id already exists", "applicationId", a.ID)
		}
		if err := x.putApplication(a); err != nil {
			return nil, Effects{}, err
		}
		ev := EventPayload{Subject: a.ID}
		return a, Effects{Event: newEvent(EventApplied, x.tx, ev)}, nil
	})
}

// ConfirmApplication lets the debtor's issuer confirm an application: the warrant is
// created exactly as by Issue (R4, R4a) and the application records its id.
func ConfirmApplication(st State, tx Tx, c Caller, req ApplicationDecisionRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "ConfirmApplication", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		a, debtor, err := x.pendingApplication(req.ApplicationID)
		if err != nil {
			return nil, Effects{}, err
		}
		w, err := x.createRoot(debtor, rootTerms{holder: a.Applicant, amount: a.Amount, currency: a.Currency,
			maturesAt: a.MaturesAt, trade: a.Trade, fromApplication: true})
		if err != nil {
			return nil, Effects{}, err
		}
		a.Status, a.WarrantID = ApplicationConfirmed, w.ID
		if err := x.putApplication(a); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(w)
		ev.Subject = a.ID
		return w, Effects{Event: newEvent(EventConfirmed, x.tx, ev)}, nil
	})
}

// DeclineApplication lets the debtor's issuer decline an application with a reason.
func DeclineApplication(st State, tx Tx, c Caller, req ApplicationDecisionRequest) (*Application, Effects, error) {
	return execute(st, tx, c, "DeclineApplication", req.RequestID, req, func(x *opCtx) (*Application, Effects, error) {
		if err := validateText("reason", req.Reason, true, 512); err != nil {
			return nil, Effects{}, err
		}
		a, _, err := x.pendingApplication(req.ApplicationID)
		if err != nil {
			return nil, Effects{}, err
		}
		a.Status, a.Reason = ApplicationDeclined, req.Reason
		if err := x.putApplication(a); err != nil {
			return nil, Effects{}, err
		}
		ev := EventPayload{Subject: a.ID}
		return a, Effects{Event: newEvent(EventDeclined, x.tx, ev)}, nil
	})
}

// pendingApplication loads a PENDING application the caller may decide on.
func (x *opCtx) pendingApplication(id string) (*Application, *Enterprise, error) {
	if err := validateApplicationID(id); err != nil {
		return nil, nil, err
	}
	a, err := loadApplication(x, id)
	if err != nil {
		return nil, nil, err
	}
	debtor, err := requireDebtorIssuer(x, a.Debtor)
	if err != nil {
		return nil, nil, err
	}
	if a.Status != ApplicationPending {
		return nil, nil, newError(CodeInvalidState, "application is not pending", "applicationId", id, "status", string(a.Status))
	}
	return a, debtor, nil
}

// GetApplication returns an application by id to its applicant, its debtor and the
// association (R20).
func GetApplication(r StateReader, c Caller, id string) (*Application, error) {
	if err := validateApplicationID(id); err != nil {
		return nil, err
	}
	a, err := loadApplication(r, id)
	if err != nil {
		return nil, err
	}
	if err := authorizeOneOf(r, c, "only the applicant, the debtor and the association read an application (R20)",
		a.Applicant, a.Debtor); err != nil {
		return nil, err
	}
	return a, nil
}

func loadApplication(r StateReader, id string) (*Application, error) {
	key, err := ApplicationKey(id)
	if err != nil {
		return nil, err
	}
	var a Application
	found, err := getJSON(r, key, &a)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, newError(CodeNotFound, "application not found", "applicationId", id)
	}
	return &a, nil
}

func (x *opCtx) putApplication(a *Application) error {
	key, err := mustKey(objApplication, a.ID)
	if err != nil {
		return err
	}
	return x.putJSON(key, a)
}
