package tests

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
	"github.com/wrensql/wren/dialect"
	"github.com/wrensql/wren/internal/golden"
)

// NewUser is a row of golden.Users for inserting.
type NewUser = golden.NewUser

func schemaOnly(t *testing.T, db *wren.DB) {
	t.Helper()
	for _, s := range golden.Schema(db.Dialect()) {
		mustExec(t, db, s)
	}
}

// handles returns db and, on MariaDB, the same pool rendered as MySQL 8
// (no RETURNING), so that both key paths run on the server we have.
func handles(db *wren.DB) []*wren.DB {
	if db.Dialect() == dialect.MariaDB {
		my, err := db.WithDialect(dialect.MySQL)
		if err != nil {
			panic(err)
		}
		return []*wren.DB{db, my}
	}
	return []*wren.DB{db}
}

func TestInsertAndKeys(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		for hi, h := range handles(db) {
			// One row from assignments.
			res, err := wren.Exec(ctx, h, wren.Insert(U).Set(
				wren.Set(U.Username, fmt.Sprintf("set%d", hi)), wren.Set(U.Age, int64(3)),
				wren.Set(U.Score, 0.5), wren.Set(U.Active, true), wren.Set(U.CreatedAt, ts)))
			is.NoErr(err)
			is.Equal(res.RowsAffected, int64(1))

			// Structs get their generated keys, one and many.
			one := &NewUser{Username: fmt.Sprintf("one%d", hi), CreatedAt: ts}
			is.NoErr(wren.Create(ctx, h, U, one))
			is.True(one.ID > 0)
			many := []*NewUser{
				{Username: fmt.Sprintf("a%d", hi), Age: 1, CreatedAt: ts},
				{Username: fmt.Sprintf("b%d", hi), Age: 2, CreatedAt: ts},
				{Username: fmt.Sprintf("c%d", hi), Age: 3, CreatedAt: ts},
			}
			is.NoErr(wren.Create(ctx, h, U, many...))
			for _, u := range many {
				got, err := wren.One[NewUser](ctx, h, wren.Select(U).From(U).Where(U.ID.Eq(u.ID)))
				is.NoErr(err)
				is.Equal(got.Username, u.Username) // the key really is that row's
				is.Equal(got.Age, u.Age)
			}
		}
		// INSERT … SELECT.
		_, err := wren.Exec(ctx, db, wren.Insert(T).Select(
			wren.Columns(T.UserID, T.Content, T.CreatedAt),
			wren.Select(U.ID, U.Username, U.CreatedAt).From(U).Where(wren.StartsWith(U.Username, "one"))))
		is.NoErr(err)
		contents, err := wren.All[string](ctx, db, wren.Select(T.Content).From(T).OrderBy(T.Content))
		is.NoErr(err)
		is.True(len(contents) >= 1)
		is.Equal(contents[0], "one0")
	})
}

// bulkRows is how many rows of the golden users table (6 inserted
// columns) need two INSERTs on db's dialect: one statement's worth and a
// hundred more. Kept that small because SQLite under -race inserts about
// 150 rows a second on a loaded 2-core machine.
func bulkRows(db *wren.DB) int { return db.Dialect().MaxParams()/6 + 100 }

// ctxSlow is ctxT for tests whose work is large on purpose: -race makes
// SQLite (C translated to Go) ten to thirty times slower.
func ctxSlow(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestBulkInsertSplitsAndIsAtomic(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxSlow(t)
		schemaOnly(t, db)
		ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		// Just over one statement's worth of rows, so that every dialect
		// needs two statements. On MariaDB both key paths run: RETURNING,
		// and MySQL 8's last-insert id with the session's step.
		n := bulkRows(db)
		for hi, h := range handles(db) {
			rows := make([]*NewUser, n)
			for i := range rows {
				rows[i] = &NewUser{Username: fmt.Sprintf("u%d-%05d", hi, i), Age: int64(i), CreatedAt: ts}
			}
			is.NoErr(wren.Create(ctx, h, U, rows...))
			count, err := wren.Count(ctx, h, wren.Select(U.ID).From(U).Where(wren.StartsWith(U.Username, fmt.Sprintf("u%d-", hi))))
			is.NoErr(err)
			is.Equal(count, int64(n))
			// Every generated key is the key of that row.
			type idName struct {
				ID       int64
				Username string
			}
			got, err := wren.All[idName](ctx, h, wren.Select(U.ID, U.Username).From(U))
			is.NoErr(err)
			byID := make(map[int64]string, len(got))
			for _, g := range got {
				byID[g.ID] = g.Username
			}
			for i, r := range rows {
				if byID[r.ID] != r.Username {
					t.Fatalf("%s: row %d got key %d, which belongs to %q", h.Dialect(), i, r.ID, byID[r.ID])
				}
			}

			// A bulk insert whose last statement fails leaves no row behind.
			bad := make([]*NewUser, n)
			for i := range bad {
				bad[i] = &NewUser{Username: fmt.Sprintf("v%d-%05d", hi, i), CreatedAt: ts}
			}
			bad[n-1].Username = rows[0].Username // collides with a row inserted above
			err = wren.Create(ctx, h, U, bad...)
			is.True(err != nil)
			count, err = wren.Count(ctx, h, wren.Select(U.ID).From(U).Where(wren.StartsWith(U.Username, "v")))
			is.NoErr(err)
			is.Equal(count, int64(0))
		}
	})
}

