package wren

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unsafe"
)

// Create inserts rows into table t and sets each row's auto-increment key
// to the key the database generated (when the key was zero).
//
// On PostgreSQL, several rows whose fields are of the common types (integers,
// floats, bool, string, time.Time, []byte and pointers to them) go in one
// statement of one array per column, INSERT … SELECT * FROM unnest(…), whose
// text is the same for any number of rows: one prepared statement, no limit
// on parameters. From 1,000 such rows, on a handle or transaction of native
// pgx, Create streams them with COPY … FROM STDIN instead (the table's
// INSERT triggers fire as for INSERT; rewrite rules do not apply), in the
// binary format where every column's type is exactly its field's (bigint
// for int64, double precision for float64, text, varchar or char for
// string, timestamptz for time.Time, …), in text otherwise. The keys come
// from the sequence that feeds the key column:
//
//   - From 2,000 rows, on a *DB or Tx, the COPY leaves the key column to
//     its default, and Create reads the sequence's last value before it
//     and currval after it: if they are as many increments apart as there
//     are rows, the rows got the values in between, in order. If another
//     session drew from the sequence meanwhile, the keys are read back from
//     the table (those in that range this transaction wrote); inside a
//     caller's transaction the COPY runs in a savepoint, rolled back in that
//     case, and the keys are drawn first. No value of the sequence is
//     wasted, unless its CACHE is above 1 (one value is then drawn to start
//     from).
//   - Otherwise (fewer rows, a Cluster, a key whose default is not exactly
//     the sequence's next value, or a role that may draw from the sequence
//     but not read it) Create draws the rows' keys first (one query, the
//     keys in one array) and copies the rows with them.
//
// A BEFORE INSERT trigger that changes the key is not seen in either case.
// Where no sequence owned by the column feeds it, Create binds the arrays.
//
// Elsewhere, rows that would pass the dialect's limit on bound parameters in
// one statement ([dialect.Dialect.SplitParams]: on MySQL and MariaDB 65,535,
// on SQLite 500), and on MySQL and MariaDB rows binding more than 2,000
// parameters whose strings and byte slices pass 4 MiB, are split over
// several INSERTs of [dialect.Dialect.BulkParams] each (2,000 and 500), run
// in one transaction (a savepoint when db is a Tx), so that a failure
// writes no row at all.
//
// Keys come back through RETURNING on PostgreSQL, and on SQLite and MariaDB
// for several rows; one row's key is the driver's last-insert id where there
// is one. None of the three promises the order of RETURNING's rows, so the
// keys are sorted and given to the rows in order: this relies on one
// multi-row INSERT … VALUES generating its keys in the order of its rows,
// which all three do (a concurrent insert may take keys in between, which
// is fine).
//
// MySQL has no RETURNING, and its last-insert id is only the key of the
// first row of an INSERT. Create assigns no key it has not established: it
// reads innodb_autoinc_lock_mode and auto_increment_increment (the step, a
// session variable that Galera also manages) on the same connection as the
// INSERT, just before it. With lock mode 0 or 1 the keys of one INSERT are
// first, first+step, first+2·step…; with lock mode 2 (MySQL 8's default,
// and Galera's requirement) nothing promises that, so several rows are
// inserted one INSERT each, in one transaction. Through a pool Open made
// (and DB.WithDialect's handles on it), the connection reads the two variables
// itself and runs the INSERT next, in two round trips and without a
// transaction (hooks see the INSERT alone); the first Create that finds
// lock mode 2 shows hooks an INSERT that failed without running, and the
// DB inserts row by row from then on. Elsewhere the read and the INSERT run
// in one transaction.
func Create[T any](ctx context.Context, db Querier, t TableLike, rows ...*T) error {
	if len(rows) == 0 {
		return nil
	}
	if err := checkDB(db); err != nil {
		return err
	}
	ti := infoOf(t)
	if ti == nil {
		return fmt.Errorf("wren: Create without a table (a nil table descriptor?)")
	}
	if ti.err != nil {
		return ti.err
	}
	m, err := rowMapFor(reflect.TypeFor[T](), ti)
	if err != nil {
		return err
	}
	for i, r := range rows {
		if r == nil {
			return fmt.Errorf("wren: Create into %s: row %d is nil", ti.ref(), i)
		}
	}
	fillUUIDKeys(m, rows)
	// Rows per INSERT when they are split: BulkParams' worth, but at least
	// one row where the limit on parameters allows it.
	d := db.Dialect()
	per := max(d.BulkParams()/len(m.cols), min(1, d.MaxParams()/len(m.cols)))
	var fields []bulkField
	if len(rows) >= arrayInsertMin {
		fields = bulkFieldsFor(d, m)
	}
	if fields != nil && sameKeyState(m, rows) {
		if _, isDB := db.(*DB); !isDB && len(rows) > per {
			// One statement, but as many rows as a split insert: inside the
			// caller's transaction it fails alone, to its savepoint, as a
			// split one does.
			return atomic(ctx, db, func(tx *Tx) error { return createFromArrays(ctx, tx, ti, m, fields, rows) })
		}
		return createFromArrays(ctx, db, ti, m, fields, rows)
	}
	if per < 1 {
		return fmt.Errorf("wren: Create into %s: one row needs more parameters than %s allows", ti.ref(), db.Dialect())
	}
	if len(rows) == 1 {
		return createBatch(ctx, db, ti, m, rows)
	}
	// Rows that fit in one INSERT (dialect.Dialect.SplitParams), with text
	// that keeps it well inside the server's packet limit, go in one.
	groups := groupByMask(m, rows)
	if len(groups) == 1 && (len(rows) <= per ||
		len(rows) <= d.SplitParams()/len(m.cols) && textBytes(m, rows, oneInsertText) <= oneInsertText) {
		return createBatch(ctx, db, ti, m, rows)
	}
	return atomic(ctx, db, func(tx *Tx) error {
		for _, g := range groups {
			for start := 0; start < len(g); start += per {
				end := min(start+per, len(g))
				if err := createBatch(ctx, tx, ti, m, g[start:end]); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// oneInsertText bounds the bytes of strings and byte slices that Create
// puts in one INSERT of more rows than BulkParams allows: MariaDB's
// max_allowed_packet is 16 MiB by default (MySQL's 64 MiB), and a statement
// over it fails. Rows with more text are split as before.
const oneInsertText = 4 << 20

// textBytes adds up the lengths of the string and []byte fields of rows
// (other types of text, such as *string, are not counted), stopping once
// the sum passes limit.
func textBytes[T any](m *rowMap, rows []*T, limit int) int {
	var strBuf, byteBuf [16]uintptr        // on the stack for up to 16 fields of each
	strs, bytes := strBuf[:0], byteBuf[:0] // the fields' offsets
	for i, t := range m.typs {
		switch {
		case m.kind[i] == argString:
			strs = append(strs, m.offs[i])
		case t == reflect.TypeFor[[]byte]():
			bytes = append(bytes, m.offs[i])
		}
	}
	n := 0
	for _, r := range rows {
		base := unsafe.Pointer(r)
		for _, off := range strs {
			n += len(*(*string)(unsafe.Add(base, off)))
		}
		for _, off := range bytes {
			n += len(*(*[]byte)(unsafe.Add(base, off)))
		}
		if n > limit {
			break
		}
	}
	return n
}

// groupByMask splits rows into runs that leave the same generated columns
// zero, so that each can be one INSERT; usually there is one.
func groupByMask[T any](m *rowMap, rows []*T) [][]*T {
	if len(m.gen) == 0 {
		return [][]*T{rows}
	}
	// Usually every row leaves the same columns zero: found without
	// building the groups.
	first := m.genMask(unsafe.Pointer(rows[0]))
	same := true
	for _, r := range rows[1:] {
		if m.genMask(unsafe.Pointer(r)) != first {
			same = false
			break
		}
	}
	if same {
		return [][]*T{rows}
	}
	var masks []uint64
	var groups [][]*T
	for _, r := range rows {
		mask := m.genMask(unsafe.Pointer(r))
		i := slices.Index(masks, mask)
		if i < 0 {
			i = len(masks)
			masks = append(masks, mask)
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], r)
	}
	return groups
}

// createBatch inserts rows that leave the same generated columns zero, in
// one INSERT, and reads the generated values back.
func createBatch[T any](ctx context.Context, db Querier, ti *tableInfo, m *rowMap, rows []*T) error {
	// The common case: nothing generated comes back, or only the key.
	mask := m.genMask(unsafe.Pointer(rows[0]))
	if key := m.auto >= 0 && m.genOf[m.auto] >= 0 && mask == 1<<m.genOf[m.auto]; key || mask == 0 {
		if done, err := createKept(ctx, db, ti, m, rows, mask, key); done {
			return err
		}
	}
	args := make([]any, len(rows))
	for i, r := range rows {
		args[i] = r
	}
	q := Insert(tableRef{ti}).Rows(args...)
	read := m.generatedCols(mask)
	if len(read) == 0 {
		_, err := Exec(ctx, db, q)
		return err
	}
	if len(read) > 1 || read[0] != m.auto {
		return createReadBack(ctx, db, ti, m, rows, q, read)
	}
	// Only the key, which createKept reads back but for several rows on
	// MySQL, which has no RETURNING.
	return createAutoKeys(ctx, db, ti, m, rows)
}

// setSteppedKeys gives rows, inserted by one INSERT, the keys first,
// first+step, first+2·step…
func setSteppedKeys[T any](m *rowMap, rows []*T, first, step int64) {
	for i, r := range rows {
		setKeyAt(m, unsafe.Pointer(r), first+int64(i)*step)
	}
}

// setKeyAt sets the auto-increment key of the row at p to id.
func setKeyAt(m *rowMap, p unsafe.Pointer, id int64) {
	if t := m.typs[m.auto]; t.Kind() == reflect.Int64 {
		*(*int64)(unsafe.Add(p, m.offs[m.auto])) = id
		return
	}
	f := reflect.NewAt(m.typs[m.auto], unsafe.Add(p, m.offs[m.auto])).Elem()
	if f.CanInt() {
		f.SetInt(id)
	} else {
		f.SetUint(uint64(id))
	}
}

// tableRef is a TableLike for a table description held directly.
type tableRef struct{ t *tableInfo }

func (t tableRef) info() *tableInfo { return t.t }

// autoIncKeys is how a MySQL session hands out auto-increment keys.
type autoIncKeys struct {
	LockMode int64 // innodb_autoinc_lock_mode (see dialect.Dialect.SteppedKeys)
	Step     int64 // auto_increment_increment
}

// createAutoKeys inserts rows where there is no RETURNING (MySQL), whose
// last-insert id is the first row's key only, and sets their keys: in one
// INSERT where the lock mode promises stepped keys (read with the step on
// the same connection, in the transaction), one INSERT per row otherwise.
func createAutoKeys[T any](ctx context.Context, db Querier, ti *tableInfo, m *rowMap, rows []*T) error {
	return atomic(ctx, db, func(tx *Tx) error {
		keys, err := One[autoIncKeys](ctx, tx, RawStmt(tx.d.AutoIncKeysSQL()))
		if err != nil {
			return err
		}
		if tx.d.SteppedKeys(keys.LockMode) {
			args := make([]any, len(rows))
			for i, r := range rows {
				args[i] = r
			}
			res, err := Exec(ctx, tx, Insert(tableRef{ti}).Rows(args...))
			if err != nil {
				return err
			}
			setSteppedKeys(m, rows, res.LastInsertID, keys.Step)
			return nil
		}
		for _, r := range rows {
			res, err := Exec(ctx, tx, Insert(tableRef{ti}).Rows(r))
			if err != nil {
				return err
			}
			setKeyAt(m, unsafe.Pointer(r), res.LastInsertID)
		}
		return nil
	})
}

// generatedCols lists the columns whose value the database generates for
// a row of mask: the zero auto-increment key, omitzero and autoupdate
// columns.
func (m *rowMap) generatedCols(mask uint64) []int {
	var out []int
	for j, i := range m.gen {
		if mask&(1<<j) != 0 {
			out = append(out, i)
		}
	}
	return out
}

// createReadBack runs q, the INSERT of rows, and reads the values the
// database generated for the columns read back into the rows: through
// RETURNING, or where there is none (MySQL) by a SELECT by primary key in
// the same transaction.
func createReadBack[T any](ctx context.Context, db Querier, ti *tableInfo, m *rowMap, rows []*T, q InsertQuery, read []int) error {
	d := db.Dialect()
	autoKey := len(m.pk) == 1 && m.pk[0] == m.auto && slices.Contains(read, m.auto)
	keyKnown := len(m.pk) > 0
	for _, i := range m.pk {
		keyKnown = keyKnown && !slices.Contains(read, i)
	}
	cols := slices.Clone(read)
	for _, i := range m.pk {
		if !slices.Contains(cols, i) {
			cols = append(cols, i)
		}
	}
	if !d.Returning("INSERT") {
		if !autoKey && !keyKnown {
			return fmt.Errorf("wren: Create into %s on %s: with no RETURNING, the values the database generates (%s) are read back by primary key, and these rows have no key to read them by; set the values in Go: %w",
				ti.ref(), d, colNames(m, read), ErrUnsupported)
		}
		return atomic(ctx, db, func(tx *Tx) error {
			var err error
			if autoKey {
				err = createAutoKeys(ctx, tx, ti, m, rows)
			} else {
				_, err = Exec(ctx, tx, q)
			}
			if err != nil {
				return err
			}
			return readBackByKey(ctx, tx, ti, m, rows, cols)
		})
	}
	if len(rows) > 1 && !autoKey && !keyKnown {
		// Nothing ties a returned row to its VALUES row: one INSERT each.
		return atomic(ctx, db, func(tx *Tx) error {
			for _, r := range rows {
				if err := createReadBack(ctx, tx, ti, m, []*T{r}, Insert(tableRef{ti}).Rows(r), read); err != nil {
					return err
				}
			}
			return nil
		})
	}
	got, err := All[T](ctx, db, q.Returning(m.colsItem(cols)))
	if err != nil {
		return err
	}
	if len(got) != len(rows) {
		return fmt.Errorf("wren: Create into %s: %d rows inserted but %d returned", ti.ref(), len(rows), len(got))
	}
	if autoKey && len(rows) > 1 {
		// As for keys alone: generated in the order of the VALUES rows.
		key := keyOf[int64](m.typs[m.auto])
		off := m.offs[m.auto]
		slices.SortFunc(got, func(a, b T) int {
			return cmp.Compare(key(unsafe.Add(unsafe.Pointer(&a), off)), key(unsafe.Add(unsafe.Pointer(&b), off)))
		})
		for i, r := range rows {
			m.copyCols(unsafe.Pointer(r), unsafe.Pointer(&got[i]), cols)
		}
		return nil
	}
	return matchByKey(m, ti, rows, got, cols)
}

// readBackByKey selects the columns cols of rows, whose primary key is set,
// and stores them in the rows.
func readBackByKey[T any](ctx context.Context, db Querier, ti *tableInfo, m *rowMap, rows []*T, cols []int) error {
	sel := Select(m.colsItem(cols)).From(tableRef{ti})
	if len(m.pk) == 1 {
		k := m.pk[0]
		keys := make([]any, len(rows))
		for i, r := range rows {
			keys[i] = m.get[k](unsafe.Add(unsafe.Pointer(r), m.offs[k]))
		}
		got, err := All[T](ctx, db, sel.Where(Predicate{op: pIn, l: m.cols[k], v: keys, v2: listExpander(expandAny)}))
		if err != nil {
			return err
		}
		return matchByKey(m, ti, rows, got, cols)
	}
	for _, r := range rows {
		var conds []Predicate
		for _, k := range m.pk {
			conds = append(conds, Predicate{op: pCmp, cmp: opEq, l: m.cols[k], v: m.get[k](unsafe.Add(unsafe.Pointer(r), m.offs[k]))})
		}
		got, err := One[T](ctx, db, sel.Where(conds...))
		if err != nil {
			return fmt.Errorf("wren: Create into %s: reading the inserted row back: %w", ti.ref(), err)
		}
		m.copyCols(unsafe.Pointer(r), unsafe.Pointer(&got), cols)
	}
	return nil
}

// matchByKey stores the columns cols of the rows got in the rows with the
// same primary key.
func matchByKey[T any](m *rowMap, ti *tableInfo, rows []*T, got []T, cols []int) error {
	if len(rows) == 1 && len(got) == 1 {
		m.copyCols(unsafe.Pointer(rows[0]), unsafe.Pointer(&got[0]), cols)
		return nil
	}
	byKey := make(map[string]int, len(got))
	for i := range got {
		byKey[m.keyText(unsafe.Pointer(&got[i]))] = i
	}
	for _, r := range rows {
		i, ok := byKey[m.keyText(unsafe.Pointer(r))]
		if !ok {
			return fmt.Errorf("wren: Create into %s: the inserted row with key %s was not read back", ti.ref(), strings.ReplaceAll(strings.TrimSuffix(m.keyText(unsafe.Pointer(r)), "\x00"), "\x00", ", "))
		}
		m.copyCols(unsafe.Pointer(r), unsafe.Pointer(&got[i]), cols)
	}
	return nil
}

// keyText is the primary key of the row at p, as text to match rows by.
func (m *rowMap) keyText(p unsafe.Pointer) string {
	var b strings.Builder
	for _, k := range m.pk {
		fmt.Fprint(&b, m.get[k](unsafe.Add(p, m.offs[k])))
		b.WriteByte(0)
	}
	return b.String()
}

// copyCols copies the fields of columns cols from the row at src to dst.
func (m *rowMap) copyCols(dst, src unsafe.Pointer, cols []int) {
	for _, i := range cols {
		t := m.typs[i]
		reflect.NewAt(t, unsafe.Add(dst, m.offs[i])).Elem().Set(reflect.NewAt(t, unsafe.Add(src, m.offs[i])).Elem())
	}
}

// colsItem selects the columns cols.
func (m *rowMap) colsItem(cols []int) colsItem {
	out := make(colsItem, len(cols))
	for j, i := range cols {
		out[j] = m.cols[i]
	}
	return out
}

func colNames(m *rowMap, cols []int) string {
	names := make([]string, len(cols))
	for j, i := range cols {
		names[j] = m.cols[i].name
	}
	return strings.Join(names, ", ")
}
