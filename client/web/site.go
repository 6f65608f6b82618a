// Package web is warrantd's server-rendered pages (html/template, no JavaScript),
// labelled in Chinese and English: the public registry lookup, the portfolio of a
// signed-in enterprise, a root's summary and its lineage tree drawn as SVG, and the
// pending offers to accept or reject. Pages act through the same wallet, callers and
// problem mapping as the REST API (package httpapi) and read nothing the chaincode
// does not return to the identity acting.
package web

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client/httpapi"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages are the parsed templates, one per page, each with the layout.
var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"registry", "signin", "portfolio", "summary", "lineage"} {
		out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html"))
	}
	return out
}()

// sessionCookie names the cookie of a signed-in browser.
const sessionCookie = "warrant_session"

// maxLineageNodes bounds the parts drawn in one tree.
const maxLineageNodes = 500

// Site serves the pages.
type Site struct {
	api      *httpapi.Server
	mu       sync.Mutex
	sessions map[string]session
}

// session is a signed-in browser: the caller its token authenticated and the wallet
// identity it acts as.
type session struct {
	caller   *httpapi.Caller
	identity string
}

// New returns the pages of an API server.
func New(api *httpapi.Server) *Site {
	return &Site{api: api, sessions: map[string]session{}}
}

// Register adds the pages to mux.
func (s *Site) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.registry)
	mux.HandleFunc("GET /registry", s.registry)
	mux.HandleFunc("GET /signin", s.signinForm)
	mux.HandleFunc("POST /signin", s.signin)
	mux.HandleFunc("POST /signout", s.signout)
	mux.HandleFunc("GET /portfolio", s.signedIn(s.portfolio))
	mux.HandleFunc("GET /offers", s.signedIn(s.offers))
	mux.HandleFunc("POST /offers/{warrantId}/{decision}", s.signedIn(s.decide))
	mux.HandleFunc("GET /roots/{rootId}", s.signedIn(s.summary))
	mux.HandleFunc("GET /roots/{rootId}/lineage", s.signedIn(s.lineage))
}

// view is the data every page gets.
type view struct {
	Title    string
	Identity string
	Problem  *httpapi.Problem
	Notice   string
}

// render writes a page with a status.
func render(w http.ResponseWriter, status int, page string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'")
	w.WriteHeader(status)
	if err := pages[page].ExecuteTemplate(w, page+".html", data); err != nil {
		slog.Error("render page", slog.String("page", page), slog.Any("error", err))
	}
}

// registryQuery is the lookup form's input.
type registryQuery struct {
	InvoiceCode, InvoiceNumber, DocumentHash, RegistryNo string
}

// registry serves the public lookup form and its result.
func (s *Site) registry(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	query := registryQuery{InvoiceCode: strings.TrimSpace(q.Get("invoiceCode")), InvoiceNumber: strings.TrimSpace(q.Get("invoiceNumber")),
		DocumentHash: strings.TrimSpace(q.Get("documentHash")), RegistryNo: strings.TrimSpace(q.Get("registryNo"))}
	data := struct {
		view
		Query  registryQuery
		Record *httpapi.PublicRecord
	}{view: s.view(r, "登记公示 Registry"), Query: query}
	var lookup func(ctx context.Context, id *httpapi.Identity) (*warrant.RegistryEntry, error)
	switch {
	case query.InvoiceCode != "" || query.InvoiceNumber != "":
		lookup = func(ctx context.Context, id *httpapi.Identity) (*warrant.RegistryEntry, error) {
			return id.Client.LookupInvoice(ctx, query.InvoiceCode, query.InvoiceNumber)
		}
	case query.DocumentHash != "":
		lookup = func(ctx context.Context, id *httpapi.Identity) (*warrant.RegistryEntry, error) {
			return id.Client.LookupDocument(ctx, query.DocumentHash)
		}
	case query.RegistryNo != "":
		lookup = func(ctx context.Context, id *httpapi.Identity) (*warrant.RegistryEntry, error) {
			return id.Client.LookupRegistryNo(ctx, query.RegistryNo)
		}
	default:
		render(w, http.StatusOK, "registry", data)
		return
	}
	id, problem := s.api.IdentityFor(r, true)
	if problem == nil {
		found, err := lookup(r.Context(), id)
		if err == nil {
			data.Record = found
			render(w, http.StatusOK, "registry", data)
			return
		}
		problem = httpapi.ProblemOf(err)
	}
	data.Problem = problem
	render(w, problem.Status, "registry", data)
}

