package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// operation is one REST endpoint calling one contract function. The table of
// operations drives both the routes and the OpenAPI document, so they cannot differ.
type operation struct {
	ID       string
	Method   string
	Path     string
	Summary  string
	Tag      string
	Public   bool         // answered for anonymous callers as the server's public identity
	Mutation bool         // submitted as a transaction (its latency is commit latency)
	Request  reflect.Type // JSON body of a mutation or a verification; nil for other queries
	Response reflect.Type
	Query    []queryParam
	call     func(ctx context.Context, c *client.Client, r *http.Request, body []byte) (any, error)
}

// queryParam is a query-string parameter of a query operation.
type queryParam struct {
	Name, Type, Description string
}

var pageParams = []queryParam{
	{"pageSize", "integer", "items per page, 1..100 (default 20)"},
	{"bookmark", "string", "nextBookmark of the previous page"},
}

// mutation is an operation submitting a JSON request. Path wildcards are fields of the
// request; the Idempotency-Key header is its requestId.
func mutation[Req, Res any](tag, id, path, summary string, call func(*client.Client, context.Context, Req) (*Res, error)) operation {
	return operation{ID: id, Method: http.MethodPost, Path: path, Summary: summary, Tag: tag, Mutation: true,
		Request: reflect.TypeFor[Req](), Response: reflect.TypeFor[Res](),
		call: func(ctx context.Context, c *client.Client, r *http.Request, body []byte) (any, error) {
			var req Req
			if err := bindRequest(r, path, body, &req); err != nil {
				return nil, err
			}
			return call(c, ctx, req)
		}}
}

// query is an operation evaluating a query.
func query[Res any](tag, id, path, summary string, params []queryParam, call func(ctx context.Context, c *client.Client, r *http.Request) (Res, error)) operation {
	return operation{ID: id, Method: http.MethodGet, Path: path, Summary: summary, Tag: tag, Query: params,
		Response: reflect.TypeFor[Res](),
		call: func(ctx context.Context, c *client.Client, r *http.Request, _ []byte) (any, error) {
			return call(ctx, c, r)
		}}
}

// public marks a query answered for anonymous callers.
func public(op operation) operation {
	op.Public = true
	return op
}

