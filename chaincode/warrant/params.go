package warrant

import "time"

// Hard limits no parameter may exceed.
const (
	// MaxTenorHardLimitDays: a warrant never runs longer than one year (银发〔2025〕77号).
	MaxTenorHardLimitDays = 365
	// MaxPartsHardLimit: a split never has more than 100 parts (R7).
	MaxPartsHardLimit = 100
	// MaxDepthHardLimit bounds the lineage depth parameter.
	MaxDepthHardLimit = 64
	// MaxAmountCap bounds the amount cap parameter (1e15 fen).
	MaxAmountCap = int64(1e15)
)

// Params are the network's rule parameters, set by an admin.
type Params struct {
	AmountCap            int64 `json:"amountCap"`            // fen, R4
	MaxTenorDays         int   `json:"maxTenorDays"`         // R4
	MinUnit              int64 `json:"minUnit"`              // fen, R7
	MaxParts             int   `json:"maxParts"`             // R7
	MaxDepth             int   `json:"maxDepth"`             // R7
	AcceptanceWindowDays int   `json:"acceptanceWindowDays"` // R8
	// RequiredAttestations are the kinds of independent source a warrant needs before
	// it can be VERIFIED (R30); at least two.
	RequiredAttestations []AttestationKind `json:"requiredAttestations,omitempty" metadata:",optional"`
	// ConfirmationWindowDays: a settlement unconfirmed this long is overdue (R32).
	ConfirmationWindowDays int       `json:"confirmationWindowDays,omitempty" metadata:",optional"`
	UpdatedAt              time.Time `json:"updatedAt,omitzero" metadata:",optional"`
}

// DefaultParams are in force until an admin sets parameters.
func DefaultParams() Params {
	return Params{AmountCap: 1e11, MaxTenorDays: 183, MinUnit: 1, MaxParts: 100, MaxDepth: 20, AcceptanceWindowDays: 7,
		RequiredAttestations: DefaultRequiredAttestations(), ConfirmationWindowDays: DefaultConfirmationWindowDays}
}

// Validate checks every parameter against its hard limit.
func (p Params) Validate() error {
	bad := func(field string) error {
		return newError(CodeInvalidArgument, "parameter out of range", "field", field)
	}
	switch {
	case p.AmountCap < 1 || p.AmountCap > MaxAmountCap:
		return bad("amountCap")
	case p.MaxTenorDays < 1 || p.MaxTenorDays > MaxTenorHardLimitDays:
		return bad("maxTenorDays")
	case p.MinUnit < 1 || p.MinUnit > p.AmountCap:
		return bad("minUnit")
	case p.MaxParts < 1 || p.MaxParts > MaxPartsHardLimit:
		return bad("maxParts")
	case p.MaxDepth < 1 || p.MaxDepth > MaxDepthHardLimit:
		return bad("maxDepth")
	case p.AcceptanceWindowDays < 1 || p.AcceptanceWindowDays > 365:
		return bad("acceptanceWindowDays")
	}
	return p.validatePolicy()
}

// SetParams replaces the parameters (admin).
func SetParams(st State, tx Tx, c Caller, req Params) (*Params, Effects, error) {
	return execute(st, tx, c, "SetParams", "", req, func(x *opCtx) (*Params, Effects, error) {
		if err := requireRole(x, c, RoleAdmin); err != nil {
			return nil, Effects{}, err
		}
		p := req.withPolicyDefaults()
		if err := p.Validate(); err != nil {
			return nil, Effects{}, err
		}
		p.UpdatedAt = x.tx.Time
		if err := x.putJSON(ParamsKey(), p); err != nil {
			return nil, Effects{}, err
		}
		return &p, Effects{Event: newEvent(EventParamsSet, x.tx, EventPayload{})}, nil
	})
}

// GetParams returns the parameters in force (the defaults if never set).
func GetParams(r StateReader) (*Params, error) {
	p := DefaultParams()
	if _, err := getJSON(r, ParamsKey(), &p); err != nil {
		return nil, err
	}
	p = p.withPolicyDefaults()
	return &p, nil
}
