package wren_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

type Prefs struct {
	Theme string   `json:"theme"`
	Tags  []string `json:"tags"`
}

type Plan string

func (Plan) Values() []Plan { return []Plan{"free", "pro"} }

type AccountTable struct {
	wren.Table
	ID      wren.Column[int64] `wren:",pk"`
	Prefs   wren.Column[wren.JSON[Prefs]]
	Balance wren.Column[wren.Decimal] `wren:",type=NUMERIC(12,2)"`
	Plan    wren.Column[Plan]
}

var Accounts = wren.NewTable[AccountTable]("accounts")

type Account struct {
	ID      int64
	Prefs   wren.JSON[Prefs]
	Balance wren.Decimal
	Plan    Plan
}

// JSON documents, exact decimals and enums, the same on every database.
func ExampleJSON() {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, Accounts); err != nil {
		panic(err)
	}
	err = wren.Create(ctx, db, Accounts,
		&Account{Prefs: wren.JSONOf(Prefs{Theme: "dark", Tags: []string{"a", "b"}}), Balance: wren.MustDecimal("10.10"), Plan: "pro"},
		&Account{Prefs: wren.JSONOf(Prefs{Theme: "light"}), Balance: wren.MustDecimal("0.20"), Plan: "free"})
	if err != nil {
		panic(err)
	}
	dark, err := wren.One[Account](ctx, db, wren.Select(Accounts).From(Accounts).
		Where(wren.JSONGet[string](Accounts.Prefs, "theme").Eq("dark")))
	if err != nil {
		panic(err)
	}
	fmt.Println(dark.Prefs.V.Tags, dark.Balance.StringFixed(2), dark.Plan)

	total, err := wren.One[wren.Decimal](ctx, db, wren.RawStmt("SELECT SUM(balance) FROM accounts"))
	if err != nil {
		panic(err)
	}
	fmt.Println(total)

	// A value outside the enum's set is refused before anything is sent.
	_, err = wren.Exec(ctx, db, wren.Update(Accounts).Set(wren.Set(Accounts.Plan, "gold")).Where(Accounts.ID.Eq(1)))
	fmt.Println(err)

	text, args, _ := wren.Select(Accounts.ID).From(Accounts).
		Where(wren.JSONGet[int64](Accounts.Prefs, "limits", "daily").Gt(10)).SQL(dialect.Postgres)
	fmt.Println(text, args)
	// Output:
	// [a b] 10.10 pro
	// 10.3
	// wren: "gold" is not a value of the enum wren_test.Plan (want one of "free", "pro"): refused before sending
	// SELECT "id" FROM "accounts" WHERE CAST(("prefs" #>> $1) AS BIGINT) > $2 [[limits daily] 10]
}

type ArticleTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Tags wren.Column[[]string]
}

var Articles = wren.NewTable[ArticleTable]("articles")

// PostgreSQL arrays: a Column[[]E] and its operators. Other databases have
// no arrays and refuse them with ErrUnsupported.
func ExampleArray() {
	q := wren.Select(Articles.ID).From(Articles).
		Where(wren.Array(Articles.Tags).Contains("go"), wren.Array(Articles.Tags).Overlaps("sql", "db"))
	text, args, _ := q.SQL(dialect.Postgres)
	fmt.Println(text, args)
	_, _, err := q.SQL(dialect.SQLite)
	fmt.Println(err)
	// Output:
	// SELECT "id" FROM "articles" WHERE ("tags" @> $1) AND ("tags" && $2) [[go] [sql db]]
	// wren: array operator wren.Array(…).Contains: not supported by this dialect on sqlite
}

func ExampleDecimal() {
	d := wren.MustDecimal("2.675")
	fmt.Println(d, d.StringFixed(2), d.Cmp(wren.MustDecimal("2.6750")))
	// Output: 2.675 2.68 0
}

func TestDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "+0.000": "0", "00012.3400": "12.34", ".5": "0.5", "-.50": "-0.5", "7.": "7",
		"-9999999999.99": "-9999999999.99", "123456789012345678901234567890.123456789": "123456789012345678901234567890.123456789",
	} {
		d, err := wren.ParseDecimal(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDecimal(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
	for _, bad := range []string{"", "-", ".", "1e5", "NaN", "Infinity", "1.2.3", "١٢", " 1", "0x10"} {
		if _, err := wren.ParseDecimal(bad); err == nil {
			t.Errorf("ParseDecimal(%q) succeeded", bad)
		}
	}
	for _, c := range []struct {
		in     string
		places int
		want   string
	}{{"2.675", 2, "2.68"}, {"-2.675", 2, "-2.68"}, {"2.674", 2, "2.67"}, {"12.5", 2, "12.50"}, {"0.004", 2, "0.00"},
		{"-0.005", 2, "-0.01"}, {"9.99", 1, "10.0"}, {"12", 0, "12"}, {"0.5", 0, "1"}, {"0", 3, "0.000"}} {
		if got := wren.MustDecimal(c.in).StringFixed(c.places); got != c.want {
			t.Errorf("%s.StringFixed(%d) = %s, want %s", c.in, c.places, got, c.want)
		}
	}
	if wren.MustDecimal("1.10") != wren.MustDecimal("1.1") || wren.MustDecimal("-1").Cmp(wren.MustDecimal("0.5")) != -1 ||
		wren.MustDecimal("10").Cmp(wren.MustDecimal("9.999")) != 1 {
		t.Error("Decimal equality or Cmp")
	}
	var d wren.Decimal
	for _, c := range []struct {
		src  any
		want string
	}{{"12.50", "12.5"}, {[]byte("-0.01"), "-0.01"}, {int64(-42), "-42"}, {0.1 + 0.2, "0.3"}, {9999999999.99, "9999999999.99"},
		{1e-7, "0.0000001"}, {1.5e20, "150000000000000000000"}, {-123456.789012345, "-123456.789012345"}} {
		if err := d.Scan(c.src); err != nil || d.String() != c.want {
			t.Errorf("Scan(%v) = %v, %v; want %s", c.src, d, err, c.want)
		}
	}
	if err := d.Scan(nil); err == nil {
		t.Error("Scan(nil) into a Decimal succeeded")
	}
}