// operations lists every endpoint of the contract functions and queries.
var operations = []operation{
	mutation("admin", "onboardEnterprise", "/v1/enterprises", "Onboard an enterprise (admin, R3)", (*client.Client).OnboardEnterprise),
	mutation("admin", "updateEnterprise", "/v1/enterprises/{creditCode}/update", "Change an enterprise's name, roles or controller (admin)", (*client.Client).UpdateEnterprise),
	mutation("admin", "suspendEnterprise", "/v1/enterprises/{creditCode}/suspend", "Suspend an enterprise (admin)", (*client.Client).SuspendEnterprise),
	mutation("admin", "reinstateEnterprise", "/v1/enterprises/{creditCode}/reinstate", "Lift a suspension (admin)", (*client.Client).ReinstateEnterprise),
	mutation("admin", "initLedger", "/v1/ledger/init", "Register the association as the first member, once (the configured association MSP's admin, R34)", (*client.Client).InitLedger),
	mutation("admin", "registerMember", "/v1/members", "Register a member org: MSP ID, kind, name (admin, R34)", (*client.Client).RegisterMember),
	mutation("admin", "suspendMember", "/v1/members/{mspId}/suspend", "Suspend a member org: its identities then write nothing (admin, R34)", (*client.Client).SuspendMember),
	mutation("admin", "reinstateMember", "/v1/members/{mspId}/reinstate", "Lift a member org's suspension (admin, R34)", (*client.Client).ReinstateMember),
	mutation("admin", "setParams", "/v1/params", "Set the chaincode parameters (admin)", (*client.Client).SetParams),
	mutation("admin", "setCreditLine", "/v1/credit-lines", "Set a core enterprise's issuance line (financier, R4a)", (*client.Client).SetCreditLine),
	mutation("issuance", "issue", "/v1/warrants", "Issue a warrant (the debtor's issuer, R4); documents go to the trade documents collection (R17)",
		func(c *client.Client, ctx context.Context, req IssueWithDocumentsRequest) (*warrant.Warrant, error) {
			req.IssueRequest.Documents = req.Documents
			return c.Issue(ctx, req.IssueRequest)
		}),
	mutation("issuance", "apply", "/v1/applications", "Apply for a warrant (a supplier); documents as for issue (R17)",
		func(c *client.Client, ctx context.Context, req ApplyWithDocumentsRequest) (*warrant.Application, error) {
			req.ApplyRequest.Documents = req.Documents
			return c.Apply(ctx, req.ApplyRequest)
		}),
	mutation("issuance", "confirmApplication", "/v1/applications/{applicationId}/confirm", "Confirm an application, issuing the warrant (确权)", (*client.Client).ConfirmApplication),
	mutation("issuance", "declineApplication", "/v1/applications/{applicationId}/decline", "Decline an application", (*client.Client).DeclineApplication),
	mutation("issuance", "cancel", "/v1/warrants/{warrantId}/cancel", "Cancel an unregistered warrant (R14)", (*client.Client).Cancel),
	mutation("registry", "verify", "/v1/warrants/{warrantId}/verify", "Record the verification of the trade background (验真, R5)", (*client.Client).Verify),
	mutation("registry", "register", "/v1/warrants/{warrantId}/register", "Register a verified warrant (登记, R6)", (*client.Client).Register),
	mutation("transfer", "splitTransfer", "/v1/warrants/{warrantId}/split", "Split a warrant into parts offered to recipients (拆分流转, R7)", (*client.Client).SplitTransfer),
	mutation("transfer", "accept", "/v1/warrants/{warrantId}/accept", "Accept an offered part (签收, R8)", (*client.Client).Accept),
	mutation("transfer", "reject", "/v1/warrants/{warrantId}/reject", "Reject an offered part (R8)", (*client.Client).Reject),
	mutation("transfer", "reclaim", "/v1/warrants/{warrantId}/reclaim", "Take back an expired offer (R8)", (*client.Client).Reclaim),
	mutation("custody", "deposit", "/v1/warrants/{warrantId}/deposit", "Deposit a warrant with a custodian bank (托管, R10)", (*client.Client).Deposit),
	mutation("custody", "releaseCustody", "/v1/warrants/{warrantId}/release-custody", "End custody (the custodian, R10)", (*client.Client).ReleaseCustody),
	mutation("finance", "requestFinancing", "/v1/warrants/{warrantId}/request-financing", "Ask a bank to finance a warrant (R11)", (*client.Client).RequestFinancing),
	mutation("finance", "pledge", "/v1/warrants/{warrantId}/pledge", "Take a registered pledge (质押, R11); terms are first recorded in the bank's implicit collection (R17)",
		func(c *client.Client, ctx context.Context, req PledgeWithTermsRequest) (*warrant.Warrant, error) {
			hash, err := recordTerms(ctx, c, req.Terms, req.TermsHash)
			if err != nil {
				return nil, err
			}
			req.PledgeRequest.TermsHash = hash
			return c.Pledge(ctx, req.PledgeRequest)
		}),
	mutation("finance", "releasePledge", "/v1/warrants/{warrantId}/release-pledge", "Release a pledge (R11)", (*client.Client).ReleasePledge),
	mutation("finance", "factor", "/v1/warrants/{warrantId}/factor", "Factor a warrant: the bank becomes its holder (保理, R11); terms as for pledge (R17)",
		func(c *client.Client, ctx context.Context, req FactorWithTermsRequest) (*warrant.SplitResult, error) {
			hash, err := recordTerms(ctx, c, req.Terms, req.TermsHash)
			if err != nil {
				return nil, err
			}
			req.BankWarrantRequest.TermsHash = hash
			return c.Factor(ctx, req.BankWarrantRequest)
		}),
	mutation("settlement", "settle", "/v1/warrants/{warrantId}/settle", "Settle one live leaf (兑付, R12)", (*client.Client).Settle),
	mutation("settlement", "settleRoot", "/v1/roots/{rootId}/settle", "Settle a page of a root's live leaves (清分, R12)", (*client.Client).SettleRoot),
	mutation("regulator", "freeze", "/v1/warrants/{warrantId}/freeze", "Freeze a warrant or its live subtree (R13)", (*client.Client).Freeze),
	mutation("registry", "authorizeAttestor", "/v1/attestors", "Authorise an attestor for attestation kinds (admin, R30)", (*client.Client).AuthorizeAttestor),
	mutation("registry", "attest", "/v1/warrants/{warrantId}/attest", "Attest the trade behind an issued warrant from one independent source (交叉验证, R30)", (*client.Client).Attest),
	mutation("issuance", "arrangeInterest", "/v1/warrants/{warrantId}/interest", "Set who pays the interest of a discount, the rate and the day count (买方付息, R31)", (*client.Client).ArrangeInterest),
	mutation("settlement", "confirmSettlement", "/v1/warrants/{warrantId}/confirm-settlement", "Confirm a settling leaf's payment (the paying bank or e-CNY operator, R32)", (*client.Client).ConfirmSettlement),
	mutation("regulator", "unfreeze", "/v1/warrants/{warrantId}/unfreeze", "Lift a freeze (R13)", (*client.Client).Unfreeze),

	query("query", "getWarrant", "/v1/warrants/{warrantId}", "A warrant by id", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.Warrant, error) {
			return c.GetWarrant(ctx, r.PathValue("warrantId"))
		}),
	query("query", "history", "/v1/warrants/{warrantId}/history", "Every committed change of a warrant, newest first", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) ([]client.HistoryEntry, error) {
			return c.History(ctx, r.PathValue("warrantId"))
		}),
	query("query", "listByHolder", "/v1/holders/{party}/warrants", "A holder's warrants, a page at a time (the portfolio)", listParams,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.WarrantPage, error) {
			req, err := listRequest(r)
			if err != nil {
				return nil, err
			}
			return c.ListByHolder(ctx, req)
		}),
	query("query", "listByDebtor", "/v1/debtors/{party}/warrants", "A debtor's warrants, a page at a time", listParams,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.WarrantPage, error) {
			req, err := listRequest(r)
			if err != nil {
				return nil, err
			}
			return c.ListByDebtor(ctx, req)
		}),
	query("query", "lineage", "/v1/roots/{rootId}/lineage", "The nodes of a root's split tree in pre-order, a page at a time", pageParams,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.WarrantPage, error) {
			size, err := pageSize(r)
			if err != nil {
				return nil, err
			}
			return c.Lineage(ctx, warrant.LineageRequest{RootID: r.PathValue("rootId"), PageSize: size, Bookmark: r.URL.Query().Get("bookmark")})
		}),
	query("query", "rootSummary", "/v1/roots/{rootId}/summary", "A root's face value, settled, outstanding and overdue amounts", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.RootSummary, error) {
			return c.RootSummary(ctx, r.PathValue("rootId"))
		}),
	public(query("registry", "lookupInvoice", "/v1/registry/invoices/{code}/{number}", "The registered warrant backed by an invoice (public lookup)", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*PublicRecord, error) {
			return publicLookup(c.LookupInvoice(ctx, r.PathValue("code"), r.PathValue("number")))
		})),
	public(query("registry", "lookupDocument", "/v1/registry/documents/{documentHash}", "The registered warrant backed by a document hash (public lookup)", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*PublicRecord, error) {
			return publicLookup(c.LookupDocument(ctx, r.PathValue("documentHash")))
		})),
	public(query("registry", "lookupRegistryNo", "/v1/registry/numbers/{registryNo}", "A warrant by registry number (public lookup)", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*PublicRecord, error) {
			return publicLookup(c.LookupRegistryNo(ctx, r.PathValue("registryNo")))
		})),
	query("query", "getEnterprise", "/v1/enterprises/{creditCode}", "An onboarded enterprise", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.Enterprise, error) {
			return c.GetEnterprise(ctx, r.PathValue("creditCode"))
		}),
	query("query", "relatedParties", "/v1/enterprises/{creditCode}/related", "Credit codes sharing the enterprise's controller", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) ([]string, error) {
			return c.RelatedParties(ctx, r.PathValue("creditCode"))
		}),
	query("query", "getMember", "/v1/members/{mspId}", "A member org of the consortium (R34)", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.Member, error) {
			return c.GetMember(ctx, r.PathValue("mspId"))
		}),
	query("query", "listMembers", "/v1/members", "The member orgs of the consortium in MSP ID order, a page at a time (R34)", pageParams,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.MemberPage, error) {
			size, err := pageSize(r)
			if err != nil {
				return nil, err
			}
			return c.ListMembers(ctx, warrant.ListMembersRequest{PageSize: size, Bookmark: r.URL.Query().Get("bookmark")})
		}),
	query("query", "getParams", "/v1/params", "The chaincode parameters in force", nil,
		func(ctx context.Context, c *client.Client, _ *http.Request) (*warrant.Params, error) {
			return c.GetParams(ctx)
		}),
	query("query", "getCreditLine", "/v1/credit-lines/{debtor}", "A core enterprise's credit line", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.CreditLine, error) {
			return c.GetCreditLine(ctx, r.PathValue("debtor"))
		}),
	query("registry", "getAttestor", "/v1/attestors/{creditCode}", "The attestation kinds an attestor may attest (R30)", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.AttestorRecord, error) {
			return c.GetAttestor(ctx, r.PathValue("creditCode"))
		}),
	query("settlement", "pendingSettlements", "/v1/roots/{rootId}/pending-settlements", "A root's settlements awaiting the paying bank's confirmation, overdue ones flagged (R32)",
		append([]queryParam{{"asOf", "string", "RFC 3339 time the overdue flag is computed at (default now)"}}, pageParams...),
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.PendingSettlementPage, error) {
			size, err := pageSize(r)
			if err != nil {
				return nil, err
			}
			asOf := time.Now().UTC()
			if text := r.URL.Query().Get("asOf"); text != "" {
				if asOf, err = time.Parse(time.RFC3339, text); err != nil {
					return nil, NewProblem(codeInvalidArgument, "asOf must be an RFC 3339 time")
				}
			}
			return c.PendingSettlements(ctx, warrant.PendingSettlementsRequest{RootID: r.PathValue("rootId"), AsOf: asOf.UTC(),
				PageSize: size, Bookmark: r.URL.Query().Get("bookmark")})
		}),
	query("export", "exportRoot", "/v1/roots/{rootId}/export", "A root and its lineage in the published warrant standard (R33)", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.Export, error) {
			return c.Export(ctx, r.PathValue("rootId"))
		}),
	query("query", "getTradeDocuments", "/v1/warrants/{warrantId}/trade-documents", "A warrant's trade documents, to the parties and the association (R17, R20)", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.TradeDocuments, error) {
			return c.GetTradeDocuments(ctx, r.PathValue("warrantId"))
		}),
	query("query", "getFinancingTerms", "/v1/warrants/{warrantId}/financing-terms", "The financing terms the caller's bank recorded on a warrant (R17)", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.FinancingTerms, error) {
			return c.GetFinancingTerms(ctx, r.PathValue("warrantId"))
		}),
	verification("verifyTradeDocuments", "/v1/warrants/{warrantId}/verify-trade-documents",
		"Check trade documents one holds against the warrant's hash: match or not, nothing else (验真, R17)", (*client.Client).VerifyTradeDocuments),
	verification("verifyFinancingTerms", "/v1/warrants/{warrantId}/verify-financing-terms",
		"Check financing terms one holds against the warrant's hash: match or not, nothing else (R17)", (*client.Client).VerifyFinancingTerms),
	query("query", "getApplication", "/v1/applications/{applicationId}", "A supplier's application", nil,
		func(ctx context.Context, c *client.Client, r *http.Request) (*warrant.Application, error) {
			return c.GetApplication(ctx, r.PathValue("applicationId"))
		}),
}

