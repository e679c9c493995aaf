package bench

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/wrensql/wren"
)

// bulkModels is a table of its own, so that the seeded models table the
// other benchmarks read stays as it is.
var bulkModels = wren.NewTable[ModelTable]("bulk_models")

// bulkSizes are the sizes of BenchmarkBulkInsert.
var bulkSizes = []int{1000, 10000}

// BenchmarkBulkInsert inserts 1,000 and 10,000 rows with their keys read
// back: wren's Create against the best hand-written code.
//
//   - PostgreSQL: INSERT … SELECT FROM unnest with RETURNING through native
//     pgx (pgx-unnest-keys), and pgx's CopyFrom, which returns no keys
//     (pgx-CopyFrom-nokeys).
//   - MySQL and SQLite: multi-row INSERTs of as many rows as the limit on
//     bound parameters allows (raw-multirow-keys) or of 100 rows
//     (raw-multirow100-keys), each text prepared once, several in one
//     transaction; keys from the last-insert id on MySQL, RETURNING on
//     SQLite. On SQLite also one prepared single-row INSERT per row in one
//     transaction, keys from the last-insert id (raw-rowbyrow-keys).
//
// The report compares each contender with the fastest of these in each
// round.
//
// The table is emptied outside the timer every 20 batches so that it stays
// small.
func BenchmarkBulkInsert(b *testing.B) {
	ctx := context.Background()
	for _, e := range envs {
		if err := wren.DropTablesIfExists(ctx, e.wdb, bulkModels); err != nil {
			b.Fatal(err)
		}
		if err := wren.CreateTables(ctx, e.wdb, bulkModels); err != nil {
			b.Fatal(err)
		}
		empty := "DELETE FROM bulk_models"
		if e.name != "sqlite" {
			empty = "TRUNCATE TABLE bulk_models"
		}
		multi := newMultiRow(e)
		multi100 := newMultiRow(e)
		multi100.per = 100
		for _, n := range bulkSizes {
			ms := make([]*Model, n)
			for i := range ms {
				ms[i] = newModel(i)
			}
			type bulkContender struct {
				name string
				keys bool // reads the keys back
				run  func() error
			}
			cs := []bulkContender{{"wren-Create", true, func() error { return wren.Create(ctx, e.wdb, bulkModels, ms...) }}}
			if e.pool != nil {
				cs = append(cs,
					bulkContender{"pgx-unnest-keys", true, func() error { return unnestInsert(ctx, e, ms) }},
					bulkContender{"pgx-CopyFrom-nokeys", false, func() error {
						_, err := e.pool.CopyFrom(ctx, pgx.Identifier{"bulk_models"}, modelCols,
							pgx.CopyFromSlice(len(ms), func(i int) ([]any, error) { return args(ms[i]), nil }))
						return err
					}})
			} else {
				cs = append(cs, bulkContender{"raw-multirow-keys", true, func() error { return multi.insert(ctx, ms) }},
					bulkContender{"raw-multirow100-keys", true, func() error { return multi100.insert(ctx, ms) }})
				if e.name == "sqlite" {
					// In process, a statement costs no round trip, and
					// modernc.org/sqlite binds a statement's arguments in
					// a time quadratic in their number (it looks each
					// parameter up by a linear search of the arguments):
					// short statements win.
					cs = append(cs, bulkContender{"raw-rowbyrow-keys", true, func() error { return rowByRow(ctx, e, ms) }})
				}
			}
			for _, c := range inRoundOrder(cs) {
				b.Run(e.name+"/"+strconv.Itoa(n)+"/"+c.name, func(b *testing.B) {
					b.ReportAllocs()
					cpu := startCPU(b)
					for i := 0; i < b.N; i++ {
						if i%20 == 0 {
							cpu.pause()
							if _, err := e.sqlDB.ExecContext(ctx, empty); err != nil {
								b.Fatal(err)
							}
							cpu.resume()
						}
						for _, m := range ms {
							m.ID = 0
						}
						if err := c.run(); err != nil {
							b.Fatal(err)
						}
					}
					cpu.report()
					checkIdle(b, e)
					if c.keys {
						checkKeys(b, ms)
					}
				})
			}
		}
	}
}

