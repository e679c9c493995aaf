package bench

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// runner is one contender's way of doing each workload.
type runner interface {
	insert(ctx context.Context, m *Model) error
	insertMulti(ctx context.Context, ms []*Model) error
	update(ctx context.Context, m *Model) error
	read(ctx context.Context, id int64) (Model, error)
	sliceReader
}

// sliceReader reads the first n rows of models by key into a slice.
type sliceReader interface {
	readSlice(ctx context.Context, n int) ([]Model, error)
}

const cols = "name, title, fax, web, age, flag, counter, score, created_at"
const selectCols = "id, " + cols

// sqlText is the hand-written SQL of every workload for one database.
type sqlText struct {
	insert, update, read, readSlice string
	multi                           string // 100 rows
}

func texts(e *env) sqlText {
	values := func(start int) string {
		var b strings.Builder
		b.WriteByte('(')
		for i := 0; i < 9; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(e.ph(start + i))
		}
		b.WriteByte(')')
		return b.String()
	}
	ret := ""
	if e.returning() {
		ret = " RETURNING id"
	}
	var multi strings.Builder
	multi.WriteString("INSERT INTO models (" + cols + ") VALUES ")
	for r := 0; r < 100; r++ {
		if r > 0 {
			multi.WriteString(", ")
		}
		multi.WriteString(values(1 + r*9))
	}
	multi.WriteString(ret)
	return sqlText{
		insert: "INSERT INTO models (" + cols + ") VALUES " + values(1) + ret,
		update: "UPDATE models SET name = " + e.ph(1) + ", title = " + e.ph(2) + ", fax = " + e.ph(3) + ", web = " + e.ph(4) +
			", age = " + e.ph(5) + ", flag = " + e.ph(6) + ", counter = " + e.ph(7) + ", score = " + e.ph(8) +
			", created_at = " + e.ph(9) + " WHERE id = " + e.ph(10),
		read:      "SELECT " + selectCols + " FROM models WHERE id = " + e.ph(1),
		readSlice: "SELECT " + selectCols + " FROM models WHERE id > " + e.ph(1) + " ORDER BY id LIMIT " + e.ph(2),
		multi:     multi.String(),
	}
}

func args(m *Model) []any {
	return []any{m.Name, m.Title, m.Fax, m.Web, m.Age, m.Flag, m.Counter, m.Score, m.CreatedAt}
}

// multiArgs lists the values of rows for a multi-row INSERT, row by row.
func multiArgs(ms []*Model) []any {
	a := make([]any, 0, len(ms)*9)
	for _, m := range ms {
		a = append(a, m.Name, m.Title, m.Fax, m.Web, m.Age, m.Flag, m.Counter, m.Score, m.CreatedAt)
	}
	return a
}

// rawSQL is the baseline: database/sql with statements prepared once and a
// manual rows.Scan.
type rawSQL struct {
	e                                      *env
	stIns, stUpd, stRead, stSlice, stMulti *sql.Stmt
	sliceStmts                             map[int]*sql.Stmt // PostgreSQL's and SQLite's, by LIMIT
	slice                                  sliceTexts
}

// sliceTexts holds the texts of the read of n rows with the LIMIT written
// as a number, by n.
type sliceTexts struct {
	e     *env
	texts map[int]string
}

func (t *sliceTexts) text(n int) string {
	text, ok := t.texts[n]
	if !ok {
		if t.texts == nil {
			t.texts = map[int]string{}
		}
		text = "SELECT " + selectCols + " FROM models WHERE id > " + t.e.ph(1) + " ORDER BY id LIMIT " + strconv.Itoa(n)
		t.texts[n] = text
	}
	return text
}

