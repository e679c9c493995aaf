package tests

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
)

type OneRowTable struct {
	wren.Table
	ID    wren.Column[int64]  `wren:",pk"`
	Title wren.Column[string] `wren:",size=40"`
	Views wren.Column[int64]  `wren:",default=7,omitzero"`
}

var OneRows = wren.NewTable[OneRowTable]("one_rows")

// withOneRows runs fn on every database, with the one_rows table created.
func withOneRows(t *testing.T, fn func(t *testing.T, is *is.I, ctx context.Context, db *wren.DB)) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		_, err := wren.Exec(ctx, db, wren.CreateTable(OneRows))
		is.NoErr(err)
		fn(t, is, ctx, db)
	})
}

type OneRow struct {
	ID    int64
	Title string
	Views int64
}

// TestCreateOneRow: Create of one row keeps its INSERT's text per row type,
// table, dialect and generated columns left zero, and binds each row's own
// values. The statements sent are exactly those Insert(…).Rows(row)
// renders, whichever columns a row leaves to the database, in any order.
func TestCreateOneRow(t *testing.T) {
	withOneRows(t, func(t *testing.T, is *is.I, ctx context.Context, db *wren.DB) {
		var err error
		for hi, h := range handles(db) {
			type sent struct {
				sql  string
				args string
			}
			var got []sent
			h.SetHook(hookFunc(func(e *wren.QueryEvent) {
				if strings.HasPrefix(e.SQL, "INSERT") { // not the read-back of MySQL's general path
					got = append(got, sent{e.SQL, fmt.Sprint(e.Args)})
				}
			}))
			rows := []*OneRow{
				{Title: "a", Views: 3}, // the key comes back
				{Title: "b", Views: 4}, // the same text, other values
				{Title: "c"},           // views too: Create's general path
				{Title: "d", Views: 5}, // back to the first text
				{ID: int64(1000 * (hi + 1)), Title: "e", Views: 1}, // a key given: nothing comes back
				{Title: "f", Views: 6},
			}
			for _, r := range rows {
				is.NoErr(wren.Create(ctx, h, OneRows, r))
			}
			h.SetHook(nil)
			is.Equal(len(got), len(rows))
			for i, r := range rows {
				is.True(r.ID > 0)
				back, err := wren.One[OneRow](ctx, h, wren.Select(OneRows).From(OneRows).Where(OneRows.ID.Eq(r.ID)))
				is.NoErr(err)
				is.Equal(back, *r)
				if i == 2 {
					is.Equal(r.Views, int64(7)) // the DEFAULT, read back
					continue
				}
				// The text and values Insert(…).Rows renders for the row as
				// it was sent (its key still zero where the database gave it).
				sentRow := *r
				if i != 4 {
					sentRow.ID = 0
				}
				q := wren.Insert(OneRows).Rows(&sentRow)
				if i != 4 && h.Dialect().Returning("INSERT") && !h.Dialect().LastInsertID() {
					q = q.Returning(OneRows.ID)
				}
				text, args, err := q.SQL(h.Dialect())
				is.NoErr(err)
				is.Equal(got[i], sent{text, fmt.Sprint(args)})
			}
			is.Equal(rows[4].ID, int64(1000*(hi+1)))

			// A zero key that nothing generates is refused before anything
			// is sent, as Insert refuses it.
			err = wren.Create(ctx, h, Keyed, &KeyedRow{Note: "x"})
			is.True(err != nil)
			is.True(strings.Contains(err.Error(), "leaves primary key column code zero"))
		}
	})
}

