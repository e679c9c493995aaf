package tests

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// Three table shapes whose column names are awkward too (column names come
// from struct tags, so they are fixed; the fuzz test in the root package
// varies them at render time).
type fzA struct {
	wren.Table
	ID  wren.Column[int64]  "wren:\"i\\\"d`,pk\""
	Val wren.Column[string] "wren:\"v'a[l]ue ☃\""
	N   wren.Column[int64]  "wren:\"n -- ;\""
}

type fzB struct {
	wren.Table
	ID  wren.Column[int64]  "wren:\"ID,pk\""
	Val wren.Column[string] "wren:\"`val`\""
	N   wren.Column[int64]  "wren:\"\\\"n\\\"\""
}

type fzC struct {
	wren.Table
	ID  wren.Column[int64]  "wren:\"ünï,pk\""
	Val wren.Column[string] "wren:\"/*v*/\""
	N   wren.Column[int64]  "wren:\"$1?,index\""
}

// fzCTE and fzDerived name a CTE's and a derived table's columns.
type fzCTE struct {
	wren.Table
	V wren.Column[string] "wren:\"c`t\\\"e'v\""
}

type fzDerived struct {
	wren.Table
	V wren.Column[string] "wren:\"d]v[\""
	M wren.Column[int64]  "wren:\"#m\""
}

// fzCols is one table descriptor seen through its columns.
type fzCols struct {
	t     wren.TableLike
	id, n wren.Column[int64]
	val   wren.Column[string]
	alias func(string) fzCols
}

func fzTable(kind int, name string) fzCols {
	switch kind {
	case 0:
		return fzOf(wren.NewTable[fzA](name))
	case 1:
		return fzOf(wren.NewTable[fzB](name))
	}
	return fzOf(wren.NewTable[fzC](name))
}

// fzOf reads the ID, Val and N columns of a descriptor by reflection.
func fzOf[T any](p *T) fzCols {
	v := reflect.ValueOf(p).Elem()
	c := fzCols{
		t:   any(p).(wren.TableLike),
		id:  v.FieldByName("ID").Interface().(wren.Column[int64]),
		val: v.FieldByName("Val").Interface().(wren.Column[string]),
		n:   v.FieldByName("N").Interface().(wren.Column[int64]),
	}
	c.alias = func(a string) fzCols { return fzOf(wren.Alias(p, a)) }
	return c
}

// fzFragments are the pieces awkward names are made of.
var fzFragments = []string{`"`, "`", "'", "''", `""`, "``", "[", "]", "[x]", "ünï", "☃", "中", "日本", "--", "-- ",
	"/*", "*/", ";", " ", "$1", "$$", "?", ":a", "@a", `\`, `\'`, "%", "_", "!", "a", "Z", "0", "select", ".", ",",
	"(", ")", "#", "\t", "\n", "U&", "E'", "x", "N'"}

// fzName returns an awkward identifier at most max characters and maxBytes
// bytes long (servers count differently), sometimes filled up to the limit.
func fzName(rng *rand.Rand, max, maxBytes int) string {
	return fzNameFits(rng, max, maxBytes, func(string) bool { return true })
}

// fzNameFits is fzName with one more test every name must pass.
func fzNameFits(rng *rand.Rand, max, maxBytes int, fits func(string) bool) string {
	var b strings.Builder
	parts := 1 + rng.IntN(5)
	long := rng.IntN(8) == 0
	for i := 0; long || i < parts; i++ {
		f := fzFragments[rng.IntN(len(fzFragments))]
		if utf8.RuneCountInString(b.String()+f) > max || b.Len()+len(f) > maxBytes || !fits(b.String()+f) {
			break
		}
		b.WriteString(f)
	}
	s := b.String()
	// MySQL refuses names that end in a space and drops the leading spaces
	// of a column alias; no server keeps a name that is empty.
	if t := strings.TrimLeft(s, " \t\n"); t != s {
		s = "y" + t
	}
	if s == "" || strings.HasSuffix(s, " ") || strings.HasSuffix(s, "\t") || strings.HasSuffix(s, "\n") {
		s = strings.TrimRight(s, " \t\n") + "z"
	}
	return s
}

