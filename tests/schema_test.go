package tests

import (
	"database/sql"
	"math"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

type TypesTable struct {
	wren.Table `wren:"index=i32+s_key"`
	ID         wren.Column[int64] `wren:",pk"`
	I          wren.Column[int]
	I8         wren.Column[int8]
	I16        wren.Column[int16]
	I32        wren.Column[int32]
	I64        wren.Column[int64]
	U8         wren.Column[uint8]
	U16        wren.Column[uint16]
	U32        wren.Column[uint32]
	U64        wren.Column[uint64]
	F32        wren.Column[float32]
	F64        wren.Column[float64]
	S          wren.Column[string]
	SKey       wren.Column[string] `wren:",unique"`
	SSized     wren.Column[string] `wren:",size=20"`
	B          wren.Column[bool]
	T          wren.Column[time.Time]
	Bs         wren.Column[[]byte]
	PI         wren.Column[*int64]
	PS         wren.Column[*string]
	PT         wren.Column[*time.Time]
	NS         wren.Column[sql.Null[string]]
	NI         wren.Column[sql.NullInt64]
	Dflt       wren.Column[int64] `wren:",default=42,index"`
}

var Types = wren.NewTable[TypesTable]("all_types")

type TypesRow struct {
	ID     int64
	I      int
	I8     int8
	I16    int16
	I32    int32
	I64    int64
	U8     uint8
	U16    uint16
	U32    uint32
	U64    uint64
	F32    float32
	F64    float64
	S      string
	SKey   string
	SSized string
	B      bool
	T      time.Time
	Bs     []byte
	PI     *int64
	PS     *string
	PT     *time.Time
	NS     sql.Null[string]
	NI     sql.NullInt64
	Dflt   int64
}

func ptr[T any](v T) *T { return &v }

func TestTypesRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		is.NoErr(wren.CreateTables(ctx, db, Types))
		is.NoErr(wren.CreateTablesIfNotExists(ctx, db, Types)) // a second, safe create is fine
		// Times at microseconds: what PostgreSQL and MySQL DATETIME(6) keep.
		when := time.Date(2026, 11, 25, 13, 14, 15, 123456000, time.UTC)
		rows := []*TypesRow{
			{}, // zero values everywhere, NULLs in the nullable columns
			{I: -1, I8: math.MinInt8, I16: math.MinInt16, I32: math.MinInt32, I64: math.MinInt64 + 1,
				F32: -1.5, F64: -math.MaxFloat64, S: "", SKey: "neg", SSized: "x", B: false, T: when.Add(-24 * time.Hour),
				Bs: []byte{0}, PI: ptr(int64(-7)), PS: ptr(""), PT: ptr(when),
				NS: sql.Null[string]{V: "", Valid: true}, NI: sql.NullInt64{Int64: -1, Valid: true}, Dflt: -42},
			{I: math.MaxInt32, I8: math.MaxInt8, I16: math.MaxInt16, I32: math.MaxInt32, I64: math.MaxInt64,
				U8: math.MaxUint8, U16: math.MaxUint16, U32: math.MaxUint32, U64: math.MaxInt64,
				F32: 3.25, F64: math.Pi, S: "héllo, 世界 🐦 'quoted' \"double\" \\", SKey: "max", SSized: "twenty characters!!!",
				B: true, T: when, Bs: []byte("bytes\x00\xff"), PI: ptr(int64(math.MaxInt64)), PS: ptr("ünïcode"),
				PT: ptr(when.In(time.FixedZone("x", 3600))), NS: sql.Null[string]{V: "v", Valid: true},
				NI: sql.NullInt64{Int64: math.MaxInt64, Valid: true}, Dflt: 1},
		}
		rows[0].SKey = "zero"
		is.NoErr(wren.Create(ctx, db, Types, rows...))
		got, err := wren.All[TypesRow](ctx, db, wren.Select(Types).From(Types).OrderBy(Types.ID))
		is.NoErr(err)
		is.Equal(len(got), len(rows))
		for i, want := range rows {
			g := got[i]
			is.True(g.T.Equal(want.T)) // times compare as instants
			g.T, want.T = time.Time{}, time.Time{}
			if want.PT != nil {
				is.True(g.PT != nil && g.PT.Equal(*want.PT))
				g.PT, want.PT = nil, nil
			} else {
				is.Equal(g.PT, nil)
			}
			if len(want.Bs) == 0 {
				is.Equal(len(g.Bs), 0)
				g.Bs, want.Bs = nil, nil
			}
			is.Equal(g, *want)
		}
		// DEFAULT applies to a column the insert leaves out.
		is.NoErr(wren.CreateTables(ctx, db, Defaults))
		_, err = wren.Exec(ctx, db, wren.Insert(Defaults).Set(wren.Set(Defaults.Name, "d")))
		is.NoErr(err)
		d, err := wren.One[int64](ctx, db, wren.Select(Defaults.N).From(Defaults).Where(Defaults.Name.Eq("d")))
		is.NoErr(err)
		is.Equal(d, int64(42))
		is.NoErr(wren.DropTables(ctx, db, Types))
		is.NoErr(wren.DropTablesIfExists(ctx, db, Types))
		_, err = wren.Count(ctx, db, wren.Select(Types.ID).From(Types))
		is.True(err != nil) // the table is gone
	})
}

type DefaultsTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
	N    wren.Column[int64] `wren:",default=42"`
}

var Defaults = wren.NewTable[DefaultsTable]("defaults")

type AuthorTable struct {
	wren.Table
	ID   wren.Column[int64]  `wren:",pk"`
	Name wren.Column[string] `wren:",unique"`
}

type BookTable struct {
	wren.Table
	ID       wren.Column[int64]  `wren:",pk"`
	AuthorID wren.Column[int64]  `wren:",references=authors.id,ondelete=cascade"`
	Title    wren.Column[string] `wren:",index"`
}

type TagTable struct {
	wren.Table `wren:"pk=book_id+tag"`
	BookID     wren.Column[int64]  `wren:",references=books.id,ondelete=cascade"`
	Tag        wren.Column[string] `wren:",size=40"`
}

var (
	Authors = wren.NewTable[AuthorTable]("authors")
	Books   = wren.NewTable[BookTable]("books")
	Tags    = wren.NewTable[TagTable]("book_tags")
)

func TestCreateTablesForeignKeys(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		// Given in the wrong order: created in dependency order.
		is.NoErr(wren.CreateTables(ctx, db, Tags, Books, Authors))
		_, err := wren.Exec(ctx, db, wren.Insert(Authors).Set(wren.Set(Authors.ID, int64(1)), wren.Set(Authors.Name, "le guin")))
		is.NoErr(err)
		_, err = wren.Exec(ctx, db, wren.Insert(Books).Set(wren.Set(Books.ID, int64(1)), wren.Set(Books.AuthorID, int64(1)), wren.Set(Books.Title, "earthsea")))
		is.NoErr(err)
		_, err = wren.Exec(ctx, db, wren.Insert(Tags).Set(wren.Set(Tags.BookID, int64(1)), wren.Set(Tags.Tag, "fantasy")))
		is.NoErr(err)
		// The composite key refuses a duplicate.
		_, err = wren.Exec(ctx, db, wren.Insert(Tags).Set(wren.Set(Tags.BookID, int64(1)), wren.Set(Tags.Tag, "fantasy")))
		is.True(err != nil)
		// The foreign key refuses a missing author.
		_, err = wren.Exec(ctx, db, wren.Insert(Books).Set(wren.Set(Books.ID, int64(2)), wren.Set(Books.AuthorID, int64(9)), wren.Set(Books.Title, "x")))
		is.True(err != nil)
		// ON DELETE CASCADE reaches through both levels.
		_, err = wren.Exec(ctx, db, wren.Delete(Authors).Where(Authors.ID.Eq(1)))
		is.NoErr(err)
		n, err := wren.Count(ctx, db, wren.Select(Tags.Tag).From(Tags))
		is.NoErr(err)
		is.Equal(n, int64(0))
		is.NoErr(wren.DropTables(ctx, db, Authors, Books, Tags))
	})
}

// TestSQLiteStoredTimeFormats reads times SQLite data is found in: text in
// several layouts and Unix seconds, in columns of any declared type.
func TestSQLiteStoredTimeFormats(t *testing.T) {
	is := is.New(t)
	db := openTestDB(t, "sqlite")
	ctx := ctxT(t)
	mustExec(t, db, "CREATE TABLE times (id INTEGER PRIMARY KEY, t TEXT, n INTEGER)")
	want := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, v := range []any{"2026-01-02 03:04:05", "2026-01-02T03:04:05Z", "2026-01-02 03:04:05+00:00", "2026-01-02T05:04:05+02:00", int64(want.Unix())} {
		mustExec(t, db, "INSERT INTO times (id, t) VALUES (?, ?)", i+1, v)
	}
	got, err := wren.All[time.Time](ctx, db, wren.RawStmt("SELECT t FROM times ORDER BY id"))
	is.NoErr(err)
	is.Equal(len(got), 5)
	for _, g := range got {
		is.True(g.Equal(want))
	}
	_, err = wren.All[time.Time](ctx, db, wren.RawStmt("SELECT 'not a time'"))
	is.True(err != nil)
}
