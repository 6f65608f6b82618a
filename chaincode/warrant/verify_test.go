package warrant

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestVerify(t *testing.T) {
	t.Run("Verifies a consistent trade (R5)", func(t *testing.T) {
		e := newEnv(t)
		w := e.issue(codeT1A, 1000)
		e.attest(w.ID)
		v, eff, err := Verify(e.st, e.tx(), e.as(codeAssoc), VerifyRequest{WarrantID: w.ID, EvidenceHash: hashOf("e"), Passed: true})
		require.NoError(t, err)
		require.Equal(t, StatusVerified, v.Status)
		require.Equal(t, VerificationPassed, v.Verification.Result)
		require.Equal(t, codeAssoc, v.Verification.Verifier)
		require.Equal(t, EventVerified, eff.Event.Name)
	})
	findings := []struct {
		name   string
		trade  func(e *env) Trade
		reason string
	}{
		{"Rejects an invoice whose buyer is not the debtor", func(e *env) Trade {
			tr := e.trade(codeT1A, 1000)
			tr.Invoices[0].Buyer = codeT1B
			return tr
		}, "buyer is not the debtor"},
		{"Rejects an invoice whose seller is not the holder", func(e *env) Trade { return e.trade(codeT2A, 1000) }, "seller is not the first holder"},
		{"Rejects invoices short of the amount", func(e *env) Trade { return e.trade(codeT1A, 400, 500) }, "less than the amount"},
	}
	for _, tc := range findings {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			r := e.issueReq(codeT1A, 1000)
			r.Trade = tc.trade(e)
			w, _, err := Issue(e.st, e.tx(), e.as(codeCore), r)
			require.NoError(t, err)
			e.attest(w.ID)
			v, _, err := Verify(e.st, e.tx(), e.as(codeAssoc), VerifyRequest{WarrantID: w.ID, EvidenceHash: hashOf("e"), Passed: true})
			require.NoError(t, err)
			require.Equal(t, StatusRejected, v.Status)
			require.Len(t, v.Verification.Reasons, 1)
			require.Contains(t, v.Verification.Reasons[0], tc.reason)
		})
	}
	t.Run("Rejects an invoice already registered to another warrant", func(t *testing.T) {
		e := newEnv(t)
		first := e.active(codeT1A, 1000)
		r := e.issueReq(codeT1A, 1000)
		r.Trade.Invoices = first.Trade.Invoices
		w, _, err := Issue(e.st, e.tx(), e.as(codeCore), r)
		require.NoError(t, err)
		e.attest(w.ID)
		v, _, err := Verify(e.st, e.tx(), e.as(codeAssoc), VerifyRequest{WarrantID: w.ID, EvidenceHash: hashOf("e"), Passed: true})
		require.NoError(t, err)
		require.Equal(t, StatusRejected, v.Status)
		require.Len(t, v.Verification.Reasons, 2, "invoice and document")
	})
	t.Run("Rejects related parties found at verification", func(t *testing.T) {
		e := newEnv(t)
		w := e.issue(codeT1A, 1000)
		_, _, err := UpdateEnterprise(e.st, e.tx(), e.as(codeAssoc), UpdateEnterpriseRequest{CreditCode: codeT1A, Controller: "huaxin-group"})
		require.NoError(t, err)
		e.attest(w.ID)
		v, _, err := Verify(e.st, e.tx(), e.as(codeAssoc), VerifyRequest{WarrantID: w.ID, EvidenceHash: hashOf("e"), Passed: true})
		require.NoError(t, err)
		require.Equal(t, []string{"holder and debtor are related parties"}, v.Verification.Reasons)
	})
	t.Run("Records the verifier's own failure with reasons", func(t *testing.T) {
		e := newEnv(t)
		w := e.issue(codeT1A, 1000)
		v, _, err := Verify(e.st, e.tx(), e.as(codeAssoc), VerifyRequest{WarrantID: w.ID, EvidenceHash: hashOf("e"), Reasons: []string{"delivery note missing"}})
		require.NoError(t, err)
		require.Equal(t, StatusRejected, v.Status)
		require.Equal(t, []string{"delivery note missing"}, v.Verification.Reasons)
	})
	rejections := []struct {
		name string
		want Code
		call func(e *env, id string) error
	}{
		{"Rejects a non-verifier", CodeForbidden, func(e *env, id string) error {
			_, _, err := Verify(e.st, e.tx(), e.as(codeBank), VerifyRequest{WarrantID: id, EvidenceHash: hashOf("e"), Passed: true})
			return err
		}},
		{"Rejects a failure without reasons", CodeInvalidArgument, func(e *env, id string) error {
			_, _, err := Verify(e.st, e.tx(), e.as(codeAssoc), VerifyRequest{WarrantID: id, EvidenceHash: hashOf("e")})
			return err
		}},
		{"Rejects a bad evidence hash", CodeInvalidArgument, func(e *env, id string) error {
			_, _, err := Verify(e.st, e.tx(), e.as(codeAssoc), VerifyRequest{WarrantID: id, EvidenceHash: "abc", Passed: true})
			return err
		}},
		{"Rejects a second verification", CodeInvalidState, func(e *env, id string) error {
			_, _, err := Verify(e.st, e.tx(), e.as(codeAssoc), VerifyRequest{WarrantID: id, EvidenceHash: hashOf("e"), Passed: true})
			return err
		}},
		{"Rejects registering an unverified warrant (R6)", CodeInvalidState, func(e *env, id string) error {
			_, _, err := Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: id})
			return err
		}},
		{"Rejects registering by a non-registrar (R6)", CodeForbidden, func(e *env, id string) error {
			_, _, err := Register(e.st, e.tx(), NewCaller(MSPAssociation, codeT1A, "verifier"), RegisterRequest{WarrantID: id})
			return err
		}},
		{"Rejects registering a matured warrant", CodeMatured, func(e *env, id string) error {
			e.now = e.now.AddDate(0, 4, 0)
			_, _, err := Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: id})
			return err
		}},
	}
	for _, tc := range rejections {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.issue(codeT1A, 1000)
			if strings.Contains(tc.name, "second") || strings.Contains(tc.name, "registering by") || strings.Contains(tc.name, "matured") {
				e.verify(w.ID)
			}
			e.rejects(tc.want, func(e *env) error { return tc.call(e, w.ID) })
		})
	}
}

