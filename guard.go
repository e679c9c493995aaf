package wren

import "strings"

// An UPDATE or DELETE whose WHERE holds for every row is refused like one
// without WHERE, unless All() says every row is meant. The conditions that
// hold for every row whatever the data are found here, when the statement
// is rendered: an empty And(), NotIn of an empty list, Not(Or()), an Or
// with one such branch, a LIKE pattern of only %, a column compared with
// itself.

// constEmptyNotIn marks the constant TRUE that an empty NotIn list became
// (Predicate.cmp), so that the guard can name it.
const constEmptyNotIn cmpOp = 1

// truth is what a predicate is known to be before any row is read.
type truth int8

const (
	depends truth = iota // on the row
	always
	never
)

// constTruth reports whether p is always or never true whatever the rows,
// and why, in words for an error message.
func constTruth(p Predicate) (truth, string) {
	switch p.op {
	case pConst:
		if !p.v.(bool) {
			return never, "a constant FALSE"
		}
		if p.cmp == constEmptyNotIn {
			return always, "NotIn of an empty list on " + describe(p.l)
		}
		return always, "a constant TRUE"
	case pAnd:
		if len(p.kids) == 0 {
			return always, "an empty And()"
		}
		all, why := true, ""
		for _, k := range p.kids {
			t, w := constTruth(k)
			if t == never {
				return never, w
			}
			if t != always {
				all = false
			} else if why == "" {
				why = w
			}
		}
		if all {
			return always, why
		}
	case pOr:
		if len(p.kids) == 0 {
			return never, "an empty Or()"
		}
		none, why := true, ""
		for _, k := range p.kids {
			t, w := constTruth(k)
			if t == always {
				return always, "an Or with a branch that is always true: " + w
			}
			if t != never {
				none = false
			} else if why == "" {
				why = w
			}
		}
		if none {
			return never, why
		}
	case pNot:
		switch t, w := constTruth(p.kids[0]); t {
		case always:
			return never, "Not of " + w
		case never:
			return always, "Not of " + w + ", which is never true"
		}
	case pLike:
		if s, ok := p.v.(string); ok && s != "" && strings.Trim(s, "%") == "" {
			return always, "a LIKE pattern of only % on " + describe(p.l) + ", which matches any text: an empty string given to Contains, StartsWith or EndsWith?"
		}
	case pCmpExpr:
		if o, ok := p.v.(Expression); ok && sameColumn(p.l, o) {
			if p.cmp == opEq || p.cmp == opLte || p.cmp == opGte {
				return always, describe(p.l) + " compared with itself"
			}
			return never, describe(p.l) + " compared with itself"
		}
	}
	return depends, ""
}

// sameColumn reports whether a and b are the same column of the same
// table or alias.
func sameColumn(a, b Expression) bool {
	ca, ok := unwrapExpr(a).(*colInfo)
	if !ok {
		return false
	}
	cb, ok := unwrapExpr(b).(*colInfo)
	return ok && ca == cb
}

// refuseAllRows fails the rendering of an UPDATE or DELETE whose WHERE is
// missing or holds for every row; stmt is "UPDATE" or "DELETE FROM" and
// verb "update" or "delete", for the message. It reports whether it failed.
func refuseAllRows(r *renderer, where []Predicate, stmt, table, verb string) bool {
	if len(where) == 0 {
		r.fail("wren: %s %s without Where: call All() to %s every row", stmt, table, verb)
		return true
	}
	t, why := constTruth(Predicate{op: pAnd, kids: where})
	if t != always {
		return false
	}
	r.fail("wren: %s %s: Where is always true (%s), so it would %s every row: call All() if every row is meant, or do not run the statement when there is nothing to match", stmt, table, why, verb)
	return true
}
