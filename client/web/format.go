package web

import (
	"html/template"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client/money"
)

// statusLabels are the bilingual labels of the statuses.
var statusLabels = map[warrant.Status]string{
	warrant.StatusIssued:            "已开立 Issued",
	warrant.StatusVerified:          "已验真 Verified",
	warrant.StatusActive:            "有效 Active",
	warrant.StatusSplit:             "已拆分 Split",
	warrant.StatusPendingAcceptance: "待签收 Pending acceptance",
	warrant.StatusPledged:           "已质押 Pledged",
	warrant.StatusSettled:           "已兑付 Settled",
	warrant.StatusRejected:          "验真未通过 Rejected",
	warrant.StatusCancelled:         "已撤销 Cancelled",
	warrant.StatusReturned:          "已退回 Returned",
}

func statusLabel(s warrant.Status) string {
	if label, ok := statusLabels[s]; ok {
		return label
	}
	return string(s)
}

// funcs are the template functions: money in yuan from integer fen, dates in UTC.
var funcs = template.FuncMap{
	"yuan":        money.WithSign,
	"statusLabel": statusLabel,
	"day": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02")
	},
	"stamp": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format(time.RFC3339)
	},
}