// unnestInsert is the best hand-written bulk insert with keys through
// native pgx: one array per column, keys sorted back onto the rows.
func unnestInsert(ctx context.Context, e *env, ms []*Model) error {
	n := len(ms)
	name, title, fax, web := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	age, counter := make([]int64, n), make([]int64, n)
	flag := make([]bool, n)
	score := make([]float64, n)
	created := make([]any, 0, n)
	for i, m := range ms {
		name[i], title[i], fax[i], web[i] = m.Name, m.Title, m.Fax, m.Web
		age[i], counter[i], flag[i], score[i] = m.Age, m.Counter, m.Flag, m.Score
		created = append(created, m.CreatedAt)
	}
	rows, err := e.pool.Query(ctx, "INSERT INTO bulk_models ("+cols+") SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::boolean[], $7::bigint[], $8::double precision[], $9::timestamptz[]) RETURNING id",
		name, title, fax, web, age, flag, counter, score, created)
	if err != nil {
		return err
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	var id int64
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	slices.Sort(ids)
	for i, m := range ms {
		m.ID = ids[i]
	}
	return nil
}

// multiRow is the hand-written bulk insert with keys on MySQL and SQLite:
// INSERT … VALUES (…), (…), … of as many rows as the database's limit on
// bound parameters allows (65,535 on MySQL, 32,766 on SQLite), each text
// prepared once; more rows than that go in several statements in one
// transaction. Keys: MySQL's last-insert id is the first row's, and one
// INSERT's keys are consecutive under innodb_autoinc_lock_mode 0 or 1
// (setup checks); SQLite returns them with RETURNING, in no promised
// order, so they are sorted onto the rows.
type multiRow struct {
	e     *env
	per   int // rows per statement
	stmts map[int]*sql.Stmt
}

func newMultiRow(e *env) *multiRow {
	limit := 65535
	if e.name == "sqlite" {
		limit = 32766
	}
	return &multiRow{e: e, per: limit / len(modelCols), stmts: map[int]*sql.Stmt{}}
}

// stmt returns the prepared INSERT of n rows.
func (w *multiRow) stmt(ctx context.Context, n int) (*sql.Stmt, error) {
	if st, ok := w.stmts[n]; ok {
		return st, nil
	}
	row := "(" + strings.Repeat("?, ", len(modelCols)-1) + "?)"
	var q strings.Builder
	q.WriteString("INSERT INTO bulk_models (" + cols + ") VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(row)
	}
	if w.e.returning() {
		q.WriteString(" RETURNING id")
	}
	st, err := w.e.sqlDB.PrepareContext(ctx, q.String())
	if err != nil {
		return nil, err
	}
	w.stmts[n] = st
	return st, nil
}

func (w *multiRow) insert(ctx context.Context, ms []*Model) error {
	if len(ms) <= w.per {
		return w.chunk(ctx, nil, ms)
	}
	tx, err := w.e.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for start := 0; start < len(ms); start += w.per {
		if err := w.chunk(ctx, tx, ms[start:min(start+w.per, len(ms))]); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// chunk inserts ms in one statement, in tx when it is not nil.
func (w *multiRow) chunk(ctx context.Context, tx *sql.Tx, ms []*Model) error {
	st, err := w.stmt(ctx, len(ms))
	if err != nil {
		return err
	}
	if tx != nil {
		st = tx.StmtContext(ctx, st)
	}
	a := multiArgs(ms)
	if !w.e.returning() {
		res, err := st.ExecContext(ctx, a...)
		if err != nil {
			return err
		}
		first, err := res.LastInsertId()
		for i, m := range ms {
			m.ID = first + int64(i)
		}
		return err
	}
	rows, err := st.QueryContext(ctx, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	ids := make([]int64, 0, len(ms))
	var id int64
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) != len(ms) {
		return fmt.Errorf("%d rows inserted, %d keys returned", len(ms), len(ids))
	}
	slices.Sort(ids)
	for i, m := range ms {
		m.ID = ids[i]
	}
	return nil
}

// rowByRow inserts ms one prepared single-row INSERT each, in one
// transaction, with each key from the last-insert id.
func rowByRow(ctx context.Context, e *env, ms []*Model) error {
	tx, err := e.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, "INSERT INTO bulk_models ("+cols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	for _, m := range ms {
		res, err := st.ExecContext(ctx, m.Name, m.Title, m.Fax, m.Web, m.Age, m.Flag, m.Counter, m.Score, m.CreatedAt)
		if err != nil {
			return err
		}
		if m.ID, err = res.LastInsertId(); err != nil {
			return err
		}
	}
	return tx.Commit()
}