// TestReturningIntoStructs scans INSERT, UPDATE and DELETE … RETURNING into
// structs where the dialect has it, and gets ErrUnsupported before the
// statement reaches the server where not (MySQL 8 rendering on MariaDB).
func TestReturningIntoStructs(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		type idName struct {
			ID       int64
			Username string
		}
		ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		for hi, h := range handles(db) {
			d := h.Dialect()
			name := fmt.Sprintf("ret%d", hi)
			ins := wren.Insert(U).Set(wren.Set(U.Username, name), wren.Set(U.Age, int64(1)), wren.Set(U.Score, 0.0),
				wren.Set(U.Active, true), wren.Set(U.CreatedAt, ts)).Returning(U.ID, U.Username)
			got, err := wren.One[idName](ctx, h, ins)
			if d.Returning(dialect.Insert) {
				is.NoErr(err)
				is.Equal(got.Username, name)
				is.True(got.ID > 0)
			} else {
				is.True(errors.Is(err, wren.ErrUnsupported))
				n, err := wren.Count(ctx, h, wren.Select(U.ID).From(U).Where(U.Username.Eq(name)))
				is.NoErr(err)
				is.Equal(n, int64(0)) // nothing was sent
				continue
			}
			upd := wren.Update(U).Set(wren.SetExpr(U.Age, U.Age.Add(1))).Where(U.ID.Eq(got.ID)).Returning(U.ID, U.Username)
			ups, err := wren.All[idName](ctx, h, upd)
			if d.Returning(dialect.Update) {
				is.NoErr(err)
				is.Equal(ups, []idName{got})
			} else {
				is.True(errors.Is(err, wren.ErrUnsupported))
			}
			gone, err := wren.All[idName](ctx, h, wren.Delete(U).Where(U.ID.Eq(got.ID)).Returning(U.ID, U.Username))
			is.NoErr(err) // every dialect with INSERT … RETURNING has DELETE … RETURNING
			is.Equal(gone, []idName{got})
		}
	})
}

func TestUpsert(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		row := func(name string, age int64) wren.InsertQuery {
			return wren.Insert(U).Set(wren.Set(U.Username, name), wren.Set(U.Age, age),
				wren.Set(U.Score, 0.0), wren.Set(U.Active, true), wren.Set(U.CreatedAt, ts))
		}
		// Do nothing: the existing row stays.
		_, err := wren.Exec(ctx, db, row("huey", 99).OnConflict(U.Username).DoNothing())
		is.NoErr(err)
		age, err := wren.One[int64](ctx, db, wren.Select(U.Age).From(U).Where(U.Username.Eq("huey")))
		is.NoErr(err)
		is.Equal(age, int64(7))
		// Do update, reading the proposed row.
		_, err = wren.Exec(ctx, db, row("huey", 10).OnConflict(U.Username).
			DoUpdate([]wren.Assignment{wren.SetExpr(U.Age, U.Age.AddExpr(wren.Excluded(U.Age)))}))
		is.NoErr(err)
		age, err = wren.One[int64](ctx, db, wren.Select(U.Age).From(U).Where(U.Username.Eq("huey")))
		is.NoErr(err)
		is.Equal(age, int64(17))
		// A new row is inserted.
		_, err = wren.Exec(ctx, db, row("zoe", 1).OnConflict(U.Username).
			DoUpdate([]wren.Assignment{wren.SetExpr(U.Age, wren.Excluded(U.Age))}))
		is.NoErr(err)
		n, err := wren.Count(ctx, db, wren.Select(U.ID).From(U))
		is.NoErr(err)
		is.Equal(n, int64(3))
		// DO UPDATE … WHERE: PostgreSQL and SQLite; a clear error on MySQL.
		q := row("huey", 1).OnConflict(U.Username).
			DoUpdate([]wren.Assignment{wren.SetExpr(U.Age, wren.Excluded(U.Age))}, U.Age.Gt(100))
		_, err = wren.Exec(ctx, db, q)
		if db.Dialect().IsMySQLFamily() {
			is.True(errors.Is(err, wren.ErrUnsupported))
		} else {
			is.NoErr(err)
			age, err = wren.One[int64](ctx, db, wren.Select(U.Age).From(U).Where(U.Username.Eq("huey")))
			is.NoErr(err)
			is.Equal(age, int64(17)) // the WHERE kept the row as it was
		}
	})
}