var listParams = append([]queryParam{{"status", "string", "only warrants of this status"}}, pageParams...)

// listRequest reads a list query's party, status and page.
func listRequest(r *http.Request) (warrant.ListRequest, error) {
	size, err := pageSize(r)
	if err != nil {
		return warrant.ListRequest{}, err
	}
	q := r.URL.Query()
	return warrant.ListRequest{Party: r.PathValue("party"), Status: warrant.Status(q.Get("status")), PageSize: size, Bookmark: q.Get("bookmark")}, nil
}

// pageSize reads the pageSize parameter; the chaincode checks its range.
func pageSize(r *http.Request) (int, error) {
	text := r.URL.Query().Get("pageSize")
	if text == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, NewProblem(codeInvalidArgument, "pageSize must be an integer")
	}
	return n, nil
}

// IdempotencyKeyHeader carries the requestId of a mutation (R4b).
const IdempotencyKeyHeader = "Idempotency-Key"

// bindRequest decodes a mutation's body into req strictly (unknown fields are
// refused), after setting the path wildcards and the Idempotency-Key as request
// fields. A body value disagreeing with the path or the header is refused ("" and
// null count as not given).
func bindRequest(r *http.Request, path string, body []byte, req any) error {
	fields := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &fields); err != nil {
			return NewProblem(codeInvalidArgument, "request body is not a JSON object: "+err.Error())
		}
	}
	set := func(field, value, source string) error {
		encoded, _ := json.Marshal(value)
		old, given := fields[field]
		old = bytes.TrimSpace(old)
		if given && !bytes.Equal(old, encoded) && string(old) != `""` && string(old) != "null" {
			return NewProblem(codeInvalidArgument, fmt.Sprintf("body field %s differs from the %s", field, source))
		}
		fields[field] = encoded
		return nil
	}
	for _, name := range wildcards(path) {
		if err := set(name, r.PathValue(name), "path"); err != nil {
			return err
		}
	}
	if key := r.Header.Get(IdempotencyKeyHeader); key != "" {
		if !hasJSONField(reflect.TypeOf(req).Elem(), "requestId") {
			return NewProblem(codeInvalidArgument, "this operation takes no "+IdempotencyKeyHeader)
		}
		if err := set("requestId", key, IdempotencyKeyHeader+" header"); err != nil {
			return err
		}
	}
	merged, _ := json.Marshal(fields)
	decoder := json.NewDecoder(bytes.NewReader(merged))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(req); err != nil {
		return NewProblem(codeInvalidArgument, "request body: "+err.Error())
	}
	return nil
}

