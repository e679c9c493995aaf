package tests

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// KsTable is read by TestKeptSelect.
type KsTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
	Qty  wren.Column[int64]
	Tag  wren.Column[*string]
}

type KsRow struct {
	ID   int64
	Name string
	Qty  int64
	Tag  *string
}

var Ks = wren.NewTable[KsTable]("ks_rows")

// TestKeptSelect: plain queries of one table, built afresh each time, run
// the text a table keeps for their shape (see keptSelect) and bind their
// own values; every run sends exactly the text and arguments that
// rendering the query gives, and reads the rows it should. The shapes
// differ in what the kept text depends on — One or All, the conditions'
// columns and operators, a NULL compared (IS NULL, never kept), ORDER BY
// direction, LIMIT and OFFSET, a value bound in the select list (never
// kept) — and there are more of them than a table keeps, so that kept
// shapes are replaced while the three databases run at once.
func TestKeptSelect(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		_, err := wren.Exec(ctx, db, wren.CreateTable(Ks))
		is.NoErr(err)
		red := "red"
		var rows []KsRow
		for i := int64(1); i <= 12; i++ {
			r := KsRow{ID: i, Name: fmt.Sprintf("n%d", i), Qty: i % 5}
			if i%3 == 0 {
				r.Tag = &red
			}
			rows = append(rows, r)
			_, err := wren.Exec(ctx, db, wren.Insert(Ks).Rows(&r))
			is.NoErr(err)
		}
		rec := &recorder{}
		db.SetHook(rec)
		defer db.SetHook(nil)

		plus := Ks.Qty.Add(100) // a value bound in the select list
		type qtyPlus struct {
			ID  int64
			Sum int64
		}
		where := func(f func(KsRow) bool) []KsRow {
			var out []KsRow
			for _, r := range rows {
				if f(r) {
					out = append(out, r)
				}
			}
			return out
		}
		type run struct {
			name string
			q    wren.SelectQuery
			one  bool
			want any
		}
		shapes := func(i int64) []run {
			var nilTag *string
			return []run{
				{"one by key", wren.Select(Ks).From(Ks).Where(Ks.ID.Eq(i)), true, rows[i-1]},
				{"all by key", wren.Select(Ks).From(Ks).Where(Ks.ID.Eq(i)), false, rows[i-1 : i]},
				{"two conditions", wren.Select(Ks).From(Ks).Where(Ks.Qty.Gte(i%5), Ks.ID.Lt(i+3)).OrderBy(Ks.ID),
					false, where(func(r KsRow) bool { return r.Qty >= i%5 && r.ID < i+3 })},
				{"tag", wren.Select(Ks).From(Ks).Where(Ks.Tag.Eq(&red)).OrderBy(Ks.ID), false, where(func(r KsRow) bool { return r.Tag != nil })},
				{"null tag", wren.Select(Ks).From(Ks).Where(Ks.Tag.Eq(nilTag)).OrderBy(Ks.ID), false, where(func(r KsRow) bool { return r.Tag == nil })},
				{"limit", wren.Select(Ks).From(Ks).Where(Ks.ID.Gt(i)).OrderBy(Ks.ID).Limit(int(i % 4)), false,
					where(func(r KsRow) bool { return r.ID > i })[:min(int(i%4), 12-int(i))]},
				{"descending, offset", wren.Select(Ks).From(Ks).Where(Ks.ID.Gt(0)).OrderBy(Ks.ID.Desc()).Limit(2).Offset(int(i % 3)), false,
					[]KsRow{rows[11-i%3], rows[10-i%3]}},
				{"ascending, offset", wren.Select(Ks).From(Ks).Where(Ks.ID.Gt(0)).OrderBy(Ks.ID).Limit(2).Offset(int(i % 3)), false,
					[]KsRow{rows[i%3], rows[1+i%3]}},
				{"value selected", wren.Select(Ks.ID, plus.As("sum")).From(Ks).Where(Ks.ID.Eq(i)), true, qtyPlus{i, rows[i-1].Qty + 100}},
			}
		}
		for round := 0; round < 40; round++ {
			i := int64(1 + round%9)
			for _, s := range shapes(i) {
				text, args, err := s.q.SQL(db.Dialect())
				is.NoErr(err)
				var got any
				switch {
				case s.name == "value selected":
					got, err = wren.One[qtyPlus](ctx, db, s.q)
				case s.one:
					got, err = wren.One[KsRow](ctx, db, s.q)
				default:
					got, err = wren.All[KsRow](ctx, db, s.q)
				}
				if err != nil {
					t.Fatalf("round %d, %s: %v", round, s.name, err)
				}
				if want := s.want; !reflect.DeepEqual(got, want) && !(reflect.ValueOf(want).Kind() == reflect.Slice && reflect.ValueOf(want).Len() == 0 && reflect.ValueOf(got).Len() == 0) {
					t.Fatalf("round %d, %s: got %+v, want %+v", round, s.name, got, want)
				}
				ev := rec.take()
				if len(ev) != 1 {
					t.Fatalf("round %d, %s: %d statements", round, s.name, len(ev))
				}
				// One adds LIMIT 1 only where the query may return more
				// rows; none of these do.
				if ev[0].SQL != text || len(ev[0].Args)+len(args) > 0 && !reflect.DeepEqual(ev[0].Args, args) {
					t.Fatalf("round %d, %s: sent %s %v, rendering gives %s %v", round, s.name, ev[0].SQL, ev[0].Args, text, args)
				}
			}
		}
		// The same shapes in a Batch (on PostgreSQL one pipeline, where the
		// kept texts are queued too) read the same rows.
		for round := 0; round < 6; round++ {
			i := int64(1 + round%9)
			b := wren.NewBatch()
			var pend []*wren.Pending[[]KsRow]
			var wants []any
			for _, s := range shapes(i) {
				if s.one {
					continue
				}
				pend = append(pend, wren.QueueAll[KsRow](b, s.q))
				wants = append(wants, s.want)
			}
			is.NoErr(b.Run(ctx, db))
			for k, p := range pend {
				got, want := p.Value(), wants[k]
				if !reflect.DeepEqual(got, want) && !(len(got) == 0 && reflect.ValueOf(want).Len() == 0) {
					t.Fatalf("batch round %d, statement %d: got %+v, want %+v", round, k, got, want)
				}
			}
		}
		// A negative LIMIT in a kept shape fails as rendering it does.
		_, err = wren.All[KsRow](ctx, db, wren.Select(Ks).From(Ks).Where(Ks.ID.Gt(1)).OrderBy(Ks.ID).Limit(-1))
		is.True(err != nil)
		_, _, rerr := wren.Select(Ks).From(Ks).Where(Ks.ID.Gt(1)).OrderBy(Ks.ID).Limit(-1).SQL(db.Dialect())
		is.Equal(err.Error(), rerr.Error())
	})
}