// TestCreateOneDropped: a row a trigger drops gets no key — not another
// row's last-insert id — and Create says so. MySQL and MariaDB have no
// trigger that drops a row silently (SIGNAL fails the statement).
func TestCreateOneDropped(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		switch db.Dialect().Name() {
		case "sqlite":
			mustExec(t, db, "CREATE TABLE one_rows (id INTEGER PRIMARY KEY, title TEXT NOT NULL, views INTEGER NOT NULL DEFAULT 7)")
			mustExec(t, db, "CREATE TRIGGER one_rows_drop BEFORE INSERT ON one_rows WHEN NEW.title = 'drop' BEGIN SELECT RAISE(IGNORE); END")
		case "postgres":
			mustExec(t, db, "CREATE TABLE one_rows (id BIGSERIAL PRIMARY KEY, title TEXT NOT NULL, views BIGINT NOT NULL DEFAULT 7)")
			mustExec(t, db, "CREATE FUNCTION one_rows_drop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.title = 'drop' THEN RETURN NULL; END IF; RETURN NEW; END $$")
			mustExec(t, db, "CREATE TRIGGER one_rows_drop BEFORE INSERT ON one_rows FOR EACH ROW EXECUTE FUNCTION one_rows_drop()")
		default:
			t.Skip("no trigger drops a row silently on " + db.Dialect().Name())
		}
		kept := &OneRow{Title: "keep", Views: 1}
		is.NoErr(wren.Create(ctx, db, OneRows, kept))
		is.True(kept.ID > 0)
		dropped := &OneRow{Title: "drop", Views: 1}
		err := wren.Create(ctx, db, OneRows, dropped)
		is.True(err != nil)
		is.True(strings.Contains(err.Error(), "the row was not inserted"))
		is.Equal(dropped.ID, int64(0))
	})
}

// TestCreateKeptBatch: Create of several rows that leave the same columns
// to the database keeps its INSERT per number of rows too. Every row gets
// its own key and values, whichever batch size comes before it, and the
// statements sent are those Insert(…).Rows(rows…) renders. (On PostgreSQL
// a table whose only generated column is the key takes arrays instead.)
func TestCreateKeptBatch(t *testing.T) {
	withOneRows(t, func(t *testing.T, is *is.I, ctx context.Context, db *wren.DB) {
		for hi, h := range handles(db) {
			var got []string
			h.SetHook(hookFunc(func(e *wren.QueryEvent) {
				if strings.HasPrefix(e.SQL, "INSERT") {
					got = append(got, e.SQL+" "+fmt.Sprint(e.Args))
				}
			}))
			batch := func(n int, given bool) []*OneRow {
				rows := make([]*OneRow, n)
				for i := range rows {
					rows[i] = &OneRow{Title: fmt.Sprintf("t%d-%d", n, i), Views: int64(10*n + i)}
					if given {
						rows[i].ID = int64(100000*(hi+1) + 100*n + i)
					}
				}
				return rows
			}
			batches := [][]*OneRow{batch(3, false), batch(3, false), batch(2, false), batch(3, true), batch(3, false), batch(1, false)}
			var want []string
			for _, rows := range batches {
				// The statement as Insert(…).Rows renders the rows as sent.
				sent := make([]any, len(rows))
				for i, r := range rows {
					c := *r
					sent[i] = &c
				}
				q := wren.Insert(OneRows).Rows(sent...)
				if rows[0].ID == 0 && h.Dialect().Returning("INSERT") && (len(rows) > 1 || !h.Dialect().LastInsertID()) {
					q = q.Returning(OneRows.ID)
				}
				text, args, err := q.SQL(h.Dialect())
				is.NoErr(err)
				want = append(want, text+" "+fmt.Sprint(args))
				is.NoErr(wren.Create(ctx, h, OneRows, rows...))
			}
			h.SetHook(nil)
			seen := map[int64]bool{}
			for _, rows := range batches {
				for _, r := range rows {
					is.True(r.ID > 0)
					is.True(!seen[r.ID]) // a key of its own
					seen[r.ID] = true
					back, err := wren.One[OneRow](ctx, h, wren.Select(OneRows).From(OneRows).Where(OneRows.ID.Eq(r.ID)))
					is.NoErr(err)
					is.Equal(back, *r)
				}
			}
			is.Equal(got, want)
		}
	})
}

