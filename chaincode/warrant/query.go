package warrant

import "slices"

// Queries (R16) take a ReadState and the caller; every list is a bounded range over an
// index, paged by page size and bookmark. Each answers only to those who need to know
// (R20, read.go).

// ListRequest lists warrants of a holder or a debtor, optionally of one status.
type ListRequest struct {
	Party    string `json:"party"`
	Status   Status `json:"status,omitempty" metadata:",optional"`
	PageSize int    `json:"pageSize,omitempty" metadata:",optional"`
	Bookmark string `json:"bookmark,omitempty" metadata:",optional"`
}

// LineageRequest pages through every node of a root's tree.
type LineageRequest struct {
	RootID   string `json:"rootId"`
	PageSize int    `json:"pageSize,omitempty" metadata:",optional"`
	Bookmark string `json:"bookmark,omitempty" metadata:",optional"`
}

// WarrantPage is one page of warrants; NextBookmark is empty on the last page.
type WarrantPage struct {
	Items        []Warrant `json:"items"`
	NextBookmark string    `json:"nextBookmark,omitempty" metadata:",optional"`
}

// GetWarrant returns a warrant by id to a party of its root's tree or the association
// (R16, R20); the adapter calls it before it reads the warrant's history.
func GetWarrant(r StateReader, c Caller, id string) (*Warrant, error) {
	w, err := loadWarrantArg(r, "warrantId", id)
	if err != nil {
		return nil, err
	}
	if err := authorizeTreeRead(r, c, w.RootID); err != nil {
		return nil, err
	}
	return w, nil
}

// ListByHolder lists a holder's warrants in (status, id) order, to that holder and the
// association (R16, R20).
func ListByHolder(r ReadState, c Caller, req ListRequest) (*WarrantPage, error) {
	return listByParty(r, c, objByHolder, req)
}

// ListByDebtor lists what a debtor owes, live or finished: the leaves of its trees in
// (status, id) order, to that debtor and the association (R16, R20). Nodes consumed by
// a split or a return (SPLIT, RETURNED) are history, read through their tree: every
// tree has a leaf, whose rootId leads to its Lineage. Asking for those statuses is
// INVALID_ARGUMENT.
func ListByDebtor(r ReadState, c Caller, req ListRequest) (*WarrantPage, error) {
	if req.Status != "" && slices.Contains(AllStatuses, req.Status) && !req.Status.IsLeaf() {
		return nil, newError(CodeInvalidArgument, "a debtor's list holds its leaves only: read consumed warrants through their tree (Lineage)",
			"field", "status", "status", string(req.Status))
	}
	return listByParty(r, c, objByDebtor, req)
}

func listByParty(r ReadState, c Caller, obj string, req ListRequest) (*WarrantPage, error) {
	if err := ValidateCreditCode(req.Party); err != nil {
		return nil, err
	}
	if err := authorizePartyRead(r, c, req.Party); err != nil {
		return nil, err
	}
	attrs := []string{req.Party}
	if req.Status != "" {
		if !slices.Contains(AllStatuses, req.Status) {
			return nil, newError(CodeInvalidArgument, "unknown status", "field", "status")
		}
		attrs = append(attrs, string(req.Status))
	}
	start, end, err := PartialKeyRange(obj, attrs...)
	if err != nil {
		return nil, err
	}
	return warrantPage(r, start, end, req.PageSize, req.Bookmark)
}

// Lineage lists the nodes of a root's tree in pre-order (ids sort parent before
// children), paged, to the parties of the tree and the association (R16, R20).
func Lineage(r ReadState, c Caller, req LineageRequest) (*WarrantPage, error) {
	if err := validateWarrantID("rootId", req.RootID); err != nil {
		return nil, err
	}
	if err := authorizeTreeRead(r, c, req.RootID); err != nil {
		return nil, err
	}
	start, end, err := treeRange(objLineage, req.RootID)
	if err != nil {
		return nil, err
	}
	return warrantPage(r, start, end, req.PageSize, req.Bookmark)
}

func warrantPage(r ReadState, start, end string, pageSize int, bookmark string) (*WarrantPage, error) {
	kvs, next, err := rangePage(r, start, end, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	page := &WarrantPage{Items: make([]Warrant, 0, len(kvs)), NextBookmark: next}
	for _, kv := range kvs {
		w, err := loadWarrant(r, lastAttr(kv.Key))
		if err != nil {
			return nil, err
		}
		page.Items = append(page.Items, *w)
	}
	return page, nil
}

// LookupInvoice tells any member whether an invoice is registered, and the public entry of
// its warrant (R6, R16, R20); code is "" for a 数电发票.
func LookupInvoice(r StateReader, code, number string) (*RegistryEntry, error) {
	if err := validateInvoiceKey("invoice", code, number); err != nil {
		return nil, err
	}
	return lookup(r, objInvoice, invoiceKeyAttrs(code, number)...)
}

// LookupDocument tells any member whether a document hash is registered (R6, R16, R17, R20).
func LookupDocument(r StateReader, documentHash string) (*RegistryEntry, error) {
	if err := validateHash("documentHash", documentHash); err != nil {
		return nil, err
	}
	return lookup(r, objDocument, normHash(documentHash))
}

// LookupRegistryNo tells any member whether a warrant or pledge registry number exists,
// and the public entry of its warrant (R6, R11, R20).
func LookupRegistryNo(r StateReader, registryNo string) (*RegistryEntry, error) {
	if err := validateText("registryNo", registryNo, true, 64); err != nil {
		return nil, err
	}
	return lookup(r, objRegistry, registryNo)
}

func lookup(r StateReader, obj string, attrs ...string) (*RegistryEntry, error) {
	id, err := indexedWarrant(r, obj, attrs...)
	if err != nil {
		return nil, err
	}
	return registryEntry(r, id)
}

// GetEnterprise returns an onboarded enterprise. Its register entry (credit code,
// name, org, roles, status) is public to every member; its controller and the reason
// of its status only to the enterprise itself and the association (R20).
func GetEnterprise(r StateReader, c Caller, creditCode string) (*Enterprise, error) {
	if err := ValidateCreditCode(creditCode); err != nil {
		return nil, err
	}
	e, err := loadEnterprise(r, creditCode)
	if err != nil {
		return nil, err
	}
	if authorizeOneOf(r, c, "", e.CreditCode) != nil {
		e.Controller, e.Reason = "", ""
	}
	return e, nil
}

// RelatedParties lists the credit codes that share the enterprise's controller (itself
// included), at most MaxPageSize of them (R3), to the enterprise itself and the
// association (R20).
func RelatedParties(r ReadState, c Caller, creditCode string) ([]string, error) {
	if err := ValidateCreditCode(creditCode); err != nil {
		return nil, err
	}
	if err := authorizeOneOf(r, c, "only the enterprise itself and the association list its related parties (R20)", creditCode); err != nil {
		return nil, err
	}
	e, err := loadEnterprise(r, creditCode)
	if err != nil {
		return nil, err
	}
	start, end, err := PartialKeyRange(objByController, e.Controller)
	if err != nil {
		return nil, err
	}
	kvs, err := r.Range(start, end, MaxPageSize)
	if err != nil {
		return nil, internal("range related parties", err)
	}
	out := make([]string, 0, len(kvs))
	for _, kv := range kvs {
		out = append(out, lastAttr(kv.Key))
	}
	return out, nil
}