// fzLimits are a server's identifier limits: characters and bytes.
func fzLimits(d *dialect.Dialect) (chars, bytes int) {
	switch d.Name() {
	case "postgres":
		return 63, 63 // NAMEDATALEN-1 bytes; longer names are truncated
	case "sqlite":
		return 200, 800
	}
	return 64, 255 // MySQL/MariaDB: 64 characters; a column alias 255 bytes
}

// fzFileName is MySQL's limit on table names beyond their 64 characters:
// the table is a file whose name spells each character other than an ASCII
// letter, digit or _ as @ and four hex digits, and a file name has at most
// 255 bytes (with room kept for the extension).
func fzFileName(d *dialect.Dialect) func(string) bool {
	if !d.IsMySQLFamily() {
		return func(string) bool { return true }
	}
	return func(s string) bool {
		n := 0
		for _, r := range s {
			if r == '_' || r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				n++
			} else {
				n += 5
			}
		}
		return n <= 240
	}
}

// TestFuzzedStatementsRun creates tables under awkward names from a seeded
// generator on the real servers and runs INSERT, SELECT (self-join with an
// alias, As alias, LIKE, IN, CTE, derived table), upsert, UPDATE and DELETE
// on them, checking the rows and the column names that come back: the
// server, not wren's quoting, says each statement kept its shape.
func TestFuzzedStatementsRun(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		for _, h := range handles(db) { // MariaDB also as MySQL 8
			runFuzzedSamples(t, h)
		}
	})
}

func runFuzzedSamples(t *testing.T, db *wren.DB) {
	{
		ctx := ctxT(t)
		d := db.Dialect()
		longest := 0
		rng := rand.New(rand.NewPCG(12, 2026))
		chars, bytes := fzLimits(d)
		statements := 0
		const samples = 60
		seen := map[string]bool{}
		for i := 0; i < samples; i++ {
			kind := i % 3
			tl, tb := chars, bytes
			if kind == 2 {
				tl, tb = chars-12, bytes-12 // the index name is idx_<table>_<column>
			}
			name := fzNameFits(rng, tl, tb, fzFileName(d))
			for seen[strings.ToLower(name)] {
				name += "z"
			}
			seen[strings.ToLower(name)] = true
			longest = max(longest, utf8.RuneCountInString(name))
			aliasName := fzName(rng, chars, bytes)
			if strings.EqualFold(aliasName, name) {
				aliasName += "q"
			}
			as := fzName(rng, chars, bytes)
			cteName := fzName(rng, chars, bytes)
			if strings.EqualFold(cteName, name) {
				cteName += "q"
			}
			derivedName := fzName(rng, chars, bytes)
			v1 := fzName(rng, 40, 160)
			v2, v3 := v1+"'2", "3\"`"+v1
			s := fzSample{t: t, ctx: ctx, db: db, label: fmt.Sprintf("sample %d (table %q)", i, name)}

			tc := fzTable(kind, name)
			s.exec(wren.CreateTable(tc.t), -1)
			for _, ix := range wren.CreateIndexes(tc.t) {
				s.exec(ix, -1)
			}
			s.exec(wren.Insert(tc.t).Set(wren.Set(tc.val, v1), wren.Set(tc.n, 1)), 1)
			s.exec(wren.Insert(tc.t).Set(wren.Set(tc.val, v2), wren.Set(tc.n, 2)), 1)

			a := tc.alias(aliasName)
			s.query(wren.Select(tc.n, a.val.As(as)).From(tc.t).Join(a.t, a.id.EqExpr(tc.id)).
				Where(tc.val.Eq(v1), wren.Contains(a.val, v1), tc.n.In(1, 3)).OrderBy(tc.n),
				[]string{tc.n.Name(), as}, [][]string{{"1", v1}})
			s.query(wren.Select(tc.val).From(tc.t).Where(wren.StartsWith(tc.val, v1), wren.EndsWith(tc.val, "'2")),
				[]string{tc.val.Name()}, [][]string{{v2}})

			cte := wren.NewTable[fzCTE](cteName)
			s.query(wren.Select(cte.V).From(cte).With(wren.CTEOf(cte, wren.Select(tc.val.As(cte.V.Name())).From(tc.t).Where(tc.n.Eq(2)))),
				[]string{cte.V.Name()}, [][]string{{v2}})

			dt := wren.Derived[fzDerived](wren.Select(tc.val.As(dt0.V.Name()), tc.n.As(dt0.M.Name())).From(tc.t), derivedName)
			s.query(wren.Select(dt.V, dt.M).From(dt).Where(dt.M.Gt(1)), []string{dt.V.Name(), dt.M.Name()}, [][]string{{v2, "2"}})

			s.exec(wren.Update(tc.t).Set(wren.Set(tc.val, v3)).Where(tc.n.Eq(2), tc.val.In(v2, v1)), 1)
			s.query(wren.Select(tc.val, tc.n).From(tc.t).OrderBy(tc.n), []string{tc.val.Name(), tc.n.Name()},
				[][]string{{v1, "1"}, {v3, "2"}})
			s.exec(wren.Delete(tc.t).Where(tc.n.Eq(1), wren.EndsWith(tc.val, v1)), 1)
			s.query(wren.Select(wren.CountAll().As(as)).From(tc.t), []string{as}, [][]string{{"1"}})
			s.exec(wren.DropTable(tc.t), -1)
			statements += s.n
		}
		t.Logf("%d statements on %s; longest table name %d characters", statements, d, longest)
	}
}