// TestCreateKeptConcurrent: Create of batches of different sizes from
// several goroutines at once — the kept INSERTs are replaced while others
// read them — gives every row its own key and its own values.
func TestCreateKeptConcurrent(t *testing.T) {
	withOneRows(t, func(t *testing.T, is *is.I, ctx context.Context, db *wren.DB) {
		const workers, rounds = 6, 5
		made := make([][]*OneRow, workers)
		errs := make(chan error, workers)
		for w := range workers {
			go func() {
				for r := range rounds {
					n := 1 + (w+r)%workers // six sizes: more than the kept four
					rows := make([]*OneRow, n)
					for i := range rows {
						rows[i] = &OneRow{Title: fmt.Sprintf("w%d-r%d-%d", w, r, i), Views: int64(100*w + 10*r + i + 1)}
					}
					if err := wren.Create(ctx, db, OneRows, rows...); err != nil {
						errs <- err
						return
					}
					made[w] = append(made[w], rows...)
				}
				errs <- nil
			}()
		}
		for range workers {
			is.NoErr(<-errs)
		}
		seen := map[int64]bool{}
		for _, rows := range made {
			for _, r := range rows {
				is.True(r.ID > 0 && !seen[r.ID])
				seen[r.ID] = true
				back, err := wren.One[OneRow](ctx, db, wren.Select(OneRows).From(OneRows).Where(OneRows.ID.Eq(r.ID)))
				is.NoErr(err)
				is.Equal(back, *r)
			}
		}
		n, err := wren.Count(ctx, db, wren.Select(OneRows.ID).From(OneRows))
		is.NoErr(err)
		is.Equal(n, int64(len(seen)))
	})
}

// TestCreateKeysCollected: through a pool wren.Open made, a MariaDB
// connection collects the keys of a multi-row INSERT … RETURNING itself
// (the statement is an exec with the rows' count), and with the MySQL
// dialect (no RETURNING) reads the lock mode and step just before the
// INSERT, which is then the only statement seen and needs no transaction;
// a pool wren did not open reads the keys as rows of a query. Either way,
// in a transaction or not, every row gets its own key, in the order of the
// rows. WithDialect refuses a dialect of another database.
func TestCreateKeysCollected(t *testing.T) {
	withOneRows(t, func(t *testing.T, is *is.I, ctx context.Context, db *wren.DB) {
		type handle struct {
			name string
			db   *wren.DB
			tx   bool
			op   string // the INSERT's QueryEvent.Op on MariaDB
		}
		hs := []handle{{"Open", db, false, "exec"}, {"Open, in a transaction", db, true, "exec"}}
		if db.Dialect() == dialect.MariaDB {
			my, err := db.WithDialect(dialect.MySQL)
			is.NoErr(err)
			name, err := wren.One[string](ctx, db, wren.RawStmt("SELECT DATABASE()"))
			is.NoErr(err)
			cfg, err := mysql.ParseDSN(os.Getenv("WREN_MYSQL_DSN"))
			is.NoErr(err)
			cfg.DBName, cfg.ParseTime = name, true
			plain, err := sql.Open("mysql", cfg.FormatDSN())
			is.NoErr(err)
			defer plain.Close()
			hs = append(hs, handle{"WithDialect(MySQL)", my, false, "exec"},
				handle{"WithDialect(MySQL), in a transaction", my, true, "exec"},
				handle{"OpenDB over a pool of the driver's", wren.OpenDB(plain, dialect.MariaDB), false, "query"})
		} else {
			_, err := db.WithDialect(dialect.MySQL)
			is.True(err != nil) // another database's dialect
		}
		same, err := db.WithDialect(db.Dialect())
		is.NoErr(err)
		is.NoErr(same.Close()) // leaves db's pool open
		is.NoErr(db.Ping(ctx))
		for hi, h := range hs {
			var ops []string
			var counts []int64
			events := 0
			h.db.SetHook(hookFunc(func(e *wren.QueryEvent) {
				events++
				if strings.HasPrefix(e.SQL, "INSERT") {
					ops = append(ops, e.Op)
					counts = append(counts, e.Rows)
				}
			}))
			rows := make([]*OneRow, 5)
			for i := range rows {
				rows[i] = &OneRow{Title: fmt.Sprintf("k%d-%d", hi, i), Views: int64(i + 1)}
			}
			var q wren.Querier = h.db
			var tx *wren.Tx
			if h.tx {
				var err error
				tx, err = h.db.Begin(ctx)
				is.NoErr(err)
				q = tx
			}
			is.NoErr(wren.Create(ctx, q, OneRows, rows...))
			if tx != nil {
				is.NoErr(tx.Commit(ctx))
			}
			h.db.SetHook(nil)
			for i, r := range rows {
				if i > 0 {
					is.True(r.ID > rows[i-1].ID) // in the order of the rows
				}
				back, err := wren.One[OneRow](ctx, h.db, wren.Select(OneRows).From(OneRows).Where(OneRows.ID.Eq(r.ID)))
				is.NoErr(err)
				is.Equal(back, *r)
			}
			if db.Dialect() == dialect.MariaDB {
				is.Equal(ops, []string{h.op}) // h.name
				is.Equal(counts, []int64{5})
				if !h.tx {
					is.Equal(events, 1) // the INSERT alone
				}
			}
		}
	})
}