// sliceRows runs the read of n rows. On PostgreSQL and SQLite the LIMIT is
// a number in the text, as wren writes it there, and the read is prepared
// once per LIMIT. On PostgreSQL a bound LIMIT keeps the server planning the
// statement on every run (its generic plan assumes a tenth of the rows,
// and never wins for a small page); on SQLite it makes SQLite compile the
// statement again on every run. MySQL and MariaDB plan every run of a prepared
// statement either way: there the LIMIT is bound.
func (r *rawSQL) sliceRows(ctx context.Context, n int) (*sql.Rows, error) {
	if r.e.name == "mysql" {
		return r.stSlice.QueryContext(ctx, int64(0), int64(n))
	}
	st, ok := r.sliceStmts[n]
	if !ok {
		var err error
		if st, err = r.e.sqlDB.PrepareContext(ctx, r.slice.text(n)); err != nil {
			return nil, err
		}
		r.sliceStmts[n] = st
	}
	return st.QueryContext(ctx, int64(0))
}

func newRawSQL(e *env) (*rawSQL, error) {
	t := texts(e)
	r := &rawSQL{e: e, sliceStmts: map[int]*sql.Stmt{}, slice: sliceTexts{e: e}}
	for _, p := range []struct {
		st   **sql.Stmt
		text string
	}{{&r.stIns, t.insert}, {&r.stUpd, t.update}, {&r.stRead, t.read}, {&r.stSlice, t.readSlice}, {&r.stMulti, t.multi}} {
		st, err := e.sqlDB.Prepare(p.text)
		if err != nil {
			return nil, err
		}
		*p.st = st
	}
	return r, nil
}

func (r *rawSQL) insert(ctx context.Context, m *Model) error {
	if r.e.returning() {
		return r.stIns.QueryRowContext(ctx, args(m)...).Scan(&m.ID)
	}
	res, err := r.stIns.ExecContext(ctx, args(m)...)
	if err != nil {
		return err
	}
	m.ID, err = res.LastInsertId()
	return err
}

