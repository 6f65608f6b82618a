package warrant

import "time"

// DefaultMaxClockSkew is how far a transaction's timestamp may be from the endorsing
// peer's clock unless the chaincode is configured otherwise (R19).
const DefaultMaxClockSkew = 5 * time.Minute

// CheckClockSkew refuses a transaction whose timestamp (the ledger time, chosen by the
// client) is more than maxSkew before or after now, the endorsing peer's clock (R19).
//
// The clock is used only to refuse: it never reaches a write, a result or an event, so
// every honest endorser that accepts a proposal writes the same thing whatever its clock
// reads. A client can no longer choose its ledger time freely: under a MAJORITY policy
// it needs endorsements of peers whose clocks agree with the timestamp.
func CheckClockSkew(txTime, now time.Time, maxSkew time.Duration) error {
	d := txTime.Sub(now)
	if d > maxSkew || -d > maxSkew {
		return newError(CodeClockSkew, "transaction timestamp is too far from the endorsing peer's clock",
			"txTime", txTime.UTC().Format(time.RFC3339Nano), "maxSkew", maxSkew.String())
	}
	return nil
}
