package warrant

// FreezeRequest freezes or unfreezes a warrant, optionally with its live subtree (R13).
// A subtree is processed one page at a time: repeat with the returned bookmark.
type FreezeRequest struct {
	WarrantID string `json:"warrantId"`
	Reason    string `json:"reason"`
	Subtree   bool   `json:"subtree,omitempty" metadata:",optional"`
	PageSize  int    `json:"pageSize,omitempty" metadata:",optional"`
	Bookmark  string `json:"bookmark,omitempty" metadata:",optional"`
}

// FreezeResult lists the warrants whose flag changed, in id order.
type FreezeResult struct {
	Changed      []string `json:"changed"`
	NextBookmark string   `json:"nextBookmark,omitempty" metadata:",optional"`
}

// Freeze lets a regulator freeze a warrant (R13): a frozen warrant cannot move, be
// pledged, settled or cancelled. With Subtree, the warrant's live descendants are frozen
// too, page by page. Freezing a single warrant that is already frozen or not live (split,
// returned, settled, cancelled, rejected: a freeze would block nothing) is INVALID_STATE.
func Freeze(st State, tx Tx, c Caller, req FreezeRequest) (*FreezeResult, Effects, error) {
	return setFrozen(st, tx, c, req, true)
}

// Unfreeze lets a regulator lift a freeze (R13), with the same subtree paging as Freeze.
// Unfreezing a single warrant that is not frozen is INVALID_STATE; a frozen warrant is
// unfrozen whatever its status, so no flag is ever left that cannot be lifted.
func Unfreeze(st State, tx Tx, c Caller, req FreezeRequest) (*FreezeResult, Effects, error) {
	return setFrozen(st, tx, c, req, false)
}

func setFrozen(st State, tx Tx, c Caller, req FreezeRequest, frozen bool) (*FreezeResult, Effects, error) {
	op, event := "Unfreeze", EventUnfrozen
	if frozen {
		op, event = "Freeze", EventFrozen
	}
	return execute(st, tx, c, op, "", req, func(x *opCtx) (*FreezeResult, Effects, error) {
		if err := requireRole(x, c, RoleRegulator); err != nil {
			return nil, Effects{}, err
		}
		if err := validateText("reason", req.Reason, true, 512); err != nil {
			return nil, Effects{}, err
		}
		if !req.Subtree && (req.PageSize != 0 || req.Bookmark != "") {
			return nil, Effects{}, newError(CodeInvalidArgument, "paging applies to a subtree only", "field", "subtree")
		}
		target, err := loadWarrantArg(x, "warrantId", req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		res := &FreezeResult{Changed: []string{}}
		var nodes []*Warrant
		if !req.Subtree {
			if target.Frozen == frozen {
				return nil, Effects{}, newError(CodeInvalidState, "warrant is already in that state", "warrantId", target.ID)
			}
			if frozen && !target.Status.IsLive() {
				return nil, Effects{}, newError(CodeInvalidState, "only a live warrant can be frozen",
					"warrantId", target.ID, "status", string(target.Status))
			}
			nodes = []*Warrant{target}
		} else {
			if req.Bookmark == "" && target.Frozen != frozen && (target.Status.IsLive() || !frozen) {
				nodes = append(nodes, target)
			}
			prefix, err := treeKey(objLineage, target.RootID)
			if err != nil {
				return nil, Effects{}, err
			}
			start := prefix + target.ID + "."
			kvs, next, err := rangePage(x.st, start, start+maxUnicodeRune, req.PageSize, req.Bookmark)
			if err != nil {
				return nil, Effects{}, err
			}
			res.NextBookmark = next
			for _, kv := range kvs {
				w, err := loadWarrant(x, lastAttr(kv.Key))
				if err != nil {
					return nil, Effects{}, err
				}
				if w.Frozen != frozen && (w.Status.IsLive() || !frozen) {
					nodes = append(nodes, w)
				}
			}
		}
		ev := warrantEvent(target)
		for _, old := range nodes {
			w := *old
			w.Frozen, w.Freeze = frozen, nil
			if frozen {
				w.Freeze = &FreezeRecord{Reason: req.Reason, By: verifierName(c), At: x.tx.Time}
			}
			if err := x.putWarrant(old, &w); err != nil {
				return nil, Effects{}, err
			}
			res.Changed = append(res.Changed, w.ID)
			ev.Parts = append(ev.Parts, partOf(&w))
		}
		return res, Effects{Event: newEvent(event, x.tx, ev)}, nil
	})
}