// wildcards lists the {names} of a path pattern.
func wildcards(path string) []string {
	var names []string
	for _, segment := range strings.Split(path, "/") {
		if strings.HasPrefix(segment, "{") && strings.HasSuffix(segment, "}") {
			names = append(names, strings.TrimSuffix(segment[1:], "}"))
		}
	}
	return names
}

// hasJSONField reports whether struct type t has a field of that JSON name.
func hasJSONField(t reflect.Type, name string) bool {
	for _, f := range reflect.VisibleFields(t) {
		if jsonName(f) == name {
			return true
		}
	}
	return false
}

// jsonName is a struct field's JSON name ("" when it is not encoded, or is an
// embedded struct whose fields are encoded in its place).
func jsonName(f reflect.StructField) string {
	if !f.IsExported() || (f.Anonymous && f.Tag.Get("json") == "") {
		return ""
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return ""
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		return f.Name
	}
	return name
}

// readBody reads a request body within the size limit.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, NewProblem(CodePayloadTooLarge, fmt.Sprintf("request body exceeds %d bytes", limit))
	}
	if err != nil {
		return nil, NewProblem(codeInvalidArgument, "read request body: "+err.Error())
	}
	return data, nil
}

// Request bodies that carry private data (R17): the server sends it in the transient
// map, never as a public argument.
type (
	// IssueWithDocumentsRequest is an issue request with optional trade documents.
	IssueWithDocumentsRequest struct {
		warrant.IssueRequest
		Documents *warrant.TradeDocuments `json:"documents,omitempty"`
	}
	// ApplyWithDocumentsRequest is an application with optional trade documents.
	ApplyWithDocumentsRequest struct {
		warrant.ApplyRequest
		Documents *warrant.TradeDocuments `json:"documents,omitempty"`
	}
	// PledgeWithTermsRequest is a pledge with optional financing terms to record first.
	PledgeWithTermsRequest struct {
		warrant.PledgeRequest
		Terms *warrant.FinancingTerms `json:"terms,omitempty"`
	}
	// FactorWithTermsRequest is a factoring with optional financing terms to record first.
	FactorWithTermsRequest struct {
		warrant.BankWarrantRequest
		Terms *warrant.FinancingTerms `json:"terms,omitempty"`
	}
)