// view fills the common page data.
func (s *Site) view(r *http.Request, title string) view {
	v := view{Title: title}
	if sess, ok := s.session(r); ok {
		v.Identity = sess.identity
	}
	return v
}

func (s *Site) signinForm(w http.ResponseWriter, r *http.Request) {
	render(w, http.StatusOK, "signin", struct {
		view
		Next string
	}{view: s.view(r, "登录 Sign in"), Next: safeNext(r.URL.Query().Get("next"))})
}

// signin exchanges a caller's token for a session cookie acting as one identity.
func (s *Site) signin(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		http.Error(w, "cross-origin form refused", http.StatusForbidden)
		return
	}
	next := safeNext(r.PostFormValue("next"))
	caller, ok := s.api.Callers().ByToken(r.PostFormValue("token"))
	var problem *httpapi.Problem
	if !ok {
		problem = httpapi.NewProblem(httpapi.CodeUnauthenticated, "unknown access token 令牌无效")
	}
	var id *httpapi.Identity
	if problem == nil {
		id, problem = httpapi.ActAs(s.api.Wallet(), caller, strings.TrimSpace(r.PostFormValue("identity")))
	}
	if problem != nil {
		v := s.view(r, "登录 Sign in")
		v.Problem = problem
		render(w, problem.Status, "signin", struct {
			view
			Next string
		}{view: v, Next: next})
		return
	}
	token := make([]byte, 32)
	_, _ = rand.Read(token)
	key := hex.EncodeToString(token)
	s.mu.Lock()
	s.sessions[key] = session{caller: caller, identity: id.Name}
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: key, Path: "/", HttpOnly: true, Secure: r.TLS != nil,
		SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Site) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.mu.Lock()
		delete(s.sessions, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// session returns the browser's session, if signed in.
func (s *Site) session(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[c.Value]
	return sess, ok
}

// signedIn runs a page as the session's identity, sending others to sign in.
func (s *Site) signedIn(page func(http.ResponseWriter, *http.Request, *httpapi.Identity)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, ok := s.session(r)
		if !ok {
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !sameOrigin(r) {
			http.Error(w, "cross-origin form refused", http.StatusForbidden)
			return
		}
		id, problem := httpapi.ActAs(s.api.Wallet(), sess.caller, sess.identity)
		if problem != nil {
			http.Error(w, problem.Detail, problem.Status)
			return
		}
		page(w, r, id)
	}
}

// portfolioView is the data of the portfolio and offers pages.
type portfolioView struct {
	view
	Entity       string
	Status       warrant.Status
	Statuses     []warrant.Status
	Items        []warrant.Warrant
	NextBookmark string
	Offers       bool
}

func (s *Site) portfolio(w http.ResponseWriter, r *http.Request, id *httpapi.Identity) {
	q := r.URL.Query()
	s.listPage(w, r, id, "持仓 Portfolio", warrant.Status(q.Get("status")), q.Get("bookmark"), false, "")
}

func (s *Site) offers(w http.ResponseWriter, r *http.Request, id *httpapi.Identity) {
	s.listPage(w, r, id, "待签收 Pending offers", warrant.StatusPendingAcceptance, r.URL.Query().Get("bookmark"), true, r.URL.Query().Get("done"))
}

// listPage renders one page of the identity's enterprise's warrants.
func (s *Site) listPage(w http.ResponseWriter, r *http.Request, id *httpapi.Identity, title string, status warrant.Status, bookmark string, offers bool, notice string) {
	data := portfolioView{view: s.view(r, title), Entity: id.Entity, Status: status, Statuses: warrant.AllStatuses, Offers: offers}
	data.Notice = notice
	page, err := id.Client.ListByHolder(r.Context(), warrant.ListRequest{Party: id.Entity, Status: status, Bookmark: bookmark})
	if err != nil {
		data.Problem = httpapi.ProblemOf(err)
		render(w, data.Problem.Status, "portfolio", data)
		return
	}
	data.Items, data.NextBookmark = page.Items, page.NextBookmark
	render(w, http.StatusOK, "portfolio", data)
}

// decide accepts or rejects an offered part, then shows the offers again.
func (s *Site) decide(w http.ResponseWriter, r *http.Request, id *httpapi.Identity) {
	req := warrant.OfferRequest{WarrantID: r.PathValue("warrantId")}
	var err error
	var done string
	switch r.PathValue("decision") {
	case "accept":
		_, err = id.Client.Accept(r.Context(), req)
		done = "已签收 Accepted " + req.WarrantID
	case "reject":
		_, err = id.Client.Reject(r.Context(), req)
		done = "已拒收 Rejected " + req.WarrantID
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		data := portfolioView{view: s.view(r, "待签收 Pending offers"), Entity: id.Entity, Offers: true}
		data.Problem = httpapi.ProblemOf(err)
		render(w, data.Problem.Status, "portfolio", data)
		return
	}
	http.Redirect(w, r, "/offers?done="+url.QueryEscape(done), http.StatusSeeOther)
}

func (s *Site) summary(w http.ResponseWriter, r *http.Request, id *httpapi.Identity) {
	data := struct {
		view
		Summary *warrant.RootSummary
	}{view: s.view(r, "汇总 Summary")}
	summary, err := id.Client.RootSummary(r.Context(), r.PathValue("rootId"))
	if err != nil {
		s.failPage(w, r, data.view, err)
		return
	}
	data.Summary = summary
	render(w, http.StatusOK, "summary", data)
}

// failPage renders a problem on the portfolio layout without a table.
func (s *Site) failPage(w http.ResponseWriter, r *http.Request, v view, err error) {
	v.Problem = httpapi.ProblemOf(err)
	render(w, v.Problem.Status, "registry", struct {
		view
		Query  registryQuery
		Record *httpapi.PublicRecord
	}{view: v})
}

func (s *Site) lineage(w http.ResponseWriter, r *http.Request, id *httpapi.Identity) {
	v := s.view(r, "拆分树 Lineage")
	rootID := r.PathValue("rootId")
	var nodes []warrant.Warrant
	req := warrant.LineageRequest{RootID: rootID, PageSize: warrant.MaxPageSize}
	truncated := false
	for {
		page, err := id.Client.Lineage(r.Context(), req)
		if err != nil {
			s.failPage(w, r, v, err)
			return
		}
		nodes = append(nodes, page.Items...)
		if page.NextBookmark == "" {
			break
		}
		if len(nodes) >= maxLineageNodes {
			truncated = true
			break
		}
		req.Bookmark = page.NextBookmark
	}
	if len(nodes) == 0 {
		s.failPage(w, r, v, &httpapi.Problem{Code: string(warrant.CodeNotFound), Status: http.StatusNotFound, Detail: "no such root " + rootID})
		return
	}
	render(w, http.StatusOK, "lineage", struct {
		view
		Tree tree
	}{view: v, Tree: layout(rootID, nodes, s.names(r.Context(), id, nodes), truncated)})
}

// names looks up the enterprise names of the holders, as far as the identity may
// read them.
func (s *Site) names(ctx context.Context, id *httpapi.Identity, nodes []warrant.Warrant) map[string]string {
	names := map[string]string{}
	for _, n := range nodes {
		if _, done := names[n.Holder]; done {
			continue
		}
		names[n.Holder] = ""
		if e, err := id.Client.GetEnterprise(ctx, n.Holder); err == nil {
			names[n.Holder] = e.Name
		}
	}
	return names
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/portfolio"
	}
	return next
}

// sameOrigin refuses forms posted from another site (with the SameSite=Strict
// cookie, a second guard against cross-site request forgery).
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return origin == ""
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}
