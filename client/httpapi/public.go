package httpapi

import (
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// PublicRecord is what the public registry lookup (登记公示) shows of a registered
// warrant: its registration, debtor, face amount, maturity, status and pledge
// registration; never the holder, custody or the trade background. Anonymous lookups
// are answered as the server's public identity, so the server itself narrows them to
// this record and never widens what the public may read.
type PublicRecord struct {
	RegistryNo         string         `json:"registryNo"`
	WarrantID          string         `json:"warrantId"`
	RootID             string         `json:"rootId"`
	Debtor             string         `json:"debtor"`
	Status             warrant.Status `json:"status"`
	Amount             int64          `json:"amount"`
	Currency           string         `json:"currency"`
	MaturesAt          time.Time      `json:"maturesAt"`
	RegisteredAt       time.Time      `json:"registeredAt,omitzero"`
	PledgeRegistryNo   string         `json:"pledgeRegistryNo,omitempty"`
	Pledgee            string         `json:"pledgee,omitempty"`
	PledgeRegisteredAt time.Time      `json:"pledgeRegisteredAt,omitzero"`
}

// PublicRecordOf narrows a looked-up warrant to its public record.
func PublicRecordOf(w *warrant.Warrant) *PublicRecord {
	r := &PublicRecord{RegistryNo: w.RegistryNo, WarrantID: w.ID, RootID: w.RootID, Debtor: w.Debtor, Status: w.Status,
		Amount: w.Amount, Currency: w.Currency, MaturesAt: w.MaturesAt, RegisteredAt: w.RegisteredAt}
	if w.Pledge != nil {
		r.PledgeRegistryNo, r.Pledgee, r.PledgeRegisteredAt = w.Pledge.RegistryNo, w.Pledge.Pledgee, w.Pledge.RegisteredAt
	}
	return r
}

// publicLookup narrows a lookup's result to the public record.
func publicLookup(w *warrant.Warrant, err error) (*PublicRecord, error) {
	if err != nil {
		return nil, err
	}
	return PublicRecordOf(w), nil
}
