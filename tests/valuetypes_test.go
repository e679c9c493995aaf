package tests

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

type Prefs struct {
	Theme  string           `json:"theme"`
	Limits map[string]int64 `json:"limits,omitempty"`
	Tags   []string         `json:"tags"`
	Ratio  float64          `json:"ratio"`
	On     bool             `json:"on"`
	Note   *string          `json:"note"`
}

type Mood string

func (Mood) Values() []Mood { return []Mood{"happy", "it's", `back\slash`, "ünï"} }

type Tier int16

func (Tier) Values() []Tier { return []Tier{-1, 0, 1, math.MaxInt16} }

type VTable struct {
	wren.Table
	ID    wren.Column[uuid.UUID] `wren:",pk"`
	Seq   wren.Column[int64]
	Prefs wren.Column[wren.JSON[Prefs]]
	Any   wren.Column[wren.JSON[map[string]any]]
	Raw   wren.Column[*wren.JSON[json.RawMessage]]
	Price wren.Column[wren.Decimal]  `wren:",type=NUMERIC(12,2)"`
	Big   wren.Column[*wren.Decimal] `wren:",type='DECIMAL(30,10)'"`
	Ref   wren.Column[uuid.UUID]
	Bytes wren.Column[[16]byte] `wren:",type.sqlite=TEXT"`
	Mood  wren.Column[Mood]
	Tier  wren.Column[*Tier]
}

var VT = wren.NewTable[VTable]("vtypes")

type VRow struct {
	ID    uuid.UUID
	Seq   int64
	Prefs wren.JSON[Prefs]
	Any   wren.JSON[map[string]any]
	Raw   *wren.JSON[json.RawMessage]
	Price wren.Decimal
	Big   *wren.Decimal
	Ref   uuid.UUID
	Bytes [16]byte
	Mood  Mood
	Tier  *Tier
}

func dec(s string) wren.Decimal { return wren.MustDecimal(s) }

func TestValueTypesRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, VT))
		note := "n\"ote ü 🐦"
		raw := json.RawMessage(`{"b": [1, 2.5, "x"], "a": null}`)
		rows := []*VRow{
			{Seq: 0, Prefs: wren.JSONOf(Prefs{}), Any: wren.JSONOf(map[string]any{}), Price: dec("0"), Mood: "happy",
				Ref: uuid.Nil, Bytes: [16]byte{}},
			{Seq: 1, Prefs: wren.JSONOf(Prefs{Theme: "dark", Limits: map[string]int64{"daily": math.MaxInt32, "neg": -5},
				Tags: []string{"go", "sql", "ü"}, Ratio: 0.1, On: true, Note: &note}),
				Any:   wren.JSONOf(map[string]any{"n": 1.5, "s": "x", "nested": map[string]any{"k": []any{true, nil}}}),
				Raw:   &wren.JSON[json.RawMessage]{V: raw},
				Price: dec("9999999999.99"), Big: ptr(dec("12345678901234.5678901234")),
				Ref: uuid.MustParse("ffffffff-ffff-4fff-bfff-ffffffffffff"), Bytes: [16]byte{0: 0x01, 15: 0xff},
				Mood: "it's", Tier: ptr(Tier(math.MaxInt16))},
			{Seq: 2, Prefs: wren.JSONOf(Prefs{Theme: "light"}), Any: wren.JSONOf(map[string]any{"a": "b"}),
				Price: dec("-0.01"), Big: ptr(dec("-0.0000000001")), Ref: uuid.MustParse("00000000-0000-0000-0000-000000000001"),
				Mood: `back\slash`, Tier: ptr(Tier(-1))},
			{Seq: 3, Prefs: wren.JSONOf(Prefs{}), Any: wren.JSONOf(map[string]any{}), Price: dec("-9999999999.99"), Mood: "ünï", Tier: ptr(Tier(0))},
		}
		if db.Dialect() == dialect.SQLite {
			// SQLite keeps 15 significant digits of a fraction, and wren
			// refuses to send more (TestDecimalDigitsOnSQLite).
			rows[1].Big = ptr(dec("12345.6789012345"))
		}
		got := roundTrip(t, db, VT, VT.Seq, rows)
		for _, r := range rows {
			is.True(r.ID != uuid.Nil) // Create generated the keys
		}
		for i, want := range rows {
			g := got[i]
			is.Equal(g.ID, want.ID)
			is.Equal(g.Prefs, want.Prefs)
			is.Equal(g.Any, want.Any)
			if want.Raw == nil {
				is.Equal(g.Raw, nil)
			} else {
				// Equal in value: JSONB does not keep the text.
				var a, b any
				is.NoErr(json.Unmarshal(g.Raw.V, &a))
				is.NoErr(json.Unmarshal(want.Raw.V, &b))
				is.Equal(a, b)
			}
			is.Equal(g.Price, want.Price)
			is.Equal(g.Big, want.Big)
			is.Equal(g.Ref, want.Ref)
			is.Equal(g.Bytes, want.Bytes)
			is.Equal(g.Mood, want.Mood)
			is.Equal(g.Tier, want.Tier)
		}

		// Path extraction, typed.
		seqs, err := wren.All[int64](ctx, db, wren.Select(VT.Seq).From(VT).
			Where(wren.JSONGet[string](VT.Prefs, "theme").Eq("dark")))
		is.NoErr(err)
		is.Equal(seqs, []int64{1})
		type ex struct {
			Daily *int64
			Ratio *float64
			On    *bool
			Tag   *string
			Tags  *wren.JSON[[]string]
			Note  *string
			Deep  *bool
		}
		e, err := wren.One[ex](ctx, db, wren.Select(
			wren.JSONGet[*int64](VT.Prefs, "limits", "daily").As("daily"),
			wren.JSONGet[*float64](VT.Prefs, "ratio").As("ratio"),
			wren.JSONGet[*bool](VT.Prefs, "on").As("on"),
			wren.JSONGet[*string](VT.Prefs, "tags", 2).As("tag"),
			wren.JSONGet[*wren.JSON[[]string]](VT.Prefs, "tags").As("tags"),
			wren.JSONGet[*string](VT.Prefs, "note").As("note"),
			wren.JSONGet[*bool](VT.Any, "nested", "k", 0).As("deep"),
		).From(VT).Where(VT.Seq.Eq(1)))
		is.NoErr(err)
		is.Equal(*e.Daily, int64(math.MaxInt32))
		is.Equal(*e.Ratio, 0.1)
		is.Equal(*e.On, true)
		is.Equal(*e.Tag, "ü")
		is.Equal(e.Tags.V, []string{"go", "sql", "ü"})
		is.Equal(*e.Note, note)
		is.Equal(*e.Deep, true)
		// A missing path is NULL.
		miss, err := wren.One[*int64](ctx, db, wren.Select(wren.JSONGet[*int64](VT.Prefs, "limits", "none")).From(VT).Where(VT.Seq.Eq(1)))
		is.NoErr(err)
		is.Equal(miss, nil)
		n, err := wren.Count(ctx, db, wren.Select(VT.Seq).From(VT).Where(wren.JSONGet[bool](VT.Prefs, "on").Eq(false)))
		is.NoErr(err)
		is.Equal(n, int64(3))

		// Containment: PostgreSQL and MySQL/MariaDB; SQLite refuses.
		q := wren.Select(VT.Seq).From(VT).Where(wren.JSONContains(VT.Prefs, map[string]any{"theme": "dark", "tags": []string{"sql"}}))
		seqs, err = wren.All[int64](ctx, db, q)
		if db.Dialect() == dialect.SQLite {
			is.True(errors.Is(err, wren.ErrUnsupported))
		} else {
			is.NoErr(err)
			is.Equal(seqs, []int64{1})
		}

		// Decimals compare as numbers, exactly.
		seqs, err = wren.All[int64](ctx, db, wren.Select(VT.Seq).From(VT).Where(VT.Price.Lt(dec("0"))).OrderBy(VT.Seq))
		is.NoErr(err)
		is.Equal(seqs, []int64{2, 3})
		sum, err := wren.One[wren.Decimal](ctx, db, wren.RawStmt("SELECT SUM(price) FROM vtypes WHERE seq IN (1, 2)"))
		is.NoErr(err)
		is.Equal(sum, dec("9999999999.98"))

		// UUIDs and enums in predicates.
		seqs, err = wren.All[int64](ctx, db, wren.Select(VT.Seq).From(VT).Where(VT.Ref.Eq(rows[2].Ref), VT.Mood.In(`back\slash`, "happy")))
		is.NoErr(err)
		is.Equal(seqs, []int64{2})
		seqs, err = wren.All[int64](ctx, db, wren.Select(VT.Seq).From(VT).Where(VT.Bytes.Eq([16]byte{0: 0x01, 15: 0xff})))
		is.NoErr(err)
		is.Equal(seqs, []int64{1})

		// An enum value outside the set is refused before sending; the
		// CHECK constraint refuses it from raw SQL.
		_, err = wren.Exec(ctx, db, wren.Update(VT).Set(wren.Set(VT.Mood, "sad")).Where(VT.Seq.Eq(0)))
		is.True(err != nil)
		is.True(!errors.Is(err, wren.ErrUnsupported))
		err = wren.Create(ctx, db, VT, &VRow{Seq: 9, Prefs: wren.JSONOf(Prefs{}), Any: wren.JSONOf(map[string]any{}), Mood: "sad"})
		is.True(err != nil)
		_, err = wren.Exec(ctx, db, wren.RawStmt("UPDATE vtypes SET mood = 'sad' WHERE seq = 0"))
		is.True(err != nil) // CHECK constraint
		_, err = wren.Exec(ctx, db, wren.RawStmt("UPDATE vtypes SET tier = 7 WHERE seq = 0"))
		is.True(err != nil) // CHECK constraint

		// The database generates a UUID key for a row inserted without it.
		_, err = wren.Exec(ctx, db, wren.RawStmt("INSERT INTO vtypes (seq, prefs, "+qi(db, "any")+", price, ref, bytes, mood) VALUES (10, '{}', '{}', 1, ?, ?, 'happy')",
			uuid.Nil, uuid.Nil.String()))
		is.NoErr(err)
		id, err := wren.One[uuid.UUID](ctx, db, wren.Select(VT.ID).From(VT).Where(VT.Seq.Eq(10)))
		is.NoErr(err)
		is.True(id != uuid.Nil)
	})
}