func (r *rawSQL) insertMulti(ctx context.Context, ms []*Model) error {
	a := multiArgs(ms)
	if !r.e.returning() {
		res, err := r.stMulti.ExecContext(ctx, a...)
		if err != nil {
			return err
		}
		first, err := res.LastInsertId()
		for i, m := range ms {
			m.ID = first + int64(i)
		}
		return err
	}
	rows, err := r.stMulti.QueryContext(ctx, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for i := 0; rows.Next(); i++ {
		if err := rows.Scan(&ms[i].ID); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (r *rawSQL) update(ctx context.Context, m *Model) error {
	_, err := r.stUpd.ExecContext(ctx, m.Name, m.Title, m.Fax, m.Web, m.Age, m.Flag, m.Counter, m.Score, m.CreatedAt, m.ID)
	return err
}

// scanModel scans one row into m (for the pgx baseline, whose rows are an
// interface anyway, and for squirrel).
func scanModel(sc interface{ Scan(...any) error }, m *Model) error {
	return sc.Scan(&m.ID, &m.Name, &m.Title, &m.Fax, &m.Web, &m.Age, &m.Flag, &m.Counter, &m.Score, &m.CreatedAt)
}

func (r *rawSQL) read(ctx context.Context, id int64) (Model, error) {
	var m Model
	err := r.stRead.QueryRowContext(ctx, id).Scan(&m.ID, &m.Name, &m.Title, &m.Fax, &m.Web, &m.Age, &m.Flag, &m.Counter, &m.Score, &m.CreatedAt)
	return m, err
}

func (r *rawSQL) readSlice(ctx context.Context, n int) ([]Model, error) {
	rows, err := r.sliceRows(ctx, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]Model, 0, n)
	for rows.Next() {
		var m Model
		if err := rows.Scan(&m.ID, &m.Name, &m.Title, &m.Fax, &m.Web, &m.Age, &m.Flag, &m.Counter, &m.Score, &m.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// rawSQLElem is rawSQL with the other hand-written loop: it scans each row
// straight into the next element of the result slice, sized to the LIMIT.
type rawSQLElem struct{ *rawSQL }

func (r rawSQLElem) readSlice(ctx context.Context, n int) ([]Model, error) {
	rows, err := r.sliceRows(ctx, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]Model, 0, n)
	for i := 0; rows.Next(); i++ {
		if i < cap(out) {
			out = out[:i+1]
		} else {
			out = append(out, Model{})
		}
		m := &out[i]
		if err := rows.Scan(&m.ID, &m.Name, &m.Title, &m.Fax, &m.Web, &m.Age, &m.Flag, &m.Counter, &m.Score, &m.CreatedAt); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// scanInto scans pgx's rows into the elements of out, growing out past its
// capacity only if the rows do.
func scanInto(rows pgx.Rows, out []Model) ([]Model, error) {
	for i := 0; rows.Next(); i++ {
		if i < cap(out) {
			out = out[:i+1]
		} else {
			out = append(out, Model{})
		}
		m := &out[i]
		if err := rows.Scan(&m.ID, &m.Name, &m.Title, &m.Fax, &m.Web, &m.Age, &m.Flag, &m.Counter, &m.Score, &m.CreatedAt); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// rawPgx is hand-written native pgx: the PostgreSQL baseline. pgx prepares
// and caches each statement text by itself.
type rawPgx struct {
	e     *env
	t     sqlText
	slice sliceTexts // the read of n rows, LIMIT n written as a number (see rawSQL.sliceRows)
}

func (r *rawPgx) insert(ctx context.Context, m *Model) error {
	return r.e.pool.QueryRow(ctx, r.t.insert, args(m)...).Scan(&m.ID)
}

func (r *rawPgx) insertMulti(ctx context.Context, ms []*Model) error {
	a := multiArgs(ms)
	rows, err := r.e.pool.Query(ctx, r.t.multi, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for i := 0; rows.Next(); i++ {
		if err := rows.Scan(&ms[i].ID); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (r *rawPgx) update(ctx context.Context, m *Model) error {
	_, err := r.e.pool.Exec(ctx, r.t.update, m.Name, m.Title, m.Fax, m.Web, m.Age, m.Flag, m.Counter, m.Score, m.CreatedAt, m.ID)
	return err
}

func (r *rawPgx) read(ctx context.Context, id int64) (Model, error) {
	var m Model
	err := scanModel(r.e.pool.QueryRow(ctx, r.t.read, id), &m)
	return m, err
}

func (r *rawPgx) readSlice(ctx context.Context, n int) ([]Model, error) {
	rows, err := r.e.pool.Query(ctx, r.slice.text(n), int64(0))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]Model, 0, n)
	for rows.Next() {
		var m Model
		if err := scanModel(rows, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// rawPgxElem is rawPgx with the loop that scans into the result slice's
// elements.
type rawPgxElem struct{ *rawPgx }

func (r rawPgxElem) readSlice(ctx context.Context, n int) ([]Model, error) {
	rows, err := r.e.pool.Query(ctx, r.slice.text(n), int64(0))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanInto(rows, make([]Model, 0, n))
}

// rawPgxDest is rawPgx at its leanest: it scans into the result slice's
// elements through one slice of destinations made once per query and
// pointed at each element in turn. pgx's Rows is an interface, so the
// argument list of rows.Scan(&m.ID, …) is built on the heap for every row;
// reusing one saves an allocation per row and about half the bytes.
type rawPgxDest struct{ *rawPgx }

func (r rawPgxDest) readSlice(ctx context.Context, n int) ([]Model, error) {
	rows, err := r.e.pool.Query(ctx, r.slice.text(n), int64(0))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]Model, 0, n)
	dest := make([]any, 10)
	for i := 0; rows.Next(); i++ {
		if i < cap(out) {
			out = out[:i+1]
		} else {
			out = append(out, Model{})
		}
		m := &out[i]
		dest[0], dest[1], dest[2], dest[3], dest[4] = &m.ID, &m.Name, &m.Title, &m.Fax, &m.Web
		dest[5], dest[6], dest[7], dest[8], dest[9] = &m.Age, &m.Flag, &m.Counter, &m.Score, &m.CreatedAt
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}
