package migrate

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/schema"
)

// Migration is one step of a schema's history, applied once by [Run].
type Migration struct {
	// ID names the migration in the record table; unique, at most 255
	// bytes. Migrations run in the order given, not sorted by ID.
	ID string
	// Ops are rendered against the live schema when the migration runs.
	Ops []Op
	// SQL are hand-written statements, run after Ops (data backfills,
	// what no Op says). They are written for one dialect.
	SQL []string
}

// RecordTable is the table Run records applied migrations in.
const RecordTable = "wren_migrations"

// MigrationRecordTable describes the record table: one row per applied
// migration.
type MigrationRecordTable struct {
	wren.Table
	ID        wren.Column[string] `wren:",pk,size=255"`
	AppliedAt wren.Column[time.Time]
}

// MigrationRecord is a row of the record table.
type MigrationRecord struct {
	ID        string
	AppliedAt time.Time
}

// Records is the record table's descriptor, to read what Run applied.
var Records = wren.NewTable[MigrationRecordTable](RecordTable)

// Run applies the migrations that the record table (created when missing)
// does not list, in order, and records each. It returns the IDs it
// applied. Applying the same list again applies nothing.
//
// On PostgreSQL and SQLite a migration runs in one transaction with its
// record: it takes effect whole or not at all. SQLite's table rebuilds run
// with foreign key enforcement off on that connection, and the keys are
// checked (PRAGMA foreign_key_check) before COMMIT. MySQL and MariaDB
// commit every DDL statement on its own: a migration that fails halfway
// there leaves the statements before the failure applied and the
// migration unrecorded, and the error lists what ran.
//
// Run is meant for one process at a time (a deploy step, a start-up of a
// single instance). Two runners racing on PostgreSQL or SQLite end with
// one of them failing on the record's primary key, its migration rolled
// back.
func Run(ctx context.Context, db *wren.DB, migrations ...Migration) ([]string, error) {
	seen := map[string]bool{}
	for _, m := range migrations {
		if m.ID == "" || len(m.ID) > 255 {
			return nil, fmt.Errorf("migrate: a migration ID must be 1 to 255 bytes (got %q)", m.ID)
		}
		if seen[m.ID] {
			return nil, fmt.Errorf("migrate: migration %s is listed twice", m.ID)
		}
		seen[m.ID] = true
	}
	if err := wren.CreateTablesIfNotExists(ctx, db, Records); err != nil {
		return nil, fmt.Errorf("migrate: creating %s: %w", RecordTable, err)
	}
	done, err := wren.All[string](ctx, db, wren.Select(Records.ID).From(Records))
	if err != nil {
		return nil, fmt.Errorf("migrate: reading %s: %w", RecordTable, err)
	}
	applied := map[string]bool{}
	for _, id := range done {
		applied[id] = true
	}
	var ran []string
	for _, m := range migrations {
		if applied[m.ID] {
			continue
		}
		if err := runOne(ctx, db, m); err != nil {
			return ran, fmt.Errorf("migrate: migration %s: %w", m.ID, err)
		}
		ran = append(ran, m.ID)
	}
	return ran, nil
}

func runOne(ctx context.Context, db *wren.DB, m Migration) error {
	d := db.Dialect()
	live, err := schema.Inspect(ctx, db, schema.Filter{})
	if err != nil {
		return err
	}
	stmts, err := Render(d, live, m.Ops...)
	if err != nil {
		return err
	}
	stmts = append(stmts, m.SQL...)
	rec := &MigrationRecord{ID: m.ID, AppliedAt: time.Now().UTC().Truncate(time.Microsecond)}
	switch {
	case d == dialect.SQLite:
		return runSQLite(ctx, db, stmts, rec)
	case d.IsMySQLFamily():
		for i, s := range stmts {
			if _, err := wren.Exec(ctx, db, wren.RawStmt(s)); err != nil {
				return fmt.Errorf("statement %d of %d (%s): %w; the %d before it were applied and committed (MySQL commits DDL at once)", i+1, len(stmts), s, err, i)
			}
		}
		return wren.Create(ctx, db, Records, rec)
	}
	return db.Atomic(ctx, func(tx *wren.Tx) error {
		if err := wren.Create(ctx, tx, Records, rec); err != nil {
			return err
		}
		for i, s := range stmts {
			if _, err := wren.Exec(ctx, tx, wren.RawStmt(s)); err != nil {
				return fmt.Errorf("statement %d of %d (%s): %w", i+1, len(stmts), s, err)
			}
		}
		return nil
	})
}

// runSQLite runs stmts in one transaction on one connection with foreign
// key enforcement off (a table rebuild drops a table others reference),
// checks the keys before COMMIT, and turns enforcement back on.
func runSQLite(ctx context.Context, db *wren.DB, stmts []string, rec *MigrationRecord) (err error) {
	conn, err := db.SQLDB().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	defer func() {
		if _, e := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); e != nil {
			err = errors.Join(err, e)
			_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // do not return it to the pool
		}
	}()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	rollback := func(err error) error {
		if _, e := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); e != nil {
			return errors.Join(err, e)
		}
		return err
	}
	text, args, err := wren.Insert(Records).Rows(rec).SQL(dialect.SQLite)
	if err != nil {
		return rollback(err)
	}
	if _, err := conn.ExecContext(ctx, text, args...); err != nil {
		return rollback(err)
	}
	for i, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return rollback(fmt.Errorf("statement %d of %d (%s): %w", i+1, len(stmts), s, err))
		}
	}
	rows, err := conn.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return rollback(err)
	}
	bad := 0
	for rows.Next() {
		bad++
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return rollback(err)
	}
	if bad > 0 {
		return rollback(fmt.Errorf("%d rows break a foreign key after the migration (PRAGMA foreign_key_check)", bad))
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return rollback(err)
	}
	return nil
}