// roundTrip creates rows in table tbl and reads them all back, ordered by
// ord.
func roundTrip[R any, T interface {
	wren.TableLike
	wren.Selectable
}](t *testing.T, db *wren.DB, tbl T, ord wren.Orderable, rows []*R) []R {
	t.Helper()
	ctx := ctxT(t)
	if err := wren.Create(ctx, db, tbl, rows...); err != nil {
		t.Fatal(err)
	}
	got, err := wren.All[R](ctx, db, wren.Select(tbl).From(tbl).OrderBy(ord))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) {
		t.Fatalf("%d rows created, %d read back", len(rows), len(got))
	}
	return got
}

// qi quotes an identifier for hand-written SQL on db.
func qi(db *wren.DB, name string) string {
	return string(db.Dialect().AppendIdent(nil, name))
}

func TestDecimalDigitsOnSQLite(t *testing.T) {
	is := is.New(t)
	db := openTestDB(t, "sqlite")
	ctx := ctxT(t)
	is.NoErr(wren.CreateTables(ctx, db, VT))
	r := &VRow{Prefs: wren.JSONOf(Prefs{}), Any: wren.JSONOf(map[string]any{}), Mood: "happy", Big: ptr(dec("1234567890.1234567"))}
	err := wren.Create(ctx, db, VT, r)
	is.True(err != nil) // 17 significant digits would be rounded by SQLite
	r.Big = ptr(dec("9223372036854775807"))
	is.NoErr(wren.Create(ctx, db, VT, r)) // an integer that fits int64 is exact
	got, err := wren.One[*wren.Decimal](ctx, db, wren.Select(VT.Big).From(VT))
	is.NoErr(err)
	is.Equal(got.String(), "9223372036854775807")
}

type ArrTable struct {
	wren.Table
	ID     wren.Column[int64] `wren:",pk"`
	Tags   wren.Column[[]string]
	Scores wren.Column[[]int64]
	Ratios wren.Column[[]float64]
	Flags  wren.Column[[]bool]
	When   wren.Column[[]time.Time]
	IDs    wren.Column[[]uuid.UUID] `wren:"ids"`
}

