package tests

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// KuTable is written by TestKeptUpdate.
type KuTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
	Qty  wren.Column[int64]
	Tag  wren.Column[*string]
	Born wren.Column[time.Time] `wren:",type=date"`
}

type KuRow struct {
	ID   int64
	Name string
	Qty  int64
	Tag  *string
	Born time.Time
}

var Ku = wren.NewTable[KuTable]("ku_rows")

// TestKeptUpdate: plain UPDATEs of one table, built afresh each time, run
// the text a table keeps for their shape (see keptUpdate) with their own
// values: every run sends exactly what rendering the statement gives, and
// the table ends as the same updates applied in Go leave it. The shapes
// differ in what the kept text depends on — the columns set and their
// order, an expression set (never kept), a date column (its time bound
// as a date), a NULL set (a value like any
// other), a NULL compared (IS NULL, never kept), the conditions, All — and
// there are more of them than a table keeps, on three databases at once.
func TestKeptUpdate(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		_, err := wren.Exec(ctx, db, wren.CreateTable(Ku))
		is.NoErr(err)
		want := map[int64]KsRow{}
		for i := int64(1); i <= 6; i++ {
			r := KsRow{ID: i, Name: fmt.Sprintf("n%d", i), Qty: i}
			want[i] = r
			_, err := wren.Exec(ctx, db, wren.Insert(Ku).Rows(&KuRow{ID: r.ID, Name: r.Name, Qty: r.Qty, Born: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}))
			is.NoErr(err)
		}
		rec := &recorder{}
		db.SetHook(rec)
		defer db.SetHook(nil)
		red := "red"
		var nilTag *string
		apply := func(f func(r *KsRow) bool, set func(r *KsRow)) {
			for id, r := range want {
				if f(&r) {
					set(&r)
					want[id] = r
				}
			}
		}
		for round := 0; round < 40; round++ {
			i := int64(1 + round%6)
			n := fmt.Sprintf("r%d", round)
			q := int64(round)
			byID := func(r *KsRow) bool { return r.ID == i }
			steps := []struct {
				name  string
				q     wren.UpdateQuery
				apply func()
			}{
				{"name, qty", wren.Update(Ku).Set(wren.Set(Ku.Name, n), wren.Set(Ku.Qty, q)).Where(Ku.ID.Eq(i)),
					func() { apply(byID, func(r *KsRow) { r.Name, r.Qty = n, q }) }},
				{"qty, name", wren.Update(Ku).Set(wren.Set(Ku.Qty, q+1), wren.Set(Ku.Name, n+"b")).Where(Ku.ID.Eq(i)),
					func() { apply(byID, func(r *KsRow) { r.Name, r.Qty = n+"b", q+1 }) }},
				{"expression", wren.Update(Ku).Set(wren.Set(Ku.Name, n+"c"), wren.SetExpr(Ku.Qty, Ku.Qty.Add(2))).Where(Ku.ID.Eq(i)),
					func() { apply(byID, func(r *KsRow) { r.Name, r.Qty = n+"c", r.Qty+2 }) }},
				{"tag", wren.Update(Ku).Set(wren.Set(Ku.Tag, &red)).Where(Ku.ID.Eq(i)),
					func() { apply(byID, func(r *KsRow) { r.Tag = &red }) }},
				{"null tag", wren.Update(Ku).Set(wren.Set(Ku.Tag, nilTag)).Where(Ku.ID.Eq(i + 1)),
					func() { apply(func(r *KsRow) bool { return r.ID == i+1 }, func(r *KsRow) { r.Tag = nil }) }},
				{"where null", wren.Update(Ku).Set(wren.Set(Ku.Tag, &red)).Where(Ku.Tag.Eq(nilTag), Ku.ID.Eq(i+2)),
					func() {
						apply(func(r *KsRow) bool { return r.Tag == nil && r.ID == i+2 }, func(r *KsRow) { r.Tag = &red })
					}},
				{"two conditions", wren.Update(Ku).Set(wren.Set(Ku.Qty, q)).Where(Ku.Qty.Gte(3), Ku.ID.Lt(i)),
					func() { apply(func(r *KsRow) bool { return r.Qty >= 3 && r.ID < i }, func(r *KsRow) { r.Qty = q }) }},
				{"date", wren.Update(Ku).Set(wren.Set(Ku.Born, time.Date(2001, 2, int(i), 13, 0, 0, 0, time.UTC)), wren.Set(Ku.Qty, q)).Where(Ku.ID.Eq(i)),
					func() { apply(byID, func(r *KsRow) { r.Qty = q }) }},
				{"all", wren.Update(Ku).Set(wren.Set(Ku.Qty, q)).All(),
					func() { apply(func(*KsRow) bool { return true }, func(r *KsRow) { r.Qty = q }) }},
			}
			for _, s := range steps {
				text, args, err := s.q.SQL(db.Dialect())
				is.NoErr(err)
				if _, err := wren.Exec(ctx, db, s.q); err != nil {
					t.Fatalf("round %d, %s: %v", round, s.name, err)
				}
				s.apply()
				ev := rec.take()
				if len(ev) != 1 || ev[0].SQL != text || !reflect.DeepEqual(ev[0].Args, args) {
					t.Fatalf("round %d, %s: sent %+v, rendering gives %s %v", round, s.name, ev, text, args)
				}
			}
		}
		db.SetHook(nil)
		got, err := wren.All[KsRow](ctx, db, wren.Select(Ku.ID, Ku.Name, Ku.Qty, Ku.Tag).From(Ku).OrderBy(Ku.ID))
		is.NoErr(err)
		is.Equal(len(got), len(want))
		for _, r := range got {
			if !reflect.DeepEqual(r, want[r.ID]) {
				t.Fatalf("row %d is %+v, want %+v", r.ID, r, want[r.ID])
			}
		}
		// The guard against updating every row holds on a kept shape.
		_, err = wren.Exec(ctx, db, wren.Update(Ku).Set(wren.Set(Ku.Qty, int64(1))))
		_, _, rerr := wren.Update(Ku).Set(wren.Set(Ku.Qty, int64(1))).SQL(db.Dialect())
		is.True(err != nil && rerr != nil)
		is.Equal(err.Error(), rerr.Error())
	})
}