func TestUpdateAndDelete(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		// An atomic counter update.
		res, err := wren.Exec(ctx, db, wren.Update(T).
			Set(wren.SetExpr(T.Likes, T.Likes.Add(1))).Where(T.ID.Eq(1)))
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(1))
		likes, err := wren.One[int64](ctx, db, wren.Select(T.Likes).From(T).Where(T.ID.Eq(1)))
		is.NoErr(err)
		is.Equal(likes, int64(4))

		// Without Where: refused, unless All says so.
		_, err = wren.Exec(ctx, db, wren.Update(T).Set(wren.Set(T.Likes, int64(0))))
		is.True(err != nil && strings.Contains(err.Error(), "without Where"))
		_, err = wren.Exec(ctx, db, wren.Delete(T))
		is.True(err != nil && strings.Contains(err.Error(), "without Where"))
		var none []wren.Predicate // conditions built up conditionally, none applied
		_, err = wren.Exec(ctx, db, wren.Delete(T).Where(wren.And(none...)))
		is.True(err != nil && strings.Contains(err.Error(), "empty And()"))
		n, err := wren.Count(ctx, db, wren.Select(T.ID).From(T))
		is.NoErr(err)
		is.Equal(n, int64(3)) // nothing was deleted

		// UPDATE reading another table.
		res, err = wren.Exec(ctx, db, wren.Update(T).From(U).
			Set(wren.Set(T.Likes, int64(100))).
			Where(T.UserID.EqExpr(U.ID), U.Username.Eq("mickey")))
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(1))
		likes, err = wren.One[int64](ctx, db, wren.Select(T.Likes).From(T).Where(T.ID.Eq(3)))
		is.NoErr(err)
		is.Equal(likes, int64(100))

		// RETURNING where the dialect has it, ErrUnsupported where not.
		upd := wren.Update(T).Set(wren.Set(T.Likes, int64(7))).Where(T.ID.Eq(2)).Returning(T.ID, T.Likes)
		type idLikes struct{ ID, Likes int64 }
		got, err := wren.All[idLikes](ctx, db, upd)
		if db.Dialect().Returning(dialect.Update) {
			is.NoErr(err)
			is.Equal(got, []idLikes{{2, 7}})
		} else {
			is.True(errors.Is(err, wren.ErrUnsupported))
		}
		del := wren.Delete(T).Where(T.UserID.Eq(1)).Returning(T.Content)
		gone, err := wren.All[string](ctx, db, del)
		if db.Dialect().Returning(dialect.Delete) {
			is.NoErr(err)
			is.Equal(len(gone), 2)
		} else {
			is.True(errors.Is(err, wren.ErrUnsupported))
			res, err = wren.Exec(ctx, db, wren.Delete(T).Where(T.UserID.Eq(1)))
			is.NoErr(err)
			is.Equal(res.RowsAffected, int64(2))
		}
		res, err = wren.Exec(ctx, db, wren.Delete(T).All())
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(1))
	})
}

// TestRowsAffectedDifferences pins down where rows affected differs: MySQL
// and MariaDB count changed rows (unless the DSN sets clientFoundRows=true)
// and count an upsert that updates as 2; PostgreSQL and SQLite count rows
// matched, and an upsert as 1 whichever way it went.
func TestRowsAffectedDifferences(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db) // seed's explicit keys would collide with PostgreSQL's identity
		my := db.Dialect().IsMySQLFamily()
		pick := func(other, mysql int64) int64 {
			if my {
				return mysql
			}
			return other
		}
		ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		huey := &NewUser{Username: "huey", Age: 3, CreatedAt: ts}
		is.NoErr(wren.Create(ctx, db, U, huey))
		// An UPDATE that matches a row but changes nothing.
		res, err := wren.Exec(ctx, db, wren.Update(U).Set(wren.Set(U.Age, int64(3))).Where(U.ID.Eq(huey.ID)))
		is.NoErr(err)
		is.Equal(res.RowsAffected, pick(1, 0))

		up := func(name string, age int64) wren.InsertQuery {
			return wren.Insert(U).Set(wren.Set(U.Username, name), wren.Set(U.Age, age),
				wren.Set(U.Score, 0.0), wren.Set(U.Active, true), wren.Set(U.CreatedAt, ts)).
				OnConflict(U.Username).DoUpdate([]wren.Assignment{wren.SetExpr(U.Age, wren.Excluded(U.Age))})
		}
		res, err = wren.Exec(ctx, db, up("zoe", 1)) // inserted
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(1))
		res, err = wren.Exec(ctx, db, up("zoe", 2)) // updated
		is.NoErr(err)
		is.Equal(res.RowsAffected, pick(1, 2))
		res, err = wren.Exec(ctx, db, up("zoe", 2)) // matched, unchanged
		is.NoErr(err)
		is.Equal(res.RowsAffected, pick(1, 0))

		// DoNothing on a collision: no row on every database.
		res, err = wren.Exec(ctx, db, wren.Insert(U).Set(wren.Set(U.Username, "zoe"), wren.Set(U.Age, int64(9)),
			wren.Set(U.Score, 0.0), wren.Set(U.Active, true), wren.Set(U.CreatedAt, ts)).OnConflict(U.Username).DoNothing())
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(0))
		age, err := wren.One[int64](ctx, db, wren.Select(U.Age).From(U).Where(U.Username.Eq("zoe")))
		is.NoErr(err)
		is.Equal(age, int64(2))
	})
}