// dt0 names the derived table's columns for the query that fills it.
var dt0 = wren.NewTable[fzDerived]("dt0")

// fzSample runs one sample's statements, failing the test on the first
// error with the statement's text.
type fzSample struct {
	t     *testing.T
	ctx   context.Context
	db    *wren.DB
	label string
	n     int
}

func (s *fzSample) render(st wren.Statement) (string, []any) {
	s.t.Helper()
	text, args, err := st.SQL(s.db.Dialect())
	if err != nil {
		s.t.Fatalf("%s: render: %v", s.label, err)
	}
	s.n++
	return text, args
}

// exec runs st, expecting it to affect want rows (-1: any number).
func (s *fzSample) exec(st wren.Statement, want int64) {
	s.t.Helper()
	text, _ := s.render(st)
	res, err := wren.Exec(s.ctx, s.db, st)
	if err != nil {
		s.t.Fatalf("%s: %v\n  %s", s.label, err, text)
	}
	if want >= 0 {
		if res.RowsAffected != want {
			s.t.Fatalf("%s: %d rows affected, want %d\n  %s", s.label, res.RowsAffected, want, text)
		}
	}
}

// query runs st through the driver directly and compares the result's
// column names and rows (as text) with want.
func (s *fzSample) query(st wren.Statement, cols []string, want [][]string) {
	s.t.Helper()
	text, args := s.render(st)
	var gotCols []string
	var got [][]string
	if p := s.db.Pool(); p != nil {
		rows, err := p.Query(s.ctx, text, args...)
		if err != nil {
			s.t.Fatalf("%s: %v\n  %s", s.label, err, text)
		}
		for _, f := range rows.FieldDescriptions() {
			gotCols = append(gotCols, f.Name)
		}
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				s.t.Fatal(err)
			}
			got = append(got, fzTexts(vals))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			s.t.Fatalf("%s: %v\n  %s", s.label, err, text)
		}
	} else {
		rows, err := s.db.SQLDB().QueryContext(s.ctx, text, args...)
		if err != nil {
			s.t.Fatalf("%s: %v\n  %s", s.label, err, text)
		}
		gotCols, _ = rows.Columns()
		for rows.Next() {
			vals := make([]any, len(gotCols))
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				s.t.Fatal(err)
			}
			got = append(got, fzTexts(vals))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			s.t.Fatalf("%s: %v\n  %s", s.label, err, text)
		}
	}
	if !reflect.DeepEqual(gotCols, cols) || !reflect.DeepEqual(got, want) {
		s.t.Fatalf("%s:\n  %s\n  columns %q rows %q\n  want    %q rows %q", s.label, text, gotCols, got, cols, want)
	}
}

func fzTexts(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		out[i] = fmt.Sprint(v)
	}
	return out
}