var Arr = wren.NewTable[ArrTable]("arrs")

type ArrRow struct {
	ID     int64
	Tags   []string
	Scores []int64
	Ratios []float64
	Flags  []bool
	When   []time.Time
	IDs    []uuid.UUID `db:"ids"`
}

func TestArrays(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		if db.Dialect() != dialect.Postgres {
			err := wren.CreateTables(ctx, db, Arr)
			is.True(errors.Is(err, wren.ErrUnsupported))
			_, _, err = wren.Select(Arr.ID).From(Arr).Where(wren.Array(Arr.Tags).Contains("go")).SQL(db.Dialect())
			is.True(errors.Is(err, wren.ErrUnsupported))
			return
		}
		is.NoErr(wren.CreateTables(ctx, db, Arr))
		when := time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC)
		rows := []*ArrRow{
			{}, // NULL arrays
			{Tags: []string{}, Scores: []int64{}, Ratios: []float64{}, Flags: []bool{}, When: []time.Time{}, IDs: []uuid.UUID{}},
			{Tags: []string{"go", "sql", "", "ü 🐦", "quote'\"", "NULL"}, Scores: []int64{math.MinInt64, 0, math.MaxInt64},
				Ratios: []float64{-math.MaxFloat64, 0.1, math.SmallestNonzeroFloat64}, Flags: []bool{true, false},
				When: []time.Time{when, {}}, IDs: []uuid.UUID{uuid.Nil, uuid.MustParse("ffffffff-ffff-4fff-bfff-ffffffffffff")}},
			{Tags: []string{"c"}, Scores: []int64{3, 4}},
		}
		got := roundTrip(t, db, Arr, Arr.ID, rows)
		for i, want := range rows {
			g := got[i]
			is.Equal(len(g.When), len(want.When))
			for j := range want.When {
				is.True(g.When[j].Equal(want.When[j]))
			}
			g.When, want.When = nil, nil
			want.ID = g.ID
			is.Equal(g, *want)
		}
		ids := func(p wren.Predicate) []int64 {
			out, err := wren.All[int64](ctx, db, wren.Select(Arr.ID).From(Arr).Where(p).OrderBy(Arr.ID))
			is.NoErr(err)
			return out
		}
		a, b, c := rows[1].ID, rows[2].ID, rows[3].ID
		is.Equal(ids(wren.Array(Arr.Tags).Contains("go", "NULL")), []int64{b})
		is.Equal(ids(wren.Array(Arr.Tags).Contains()), []int64{a, b, c}) // every array that is not NULL
		is.Equal(ids(wren.Array(Arr.Tags).ContainedBy("c", "d")), []int64{a, c})
		is.Equal(ids(wren.Array(Arr.Scores).Overlaps(4, 5)), []int64{c})
		is.Equal(ids(wren.Array(Arr.Scores).Any(math.MinInt64)), []int64{b})
		is.Equal(ids(wren.Array(Arr.IDs).Any(uuid.Nil)), []int64{b})
		is.Equal(ids(wren.Array(Arr.Tags).Length().Gt(1)), []int64{b})
	})
}

type TimeTable struct {
	wren.Table
	ID wren.Column[int64] `wren:",pk"`
	At wren.Column[time.Time]
	On wren.Column[wren.Date]
}

var Times = wren.NewTable[TimeTable]("times")

// TestTimePrecision pins docs/types.md: PostgreSQL and MySQL/MariaDB keep
// microseconds (the rest is cut off, not rounded), SQLite nanoseconds.
func TestTimePrecision(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, Times))
		at := time.Date(2026, 11, 27, 10, 11, 12, 123456999, time.UTC)
		type row struct {
			ID int64
			At time.Time
			On wren.Date
		}
		is.NoErr(wren.Create(ctx, db, Times, &row{At: at, On: wren.DateOf(at)}))
		got, err := wren.One[row](ctx, db, wren.Select(Times).From(Times))
		is.NoErr(err)
		is.Equal(got.On, wren.Date{Year: 2026, Month: 11, Day: 27})
		if db.Dialect() == dialect.SQLite {
			is.True(got.At.Equal(at))
			return
		}
		is.True(!got.At.Equal(at))
		is.True(got.At.Equal(at.Truncate(time.Microsecond)))
	})
}
