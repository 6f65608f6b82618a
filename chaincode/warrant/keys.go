package warrant

import (
	"strings"
	"unicode/utf8"
)

// Composite keys use exactly the Fabric shim format:
// "\x00" + objectType + "\x00" + attribute + "\x00" + ... so that the adapter passes them
// straight to GetState / PutState / GetStateByRange. A partial key's range ends at
// prefix + "\U0010FFFF".
const (
	compositeKeyNamespace = "\x00"
	maxUnicodeRune        = "\U0010FFFF"
)

// Object types of the keys. Per-debtor keys (credit line) and per-root keys (root summary)
// serialise the transactions that write them by design; there is no global counter key.
const (
	objWarrant      = "warrant"               // id → Warrant
	objByHolder     = "warrant~holder"        // holder, status, id → marker
	objByDebtor     = "warrant~debtor"        // debtor, status, id → marker
	objLineage      = "warrant~lineage"       // root, id → marker (every node of a root; a tree key)
	objInvoice      = "warrant~invoice"       // invoice identity (invoiceKeyAttrs) → warrant id
	objDocument     = "warrant~document"      // document hash → warrant id
	objRegistry     = "warrant~registry"      // registry number → warrant id
	objSummary      = "warrant~summary"       // root → RootSummary (per root)
	objApplication  = "application"           // id → Application
	objEnterprise   = "enterprise"            // credit code → Enterprise
	objByController = "enterprise~controller" // normalised controller, credit code → marker
	objByName       = "enterprise~name"       // normalised registered name → credit code
	objParty        = "warrant~party"         // root, credit code → marker (R20: who may read the tree)
	objParams       = "params"                // (no attribute) → Params
	objCreditLine   = "creditline"            // debtor → CreditLine (per debtor)
	objRequest      = "request"               // enterprise, requestId → stored outcome
)

// marker is the value of index entries (Fabric treats an empty value as a delete).
var marker = []byte{0}

// CompositeKey builds a key in the Fabric shim format. Like the shim, it refuses invalid
// UTF-8 and the runes U+0000 and U+10FFFF in any part.
func CompositeKey(objectType string, attributes ...string) (string, error) {
	if err := validateKeyPart(objectType); err != nil {
		return "", err
	}
	n := len(compositeKeyNamespace) + len(objectType) + 1
	for _, a := range attributes {
		n += len(a) + 1
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(compositeKeyNamespace)
	b.WriteString(objectType)
	b.WriteString("\x00")
	for _, a := range attributes {
		if err := validateKeyPart(a); err != nil {
			return "", err
		}
		b.WriteString(a)
		b.WriteString("\x00")
	}
	return b.String(), nil
}

func validateKeyPart(s string) error {
	if !utf8.ValidString(s) {
		return newError(CodeInvalidArgument, "key part is not valid UTF-8")
	}
	if strings.ContainsRune(s, 0) || strings.ContainsRune(s, utf8.MaxRune) {
		return newError(CodeInvalidArgument, "key part contains U+0000 or U+10FFFF")
	}
	return nil
}

// PartialKeyRange returns [start, end) covering every key with the given object type and
// leading attributes.
func PartialKeyRange(objectType string, attributes ...string) (start, end string, err error) {
	start, err = CompositeKey(objectType, attributes...)
	if err != nil {
		return "", "", err
	}
	return start, start + maxUnicodeRune, nil
}

// WarrantKey is the state key of a warrant; the adapter passes it to GetHistoryForKey and
// sets state-based endorsement on it.
func WarrantKey(id string) (string, error) { return CompositeKey(objWarrant, id) }

// ApplicationKey is the state key of an application (R4, apply + confirm).
func ApplicationKey(id string) (string, error) { return CompositeKey(objApplication, id) }

// EnterpriseKey is the state key of an enterprise.
func EnterpriseKey(creditCode string) (string, error) {
	return CompositeKey(objEnterprise, creditCode)
}

// ParamsKey is the state key of the parameters.
func ParamsKey() string { k, _ := CompositeKey(objParams); return k }

// CreditLineKey is the state key of a debtor's credit line.
func CreditLineKey(debtor string) (string, error) { return CompositeKey(objCreditLine, debtor) }

// RootSummaryKey is the state key of a root's summary.
func RootSummaryKey(rootID string) (string, error) { return CompositeKey(objSummary, rootID) }

// mustKey builds a key from parts already validated by the operation's input checks;
// a failure here is reported as INTERNAL by the caller.
func mustKey(objectType string, attributes ...string) (string, error) {
	k, err := CompositeKey(objectType, attributes...)
	if err != nil {
		return "", internal("build key "+objectType, err)
	}
	return k, nil
}

// splitCompositeKey returns the object type and attributes of a composite key.
func splitCompositeKey(key string) (string, []string) {
	parts := strings.Split(strings.TrimPrefix(key, compositeKeyNamespace), "\x00")
	if len(parts) == 0 {
		return "", nil
	}
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) == 0 {
		return "", nil
	}
	return parts[0], parts[1:]
}

// ShimRange tells an adapter how to serve Range(startKey, endKey, limit) over the Fabric
// shim, whose GetStateByRange refuses keys that start with U+0000 (composite keys): call
// GetStateByPartialCompositeKey(objectType, attributes), skip keys below startKey, and
// stop at the first key >= endKey or after limit results. Every range this package
// issues ends at P + U+10FFFF where P extends a composite prefix of whole attributes;
// ShimRange returns that prefix's object type and attributes. Skipping is linear in the
// keys passed over (a bookmark's offset, or the siblings before a subtree).
func ShimRange(startKey, endKey string) (objectType string, attributes []string, err error) {
	p, ok := strings.CutSuffix(endKey, maxUnicodeRune)
	if !ok || !strings.HasPrefix(p, compositeKeyNamespace) {
		return "", nil, newError(CodeInvalidArgument, "not a composite key range")
	}
	prefix := p[:strings.LastIndexByte(p, 0)+1]
	if !strings.HasPrefix(startKey, prefix) {
		return "", nil, newError(CodeInvalidArgument, "range start outside its prefix")
	}
	objectType, attributes = splitCompositeKey(prefix)
	if objectType == "" {
		return "", nil, newError(CodeInvalidArgument, "range prefix has no object type")
	}
	return objectType, attributes, nil
}

// Tree keys. The lineage index is read in pages by SettleRoot (its leaves) and subtree
// Freeze inside update transactions, where the Fabric shim ranges over composite keys only
// from the start of a whole-attribute prefix: resuming at a bookmark would read the root's
// prefix again from its first key, so a paged batch would cost O(n²). This index is
// therefore made of simple keys (the composite format without the leading U+0000),
// which the shim's GetStateByRange reads from any start key, so a page costs only its
// own keys.

// treeKey builds a tree key: the composite format of objectType and attributes without
// the leading U+0000.
func treeKey(objectType string, attributes ...string) (string, error) {
	k, err := CompositeKey(objectType, attributes...)
	if err != nil {
		return "", err
	}
	return k[len(compositeKeyNamespace):], nil
}

// treeRange returns [start, end) covering every tree key with the given object type and
// leading attributes.
func treeRange(objectType string, attributes ...string) (start, end string, err error) {
	start, err = treeKey(objectType, attributes...)
	if err != nil {
		return "", "", err
	}
	return start, start + maxUnicodeRune, nil
}

// IsCompositeKey reports whether key is in the composite format (starts with U+0000); the
// adapter ranges over other keys, the tree keys, with the shim's GetStateByRange.
func IsCompositeKey(key string) bool { return strings.HasPrefix(key, compositeKeyNamespace) }
