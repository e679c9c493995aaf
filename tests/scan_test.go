package tests

import (
	"context"
	"database/sql"
	"database/sql/driver"
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

var (
	U = golden.Users
	T = golden.Tweets
)

// seed creates the golden tables with two users and three tweets.
func seed(t *testing.T, db *wren.DB) {
	t.Helper()
	for _, s := range golden.Schema(db.Dialect()) {
		mustExec(t, db, s)
	}
	ts := time.Date(2099, 11, 25, 10, 30, 0, 0, time.UTC)
	mustExec(t, db, "INSERT INTO users (id, username, email, age, score, active, created_at) VALUES (1, 'huey', 'huey@example.com', 7, 1.5, ?, ?)", true, ts)
	mustExec(t, db, "INSERT INTO users (id, username, email, age, score, active, created_at) VALUES (2, 'mickey', NULL, 9, 2.25, ?, ?)", false, ts.Add(time.Hour))
	mustExec(t, db, "INSERT INTO tweets (id, user_id, content, likes, created_at) VALUES (1, 1, 'meow', 3, ?), (2, 1, 'purr', 0, ?), (3, 2, 'woof', 5, ?)", ts, ts, ts)
}

// User is a row of golden.Users.
type User = golden.NewUser

func TestScanStructs(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		users, err := wren.All[User](ctx, db, wren.Select(U).From(U).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(len(users), 2)
		is.Equal(users[0].Username, "huey")
		is.Equal(*users[0].Email, "huey@example.com")
		is.Equal(users[1].Email, nil)
		is.Equal(users[0].Score, 1.5)
		is.Equal(users[0].Active, true)
		is.Equal(users[1].Active, false)
		is.True(users[0].CreatedAt.Equal(time.Date(2099, 11, 25, 10, 30, 0, 0, time.UTC)))

		u, err := wren.One[User](ctx, db, wren.Select(U).From(U).Where(U.Username.Eq("mickey")))
		is.NoErr(err)
		is.Equal(u.ID, int64(2))

		_, err = wren.One[User](ctx, db, wren.Select(U).From(U).Where(U.Username.Eq("nobody")))
		is.True(errors.Is(err, wren.ErrNoRows))
	})
}

func TestScanScalarsAndHelpers(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		ids, err := wren.All[int64](ctx, db, wren.Select(T.ID).From(T).Where(T.UserID.In(1)).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(ids, []int64{1, 2})
		names, err := wren.All[string](ctx, db, wren.Select(U.Username).From(U).OrderBy(U.Username.Desc()))
		is.NoErr(err)
		is.Equal(names, []string{"mickey", "huey"})
		emails, err := wren.All[sql.Null[string]](ctx, db, wren.Select(U.Email).From(U).OrderBy(U.ID))
		is.NoErr(err)
		is.True(emails[0].Valid)
		is.True(!emails[1].Valid)

		n, err := wren.Count(ctx, db, wren.Select(T.ID).From(T).Limit(2))
		is.NoErr(err)
		is.Equal(n, int64(2))
		n, err = wren.Count(ctx, db, wren.Select(T.ID).From(T))
		is.NoErr(err)
		is.Equal(n, int64(3))
		ok, err := wren.Exists(ctx, db, wren.Select(T.ID).From(T).Where(T.Content.Eq("woof")))
		is.NoErr(err)
		is.True(ok)
		ok, err = wren.Exists(ctx, db, wren.Select(T.ID).From(T).Where(T.Content.Eq("moo")))
		is.NoErr(err)
		is.True(!ok)

		var got []string
		for c, err := range wren.Iter[string](ctx, db, wren.Select(T.Content).From(T).OrderBy(T.ID)) {
			is.NoErr(err)
			got = append(got, c)
			if len(got) == 2 {
				break // releases the rows
			}
		}
		is.Equal(got, []string{"meow", "purr"})
		// The pool is still usable after the early break.
		n, err = wren.Count(ctx, db, wren.Select(T.ID).From(T))
		is.NoErr(err)
		is.Equal(n, int64(3))
	})
}

type TweetWithUser struct {
	ID      int64
	Content string
	User    User `db:"users"`
}

type TweetWithAuthor struct {
	ID      int64
	Content string
	Author  *User `db:"author"`
}

