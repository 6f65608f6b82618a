package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// tableWriter is a result that draws itself for -o table.
type tableWriter interface {
	writeTable(io.Writer) error
}

// print writes a result as indented JSON or, with -o table, as a table.
func (a *app) print(w io.Writer, v any) error {
	if a.output != "table" {
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Errorf("encode result: %w", err)
		}
		_, err = fmt.Fprintf(w, "%s\n", data)
		return err
	}
	if t, ok := v.(tableWriter); ok {
		return t.writeTable(w)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	switch r := v.(type) {
	case *warrant.Warrant:
		warrantDetails(tw, r)
	case *warrant.WarrantPage:
		warrantRows(tw, r.Items)
		if r.NextBookmark != "" {
			fmt.Fprintf(tw, "\nnext page: --bookmark %s\n", r.NextBookmark)
		}
	case *warrant.SplitResult:
		warrantRows(tw, append([]warrant.Warrant{r.Parent}, r.Children...))
	case *warrant.ReturnResult:
		warrantRows(tw, []warrant.Warrant{r.Part, r.Returned})
	case *warrant.SettleRootResult:
		warrantRows(tw, r.Settled)
		for _, s := range r.Skipped {
			fmt.Fprintf(tw, "skipped\t%s\t%s\t%s\n", s.WarrantID, s.Status, s.Reason)
		}
		fmt.Fprintln(tw)
		summaryDetails(tw, &r.Summary)
	case *warrant.RootSummary:
		summaryDetails(tw, r)
	case *warrant.PendingSettlementPage:
		fmt.Fprintln(tw, "ID\tHOLDER\tAMOUNT\tINTEREST\tPAYING BANK\tCONFIRM BY\tOVERDUE")
		for _, p := range r.Items {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%t\n", p.WarrantID, p.Holder, withYuan(p.Amount), withYuan(p.Interest),
				p.PayingBank, stamp(p.ConfirmBy), p.Overdue)
		}
		if r.Bookmark != "" {
			fmt.Fprintf(tw, "\nnext page: --bookmark %s\n", r.Bookmark)
		}
	case *warrant.CreditLine:
		pairs(tw, "Debtor", r.Debtor, "Financier", r.Financier, "Limit", withYuan(r.Limit),
			"Used", withYuan(r.Used), "Available", withYuan(r.Available()), "Updated", stamp(r.UpdatedAt))
	case []client.HistoryEntry:
		fmt.Fprintln(tw, "TIME\tTRANSACTION\tHOLDER\tAMOUNT\tSTATUS")
		for _, e := range r {
			if e.Warrant == nil {
				fmt.Fprintf(tw, "%s\t%s\t\t\tdeleted\n", stamp(e.Timestamp), e.TxID)
				continue
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s%s\n", stamp(e.Timestamp), e.TxID, e.Warrant.Holder, withYuan(e.Warrant.Amount), e.Warrant.Status, flags(*e.Warrant))
		}
	default:
		if err := genericDetails(tw, v); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// warrantDetails lists one warrant's fields, one per line.
func warrantDetails(w io.Writer, r *warrant.Warrant) {
	pairs(w, "ID", r.ID, "Root", r.RootID, "Parent", r.ParentID, "Depth", fmt.Sprint(r.Depth),
		"Debtor", r.Debtor, "Holder", r.Holder, "Amount", withYuan(r.Amount), "Status", string(r.Status)+flags(*r),
		"Registry no", r.RegistryNo, "Issued", stamp(r.IssuedAt), "Matures", stamp(r.MaturesAt))
	if r.Pledge != nil {
		pairs(w, "Pledge", fmt.Sprintf("%s %s %s", r.Pledge.Pledgee, withYuan(r.Pledge.Amount), r.Pledge.RegistryNo))
	}
	if r.Offer != nil {
		pairs(w, "Offered by", r.Offer.From, "Offer expires", stamp(r.Offer.ExpiresAt))
	}
	if r.Discount != nil {
		pairs(w, "Discount", fmt.Sprintf("%s paid %s; interest %s (%s pays, %dbp %s, %d days)", r.Discount.Bank,
			withYuan(r.Discount.Proceeds), withYuan(r.Discount.Interest), r.Discount.Payer, r.Discount.RateBP, r.Discount.DayCount, r.Discount.Days))
	}
	if r.Settlement != nil {
		pairs(w, "Settled", fmt.Sprintf("%s to %s, ref %s", withYuan(r.Settlement.Amount), r.Settlement.Payee, r.Settlement.PaymentRef))
		for _, share := range r.Settlement.Payees {
			pairs(w, "Payee", fmt.Sprintf("%s %s", share.Payee, withYuan(share.Amount)))
		}
		if c := r.Settlement.Confirmation; c != nil {
			pairs(w, "Confirmed", fmt.Sprintf("by %s via %s, %s", c.ConfirmedBy, c.Channel, stamp(c.At)))
		}
	}
}

// warrantRows lists warrants, one per row.
func warrantRows(w io.Writer, items []warrant.Warrant) {
	fmt.Fprintln(w, "ID\tHOLDER\tAMOUNT\tSTATUS\tMATURES")
	for _, r := range items {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s%s\t%s\n", r.ID, r.Holder, withYuan(r.Amount), r.Status, flags(r), stamp(r.MaturesAt))
	}
}

// summaryDetails lists a root's money view.
func summaryDetails(w io.Writer, s *warrant.RootSummary) {
	pairs(w, "Root", s.RootID, "Debtor", s.Debtor, "Face", withYuan(s.Face), "Settled", withYuan(s.Settled),
		"Outstanding", withYuan(s.Outstanding), "Overdue", withYuan(s.Overdue), "Settling", withYuan(s.Settling),
		"Interest due", withYuan(s.InterestDue), "Interest paid", withYuan(s.InterestPaid), "Settled leaves", fmt.Sprint(s.SettledLeaves),
		"Matures", stamp(s.MaturesAt), "Cancelled", fmt.Sprint(s.Cancelled), "As of", stamp(s.AsOf))
}

// pairs writes label/value pairs, skipping empty values.
func pairs(w io.Writer, kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			fmt.Fprintf(w, "%s\t%s\n", kv[i], kv[i+1])
		}
	}
}

// genericDetails lists the top-level JSON fields of any result in key order.
func genericDetails(w io.Writer, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		var list []json.RawMessage
		if err := json.Unmarshal(data, &list); err != nil {
			_, err = fmt.Fprintf(w, "%s\n", data)
			return err
		}
		for _, item := range list {
			fmt.Fprintln(w, plain(item))
		}
		return nil
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%s\t%s\n", k, plain(fields[k]))
	}
	return nil
}

// plain renders a JSON value without the quotes of a string.
func plain(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// stamp renders a time in UTC, or "" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// marshalList encodes a list, never as null.
func marshalList[T any](items []T) ([]byte, error) {
	if items == nil {
		items = []T{}
	}
	return json.Marshal(items)
}