// recordTerms records financing terms in the caller's bank's implicit collection and
// returns their hash; without terms it returns hash, the termsHash the body named.
func recordTerms(ctx context.Context, c *client.Client, terms *warrant.FinancingTerms, hash string) (string, error) {
	if terms == nil {
		return hash, nil
	}
	if hash != "" {
		return "", NewProblem(codeInvalidArgument, "give terms or termsHash, not both")
	}
	record, err := c.RecordFinancingTerms(ctx, *terms)
	if err != nil {
		return "", err
	}
	return record.TermsHash, nil
}

// verification is a query checking a private document sent in the body against a
// warrant's hash (R17). It is a POST so that the document stays out of URLs and logs,
// but it submits nothing: the body is evaluated on one peer.
func verification[Doc any](id, path, summary string, call func(*client.Client, context.Context, string, Doc) (*warrant.VerifyResult, error)) operation {
	return operation{ID: id, Method: http.MethodPost, Path: path, Summary: summary, Tag: "registry",
		Request: reflect.TypeFor[Doc](), Response: reflect.TypeFor[*warrant.VerifyResult](),
		call: func(ctx context.Context, c *client.Client, r *http.Request, body []byte) (any, error) {
			var doc Doc
			decoder := json.NewDecoder(bytes.NewReader(body))
			decoder.DisallowUnknownFields()
			if err := decoder.Decode(&doc); err != nil {
				return nil, NewProblem(codeInvalidArgument, "request body: "+err.Error())
			}
			return call(c, ctx, r.PathValue("warrantId"), doc)
		}}
}