// TestUpsertRows upserts several structs in one statement: the rows end up
// the same on every database.
func TestUpsertRows(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		is.NoErr(wren.Create(ctx, db, U, &NewUser{Username: "huey", Age: 3, Score: 1, CreatedAt: ts}))
		rows := []any{
			&NewUser{Username: "huey", Age: 4, Score: 9, CreatedAt: ts},
			&NewUser{Username: "zoe", Age: 1, Score: 2, CreatedAt: ts},
		}
		_, err := wren.Exec(ctx, db, wren.Insert(U).Rows(rows...).OnConflict(U.Username).
			DoUpdate([]wren.Assignment{wren.SetExpr(U.Age, U.Age.AddExpr(wren.Excluded(U.Age)))}))
		is.NoErr(err)
		type nameAgeScore struct {
			Username string
			Age      int64
			Score    float64
		}
		got, err := wren.All[nameAgeScore](ctx, db, wren.Select(U.Username, U.Age, U.Score).From(U).OrderBy(U.Username))
		is.NoErr(err)
		// huey: age added, score kept (not assigned); zoe: inserted as given.
		is.Equal(got, []nameAgeScore{{"huey", 7, 1}, {"zoe", 1, 2}})
	})
}

// TestBulkInsertInsideTx: a split bulk insert that fails inside the
// caller's transaction rolls back to its savepoint; the transaction goes on
// and keeps what it wrote before and after.
func TestBulkInsertInsideTx(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxSlow(t)
		schemaOnly(t, db)
		ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		err := db.Atomic(ctx, func(tx *wren.Tx) error {
			is.NoErr(wren.Create(ctx, tx, U, &NewUser{Username: "before", CreatedAt: ts}))
			bad := make([]*NewUser, bulkRows(db)) // over every dialect's parameter limit
			for i := range bad {
				bad[i] = &NewUser{Username: fmt.Sprintf("v%05d", i), CreatedAt: ts}
			}
			bad[len(bad)-1].Username = "before"
			is.True(wren.Create(ctx, tx, U, bad...) != nil)
			return wren.Create(ctx, tx, U, &NewUser{Username: "after", CreatedAt: ts})
		})
		is.NoErr(err)
		names, err := wren.All[string](ctx, db, wren.Select(U.Username).From(U).OrderBy(U.Username))
		is.NoErr(err)
		is.Equal(names, []string{"after", "before"})
	})
}

// TestUpdateSetRow writes a struct's fields, zero values included, and
// with named columns only those.
func TestUpdateSetRow(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		email := "huey@example.com"
		u := &NewUser{Username: "huey", Email: &email, Age: 3, Score: 1.5, Active: true, CreatedAt: ts}
		is.NoErr(wren.Create(ctx, db, U, u))
		byID := wren.Select(U).From(U).Where(U.ID.Eq(u.ID))

		u.Age, u.Email, u.Active = 0, nil, false // zero values are written too
		res, err := wren.Exec(ctx, db, wren.Update(U).SetRow(u).Where(U.ID.Eq(u.ID)))
		is.NoErr(err)
		is.Equal(res.RowsAffected, int64(1))
		got, err := wren.One[NewUser](ctx, db, byID)
		is.NoErr(err)
		is.True(got.CreatedAt.Equal(u.CreatedAt))
		got.CreatedAt = u.CreatedAt // the same instant; the location may differ
		is.Equal(got, *u)

		// Named columns: only those are written.
		u.Username, u.Age = "not written", 9
		_, err = wren.Exec(ctx, db, wren.Update(U).SetRow(u, U.Age).Where(U.ID.Eq(u.ID)))
		is.NoErr(err)
		got, err = wren.One[NewUser](ctx, db, byID)
		is.NoErr(err)
		is.Equal(got.Username, "huey")
		is.Equal(got.Age, int64(9))
	})
}