// TestCreateKeysCollectedText: the keys a MariaDB connection collects come
// in the text protocol when the DSN asks the driver to interpolate
// arguments (nothing is prepared), and a failed INSERT sets no key and
// writes no row. MySQL's own driver option: MariaDB only.
func TestCreateKeysCollectedText(t *testing.T) {
	withOneRows(t, func(t *testing.T, is *is.I, ctx context.Context, db *wren.DB) {
		if db.Dialect() != dialect.MariaDB {
			t.Skip("interpolateParams is go-sql-driver/mysql's; the keys sink is MariaDB's")
		}
		name, err := wren.One[string](ctx, db, wren.RawStmt("SELECT DATABASE()"))
		is.NoErr(err)
		cfg, err := mysql.ParseDSN(os.Getenv("WREN_MYSQL_DSN"))
		is.NoErr(err)
		cfg.DBName, cfg.InterpolateParams = name, true
		idb, err := wren.Open(ctx, "mysql", cfg.FormatDSN())
		is.NoErr(err)
		defer idb.Close()
		var ops []string
		idb.SetHook(hookFunc(func(e *wren.QueryEvent) {
			if strings.HasPrefix(e.SQL, "INSERT") {
				ops = append(ops, e.Op)
			}
		}))
		rows := []*OneRow{{Title: "i1", Views: 1}, {Title: "i2", Views: 2}, {Title: "i3", Views: 3}}
		is.NoErr(wren.Create(ctx, idb, OneRows, rows...))
		for i, r := range rows {
			is.True(r.ID > 0)
			if i > 0 {
				is.True(r.ID > rows[i-1].ID)
			}
			back, err := wren.One[OneRow](ctx, idb, wren.Select(OneRows).From(OneRows).Where(OneRows.ID.Eq(r.ID)))
			is.NoErr(err)
			is.Equal(back, *r)
		}
		is.Equal(ops, []string{"exec"}) // collected by the connection

		// A failed INSERT: no key set, no row written.
		mustExec(t, db, "CREATE UNIQUE INDEX one_rows_title ON one_rows (title)")
		bad := []*OneRow{{Title: "new", Views: 1}, {Title: "i2", Views: 2}}
		err = wren.Create(ctx, idb, OneRows, bad...)
		is.True(errors.Is(err, wren.ErrUniqueViolation))
		is.Equal(bad[0].ID, int64(0))
		is.Equal(bad[1].ID, int64(0))
		n, err := wren.One[int64](ctx, db, wren.Select(wren.CountAll()).From(OneRows))
		is.NoErr(err)
		is.Equal(n, int64(3))
	})
}
