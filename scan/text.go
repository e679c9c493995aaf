package scan

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unsafe"
)

// Text blocks: when a query's rows are kept together (All), the string
// fields of its rows after the first are copied out of the driver's
// buffer into shared blocks of at most textBlockMax bytes, one allocation
// per block instead of one per value. A string from such a result keeps
// its whole block (a few rows' text) alive; values longer than
// textValueMax get a string of their own.
const (
	textBlockMax = 4096
	textValueMax = 256
)

// textBlock hands out strings from blocks for one query.
type textBlock struct {
	buf   []byte // the current block; its bytes up to len are in use and never change
	rows  int    // rows begun so far
	hint  int    // rows the query returns at most (its LIMIT), 0 if unknown
	first int    // text bytes of the first row, which sizes the first block
}

// str returns v's bytes as a string, copied into the current block.
func (b *textBlock) str(v []byte) string {
	n := len(v)
	switch {
	case n == 0:
		return ""
	case b.rows <= 1:
		// The first row's strings stand alone (the query may return just
		// it); their size tells how big a block the next rows need.
		b.first += n
		return string(v)
	case n > textValueMax:
		return string(v)
	}
	if cap(b.buf)-len(b.buf) < n {
		b.buf = slices.Grow([]byte(nil), b.size(n)) // the allocation's whole size class
	}
	start := len(b.buf)
	b.buf = append(b.buf, v...)
	return unsafe.String(&b.buf[start], n)
}

// size is the capacity of the next block, for a value of n bytes: room
// for the rows the LIMIT still allows at the first row's size; with no
// LIMIT, four rows' worth, then twice the last block; at most
// textBlockMax.
func (b *textBlock) size(n int) int {
	per := max(b.first, n)
	var size int
	switch {
	case b.hint >= b.rows:
		size = (b.hint - b.rows + 1) * per
	case b.buf != nil:
		size = 2 * cap(b.buf)
	default:
		size = 4 * per
	}
	return min(max(size, n), textBlockMax)
}

// textScanner scans a string field: from the bytes pgx hands a
// BytesScanner (for text, varchar and the other types whose value is
// text), or from a database/sql driver value.
type textScanner struct {
	r   *Row    // whose base is the row being scanned
	off uintptr // of the string field from the base
}

// dst is the string field of the row being scanned.
func (s *textScanner) dst() *string { return (*string)(unsafe.Add(s.r.base, s.off)) }

// ScanBytes implements pgx's pgtype.BytesScanner: v is the driver's
// memory, valid until the next row.
func (s *textScanner) ScanBytes(v []byte) error {
	if v == nil {
		return errors.New("cannot scan NULL into *string")
	}
	*s.dst() = s.r.blk.str(v)
	return nil
}

// Scan implements sql.Scanner, converting as database/sql converts a
// driver value into a *string.
func (s *textScanner) Scan(src any) error {
	var v string
	switch x := src.(type) {
	case []byte:
		v = s.r.blk.str(x)
	case string:
		v = x
	case nil:
		return errors.New("converting NULL to string is unsupported")
	case int64:
		v = strconv.FormatInt(x, 10)
	case float64:
		v = strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		v = strconv.FormatBool(x)
	case time.Time:
		v = x.Format(time.RFC3339Nano)
	default:
		return fmt.Errorf("converting %T to string is unsupported", src)
	}
	*s.dst() = v
	return nil
}

// ShareText has the string fields of the query's rows after the first
// share blocks of memory (see the package documentation), for a query
// whose rows are kept together; rows is how many it returns at most, 0 if
// unknown. It does nothing for plans without Options.TextBlocks or string
// fields, or for fewer than minShareRows rows, which would not fill a
// block. Call it before the first Dest; Release undoes it.
func (r *Row) ShareText(rows int) {
	if !r.p.text || r.sharing || (rows > 0 && rows < minShareRows) {
		return
	}
	if r.texts == nil {
		r.textDests()
	}
	r.swapDests()
	r.blk = textBlock{hint: rows}
	r.plain, r.sharing = false, true
}

// minShareRows is the fewest rows ShareText shares blocks for: below it,
// the per-query work of switching the destinations (and pgx's planning
// for a type of its own) costs more than the allocations it saves.
const minShareRows = 16

// textDests makes, on the Row's first ShareText, the destinations that
// scan string fields through texts; r.other keeps them between queries.
func (r *Row) textDests() {
	n := len(r.kinds)
	r.texts = make([]textScanner, n)
	r.other.dest = slices.Clone(r.dest)
	r.other.kinds = slices.Clone(r.kinds)
	for i := range r.p.fields {
		if r.p.fields[i].text && r.kinds[i] == destField {
			r.other.kinds[i] = destText
			r.texts[i] = textScanner{r: r, off: r.offs[i]}
			r.other.dest[i] = &r.texts[i]
		}
	}
	// With only fields and strings, Dest points the fields and sets the
	// base the strings are found from.
	if r.plainAlone {
		r.fieldCols = []int{}
		for i, k := range r.other.kinds {
			if k == destField {
				r.fieldCols = append(r.fieldCols, i)
			}
		}
	}
}

func (r *Row) swapDests() {
	r.dest, r.other.dest = r.other.dest, r.dest
	r.kinds, r.other.kinds = r.other.kinds, r.kinds
}

// unshare puts back the destinations ShareText swapped in, and lets go of
// the blocks.
func (r *Row) unshare() {
	r.base = nil
	r.swapDests()
	r.blk = textBlock{}
	r.sharing = false
	r.plain = r.plainAlone
}