func TestScanJoins(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		rows, err := wren.All[TweetWithUser](ctx, db,
			wren.Select(T.ID, T.Content, U).From(T).Join(U).OrderBy(T.ID))
		is.NoErr(err)
		is.Equal(len(rows), 3)
		is.Equal(rows[0].ID, int64(1))      // tweets.id, not users.id
		is.Equal(rows[2].User.ID, int64(2)) // users.id
		is.Equal(rows[2].User.Username, "mickey")

		// Two aliases of one table; a LEFT JOIN whose row is absent is nil.
		author := wren.Alias(U, "author")
		q := wren.Select(T.ID, T.Content, author).From(T).
			LeftJoin(author, author.ID.EqExpr(T.UserID), author.Username.Eq("huey")).OrderBy(T.ID)
		got, err := wren.All[TweetWithAuthor](ctx, db, q)
		is.NoErr(err)
		is.Equal(len(got), 3)
		is.Equal(got[0].Author.Username, "huey")
		is.Equal(got[2].Author, nil)

		// The same absent row into a non-pointer struct is an error, not zeroes.
		_, err = wren.All[TweetWithUser](ctx, db,
			wren.Select(T.ID, T.Content, U).From(T).LeftJoin(U, U.ID.EqExpr(T.UserID), U.Username.Eq("huey")))
		is.True(err != nil)
		is.True(strings.Contains(err.Error(), "NULL"))
	})
}

func TestScanErrors(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		// NULL into a non-nullable field names the column and the field.
		type NoNull struct {
			ID    int64
			Email string
		}
		_, err := wren.All[NoNull](ctx, db, wren.Select(U.ID, U.Email).From(U))
		is.True(err != nil)
		var se *wren.ScanError
		is.True(errors.As(err, &se))
		is.Equal(se.Column, "users.email")
		is.True(strings.Contains(se.Field, "Email"))

		// A selected column with no field.
		type Short struct{ ID int64 }
		_, err = wren.All[Short](ctx, db, wren.Select(U.ID, U.Username).From(U))
		is.True(err != nil)
		is.True(strings.Contains(err.Error(), "users.username"))

		// A value the field's type cannot hold.
		type Wrong struct {
			ID       int64
			Username int64
		}
		_, err = wren.All[Wrong](ctx, db, wren.Select(U.ID, U.Username).From(U))
		is.True(errors.As(err, &se))
		is.Equal(se.Column, "users.username")

		// A cancelled context stops the query.
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err = wren.All[User](cctx, db, wren.Select(U).From(U))
		is.True(errors.Is(err, context.Canceled))
	})
}

// Audit is embedded: its fields count as the outer struct's own.
type Audit struct {
	CreatedAt time.Time
	Active    bool
}

// Upper is a sql.Scanner and driver.Valuer that stores text upper-cased.
type Upper string

func (u *Upper) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*u = Upper(strings.ToUpper(v))
	case []byte:
		*u = Upper(strings.ToUpper(string(v)))
	default:
		return fmt.Errorf("Upper: cannot scan %T", src)
	}
	return nil
}

func (u Upper) Value() (driver.Value, error) { return strings.ToLower(string(u)), nil }

func TestScanEmbeddedAndScanners(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		type WithAudit struct {
			ID       int64
			Username Upper `db:"username"`
			Audit
			Renamed float64 `db:"score"`
			Ignored string  `db:"-"`
		}
		rows, err := wren.All[WithAudit](ctx, db, wren.Select(U.ID, U.Username, U.CreatedAt, U.Active, U.Score).From(U).OrderBy(U.ID))
		is.NoErr(err)
		is.Equal(len(rows), 2)
		is.Equal(rows[0].Username, Upper("HUEY"))
		is.True(rows[0].Active)
		is.Equal(rows[1].Renamed, 2.25)
		is.True(!rows[0].CreatedAt.IsZero())
		// A driver.Valuer as a bound value.
		n, err := wren.Count(ctx, db, wren.Select(U.ID).From(U).Where(wren.Raw("username = ?", Upper("MICKEY"))))
		is.NoErr(err)
		is.Equal(n, int64(1))
		// Two columns for one field is an error.
		_, err = wren.All[struct{ ID int64 }](ctx, db, wren.Select(U.ID, T.ID).From(U).Join(T))
		is.True(err != nil && strings.Contains(err.Error(), "both go to field"))
	})
}

func TestIsolationLevels(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		seed(t, db)
		err := db.Atomic(ctx, func(tx *wren.Tx) error {
			_, err := wren.Count(ctx, tx, wren.Select(U.ID).From(U))
			return err
		}, wren.TxOptions{Isolation: sql.LevelSerializable})
		is.NoErr(err) // every database has serializable transactions
		if db.Dialect() != dialect.SQLite {
			err = db.Atomic(ctx, func(tx *wren.Tx) error { return nil }, wren.TxOptions{Isolation: sql.LevelReadCommitted})
			is.NoErr(err)
		}
	})
}
