package wren

import (
	"math/rand"
	"reflect"
	"slices"
	"testing"

	"github.com/wrensql/wren/dialect"
)

type keptShapeTable struct {
	Table
	ID   Column[int64] `wren:",pk"`
	Name Column[string]
	Age  Column[int64]
	Note Column[*string]
}

// TestKeptShapesMatchRendering builds many random SELECTs and UPDATEs of
// one table — items with and without bound values, conditions of every
// kind with values and NULLs, orders, limits (negative ones too), four
// dialects, for One or not — and checks that whenever a kept shape serves
// one, its text and bound values are exactly what rendering it gives, and
// it fails where rendering fails, the same way. Shapes are kept as the
// statements run would keep them, so the table's slots fill, hit and turn
// over.
func TestKeptShapesMatchRendering(t *testing.T) {
	M := NewTable[keptShapeTable]("kept_shapes")
	rnd := rand.New(rand.NewSource(19))
	note := "n"
	plus := M.Age.Add(7)
	items := [][]Selectable{{M}, {M.ID, M.Name}, {M.ID, plus}, {M.Name, M.ID}, {CountAll()}}
	conds := []func() Predicate{
		func() Predicate { return M.ID.Eq(rnd.Int63n(5)) },
		func() Predicate { return M.ID.Gt(rnd.Int63n(5)) },
		func() Predicate { return M.Name.Eq([]string{"a", "b"}[rnd.Intn(2)]) },
		func() Predicate { return M.Age.Lte(rnd.Int63n(50)) },
		func() Predicate { return M.Note.Eq([]*string{nil, &note}[rnd.Intn(2)]) },
		func() Predicate { return M.Note.Ne([]*string{nil, &note}[rnd.Intn(2)]) },
		func() Predicate { return M.ID.In(1, 2) },
		func() Predicate { return M.Age.IsNull() },
		func() Predicate { return plus.Gt(3) },
	}
	orders := [][]Orderable{nil, {M.ID}, {M.ID.Desc()}, {M.Age, M.ID}}
	dialects := []*dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.MariaDB, dialect.SQLite}
	// A few shapes, drawn again and again with fresh values, and now and
	// then one never seen: enough for the table's slots to fill, hit and
	// turn over.
	type shape struct {
		d                   *dialect.Dialect
		one                 bool
		item, order         int
		conds               []int
		limit, offset       int // -2: none; -1 random; else the count
		update, expr, nnote bool
		all                 bool
	}
	randShape := func() shape {
		s := shape{d: dialects[rnd.Intn(len(dialects))], one: rnd.Intn(2) == 0, item: rnd.Intn(len(items)), order: rnd.Intn(len(orders)),
			limit: rnd.Intn(4) - 2, offset: []int{-2, -2, -1, 1}[rnd.Intn(4)], update: rnd.Intn(2) == 0,
			expr: rnd.Intn(3) == 0, nnote: rnd.Intn(3) == 0, all: rnd.Intn(5) == 0}
		for n := rnd.Intn(3); n > 0; n-- {
			s.conds = append(s.conds, rnd.Intn(len(conds)))
		}
		return s
	}
	// Each shape comes with a sibling that differs in one thing only,
	// which a kept shape must tell apart.
	sibling := func(s shape, k int) shape {
		switch k {
		case 0:
			s.order = (s.order + 1) % len(orders) // {M.ID} and {M.ID.Desc()} are neighbours
		case 1:
			s.one = !s.one
		case 2:
			s.expr = !s.expr
		case 3:
			s.all = !s.all
		case 4:
			s.item = (s.item + 1) % len(items)
		case 5:
			s.limit = (s.limit+3)%4 - 2
		case 6:
			s.d = dialects[(slices.Index(dialects, s.d)+1)%len(dialects)]
		case 7:
			s.nnote = !s.nnote
		case 8:
			s.offset = []int{-1, 1, -2, -2}[rnd.Intn(4)]
		}
		return s
	}
	var shapes []shape
	for i := 0; i < 6; i++ {
		s := randShape()
		shapes = append(shapes, s)
		for k := 0; k < 9; k++ {
			shapes = append(shapes, sibling(s, k))
		}
	}
	count := func(n int) int {
		if n == -1 {
			return rnd.Intn(4) - 1 // a negative one now and then
		}
		return n
	}
	kept := 0
	for i := 0; i < 100000; i++ {
		sh := shapes[rnd.Intn(len(shapes))]
		if rnd.Intn(10) == 0 {
			sh = randShape()
		}
		d := sh.d
		var ps []Predicate
		for _, c := range sh.conds {
			ps = append(ps, conds[c]())
		}
		if !sh.update {
			q := Select(items[sh.item]...).From(M).Where(ps...).OrderBy(orders[sh.order]...)
			if sh.limit != -2 {
				q = q.Limit(count(sh.limit))
			}
			if sh.offset != -2 {
				q = q.Offset(count(sh.offset))
			}
			r, rerr := renderLimit(d, q, sh.one && limitsToOne(q))
			var sq SelectQuery
			ti, k := lookupKept(q, d, sh.one, &sq)
			if k != nil {
				kept++
				args, err := k.bind(nil, &sq)
				checkKept(t, i, d, r, rerr, k.text, args, err)
			} else if rerr == nil && ti != nil {
				keepSelect(ti, &sq, r, sh.one, texts.intern(r.buf))
			}
			if rerr == nil {
				r.release()
			}
			continue
		}
		sets := []Assignment{Set(M.Name, "x"), Set(M.Age, rnd.Int63n(9))}
		if sh.expr {
			sets[0] = SetExpr(M.Name, M.Name)
		}
		if sh.nnote {
			sets = append(sets, Set(M.Note, []*string{nil, &note}[rnd.Intn(2)]))
		}
		q := Update(M).Set(sets...).Where(ps...)
		if sh.all {
			q = q.All()
		}
		r, rerr := render(d, q)
		ti := plainUpdate(&q)
		var k *keptUpdate
		if ti != nil {
			k = ti.keptUpdateFor(&q, d)
		}
		if k != nil {
			kept++
			args, err := k.bind(nil, &q)
			checkKept(t, i, d, r, rerr, k.text, args, err)
		} else if rerr == nil && ti != nil {
			keepUpdate(ti, &q, r, texts.intern(r.buf))
		}
		if rerr == nil {
			r.release()
		}
	}
	t.Logf("%d of 100000 statements ran a kept shape", kept)
	if kept < 5000 {
		t.Fatalf("only %d of 100000 statements ran a kept shape", kept)
	}
}

// checkKept compares what a kept shape gives for statement i with its
// rendering r
// (or rendering's error rerr).
func checkKept(t *testing.T, i int, d *dialect.Dialect, r *renderer, rerr error, text string, args []any, err error) {
	t.Helper()
	if rerr != nil {
		if err == nil || err.Error() != rerr.Error() {
			// A kept shape is only for statements that rendered; the
			// render may still fail on a value (none here do).
			t.Fatalf("statement %d (%s): rendering fails (%v), the kept shape gives %q, %v", i, d, rerr, text, err)
		}
		return
	}
	if err != nil || text != string(r.buf) || !reflect.DeepEqual(args, append([]any{}, r.args...)) && len(args)+len(r.args) > 0 {
		t.Fatalf("statement %d (%s):\nkept   %s %v %v\nrender %s %v", i, d, text, args, err, r.buf, r.args)
	}
}