func TestRegister(t *testing.T) {
	t.Run("Registers with a deterministic number and indexes (R6)", func(t *testing.T) {
		e := newEnv(t)
		w := e.issue(codeT1A, 1000)
		e.verify(w.ID)
		r, eff, err := Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: w.ID})
		require.NoError(t, err)
		require.Equal(t, StatusActive, r.Status)
		require.Equal(t, registryNo(w.ID, e.now), r.RegistryNo)
		require.Equal(t, EventRegistered, eff.Event.Name)
		inv := w.Trade.Invoices[0]
		for _, lookup := range []func() (*RegistryEntry, error){
			func() (*RegistryEntry, error) { return LookupInvoice(e.st, inv.Code, inv.Number) },
			func() (*RegistryEntry, error) { return LookupDocument(e.st, inv.DocumentHash) },
			func() (*RegistryEntry, error) { return LookupRegistryNo(e.st, r.RegistryNo) },
		} {
			got, err := lookup()
			require.NoError(t, err)
			require.Equal(t, RegistryEntry{Registered: true, RegistryNo: r.RegistryNo, Status: StatusActive,
				Amount: w.Amount, MaturesAt: w.MaturesAt}, *got, "only the public entry, no parties (R20)")
		}
	})
	t.Run("Rejects lookups of an invoice in a padded or malformed format (R6)", func(t *testing.T) {
		e := newEnv(t)
		inv := e.active(codeT1A, 1000).Trade.Invoices[0]
		for _, key := range [][2]string{{"0" + inv.Code, inv.Number}, {inv.Code, "0" + inv.Number}, {"", inv.Number}, {inv.Code, "12ab"}} {
			_, err := LookupInvoice(e.st, key[0], key[1])
			require.Equal(t, CodeInvalidArgument, ErrorCode(err), "code %q number %q", key[0], key[1])
		}
	})
	t.Run("First to register wins (R6)", func(t *testing.T) {
		e := newEnv(t)
		a := e.issue(codeT1A, 1000)
		r := e.issueReq(codeT1A, 1000)
		r.Trade.Invoices = a.Trade.Invoices
		b, _, err := Issue(e.st, e.tx(), e.as(codeCore), r)
		require.NoError(t, err)
		e.verify(a.ID)
		e.verify(b.ID) // both verified before either registered
		_, _, err = Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: a.ID})
		require.NoError(t, err)
		e.rejects(CodeAlreadyRegistered, func(e *env) error {
			_, _, err := Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: b.ID})
			return err
		})
	})
}
