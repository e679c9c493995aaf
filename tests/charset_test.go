package tests

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

// gbkDSN is the MySQL test DSN with the connection charset set to GBK.
func gbkDSN(t *testing.T) string {
	dsn := needServer(t, "WREN_MYSQL_DSN", "MySQL/MariaDB")
	if strings.Contains(dsn, "?") {
		return dsn + "&charset=gbk"
	}
	return dsn + "?charset=gbk"
}

// TestGBKSplitsQuotedIdentifier shows on the real server why wren refuses
// identifiers that are not UTF-8, and GBK connections altogether: in GBK a
// character's second byte can be a backtick, so the quote wren doubled is
// read as part of a character and the identifier ends early — here letting
// an As alias add a second column. The bytes 0x81 0x60 are such a character,
// and so are the last byte of the UTF-8 "中" (0xE4 0xB8 0xAD) and a backtick.
func TestGBKSplitsQuotedIdentifier(t *testing.T) {
	dsn := gbkDSN(t)
	raw, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	db := openTestDB(t, "mysql")
	for _, name := range []string{"a\x81`, 2 AS b -- ", "中`, 2 AS b -- "} {
		text := "SELECT 1 AS " + string(dialect.MariaDB.AppendIdent(nil, name))
		rows, err := raw.QueryContext(ctxT(t), text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		cols, err := rows.Columns()
		rows.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(cols) != 2 {
			t.Fatalf("%q under GBK: columns %q; expected the quote to be swallowed (2 columns)", text, cols)
		}
		if !utf8.ValidString(name) {
			continue // a utf8mb4 connection refuses the text
		}
		// Over a utf8mb4 connection the same text is one column.
		var one []string
		rows2, err := db.SQLDB().QueryContext(ctxT(t), text)
		if err != nil {
			t.Fatal(err)
		}
		one, _ = rows2.Columns()
		rows2.Close()
		if len(one) != 1 || one[0] != name {
			t.Fatalf("%q under utf8mb4: columns %q", text, one)
		}
	}
	// wren refuses the identifier that is not UTF-8 when rendering…
	users := wren.NewTable[charsetUsers]("users")
	if _, _, err := wren.Select(users.ID.As("a\x81`, 2 AS b -- ")).From(users).SQL(dialect.MariaDB); !errors.Is(err, wren.ErrIdentifier) {
		t.Fatalf("identifier not valid UTF-8: err %v", err)
	}
	// …and the connection charset in which valid UTF-8 splits too.
	if db, err := wren.Open(ctxT(t), "mysql", dsn); err == nil {
		db.Close()
		t.Fatal("wren.Open accepted a GBK connection")
	} else if !strings.Contains(err.Error(), "charset gbk") {
		t.Fatalf("wren.Open: %v does not name the charset", err)
	}
}

type charsetUsers struct {
	wren.Table
	ID wren.Column[int64] `wren:",pk"`
}

// TestServersOnLongNames pins what the servers do with a column alias longer
// than they keep — PostgreSQL shortens it to 63 bytes and MariaDB to 255,
// without an error; SQLite keeps it whole — and that wren refuses to render
// such a name where it would be shortened.
func TestServersOnLongNames(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		ctx := ctxT(t)
		d := db.Dialect()
		users := wren.NewTable[charsetUsers]("users")
		for _, n := range []int{70, 300} {
			name := strings.Repeat("n", n)
			text := "SELECT 1 AS " + string(d.AppendIdent(nil, name))
			var cols []string
			if p := db.Pool(); p != nil {
				rows, err := p.Query(ctx, text)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range rows.FieldDescriptions() {
					cols = append(cols, f.Name)
				}
				rows.Close()
			} else {
				rows, err := db.SQLDB().QueryContext(ctx, text)
				if err != nil {
					t.Fatal(err)
				}
				cols, _ = rows.Columns()
				rows.Close()
			}
			kept := n
			if m := d.MaxIdentBytes(true); m > 0 && m < n {
				kept = m
			}
			if len(cols) != 1 || len(cols[0]) != kept {
				t.Errorf("%d-byte alias on %s: the server kept %d bytes, MaxIdentBytes says %d", n, d, len(cols[0]), kept)
			}
			_, _, err := wren.Select(users.ID.As(name)).From(users).SQL(d)
			if (kept < n) != errors.Is(err, wren.ErrIdentifier) {
				t.Errorf("%d-byte alias on %s: server keeps %d bytes, wren says %v", n, d, kept, err)
			}
		}
	})
}
