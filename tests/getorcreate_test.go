package tests

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

type MemberTable struct {
	wren.Table
	ID        wren.Column[int64]     `wren:",pk"`
	Email     wren.Column[string]    `wren:",size=100,unique"`
	Name      wren.Column[string]    `wren:",size=100"`
	Visits    wren.Column[int64]     `wren:",default=0,omitzero"`
	UpdatedAt wren.Column[time.Time] `wren:",autoupdate"`
}

var Members = wren.NewTable[MemberTable]("members")

type Member struct {
	ID        int64
	Email     string
	Name      string
	Visits    int64
	UpdatedAt time.Time
}

func TestGetOrCreate(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		_, err := wren.Exec(ctx, db, wren.CreateTable(Members))
		is.NoErr(err)

		m := Member{Email: "huey@x", Name: "Huey"}
		created, err := wren.GetOrCreate(ctx, db, Members, &m, Members.Email)
		is.NoErr(err)
		is.True(created)
		is.True(m.ID > 0)
		is.True(!m.UpdatedAt.IsZero())

		again := Member{Email: "huey@x", Name: "someone else"}
		created, err = wren.GetOrCreate(ctx, db, Members, &again, Members.Email)
		is.NoErr(err)
		is.True(!created)
		is.Equal(again.ID, m.ID)
		is.Equal(again.Name, "Huey") // the stored row, not the proposed one

		// Racing for one key: one creates, every other reads its row.
		const n = 8
		var wg sync.WaitGroup
		ids := make([]int64, n)
		made := make([]bool, n)
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				r := Member{Email: "race@x", Name: fmt.Sprint("r", i)}
				made[i], errs[i] = wren.GetOrCreate(ctx, db, Members, &r, Members.Email)
				ids[i] = r.ID
			}(i)
		}
		wg.Wait()
		creators := 0
		for i := 0; i < n; i++ {
			is.NoErr(errs[i])
			is.Equal(ids[i], ids[0])
			if made[i] {
				creators++
			}
		}
		is.Equal(creators, 1)

		// Inside a transaction: a lost race does not abort it.
		is.NoErr(db.Atomic(ctx, func(tx *wren.Tx) error {
			r := Member{Email: "huey@x"}
			if _, err := wren.GetOrCreate(ctx, tx, Members, &r, Members.Email); err != nil {
				return err
			}
			is.Equal(r.ID, m.ID)
			r2 := Member{Email: "tx@x", Name: "T"}
			created, err := wren.GetOrCreate(ctx, tx, Members, &r2, Members.Email)
			is.True(created)
			return err
		}))

		// Bad input is an error that says what is wrong.
		_, err = wren.GetOrCreate(ctx, db, Members, &Member{Email: "x"})
		is.True(err != nil && strings.Contains(err.Error(), "no key columns"))
		_, err = wren.GetOrCreate(ctx, db, Members, &Member{Email: "x"}, Docs.Title)
		is.True(err != nil && strings.Contains(err.Error(), "is not a column of members"))
	})
}

func TestGetOrCreateRaceInsertPath(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		_, err := wren.Exec(ctx, db, wren.CreateTable(Members))
		is.NoErr(err)
		is.NoErr(wren.Create(ctx, db, Members, &Member{Email: "dup@x", Name: "first"}))
		// The INSERT path's refusal is recognised on every database.
		err = wren.Create(ctx, db, Members, &Member{Email: "dup@x", Name: "second"})
		is.True(wren.IsUniqueViolation(err))
		is.True(!wren.IsUniqueViolation(errors.New("other")))
	})
}

func TestUpsertRow(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		_, err := wren.Exec(ctx, db, wren.CreateTable(Members))
		is.NoErr(err)
		for hi, h := range handles(db) {
			email := fmt.Sprint("up", hi, "@x")
			m := Member{Email: email, Name: "one", Visits: 1}
			is.NoErr(wren.UpsertRow(ctx, h, Members, &m, wren.Columns(Members.Email)))
			is.True(m.ID > 0)
			is.Equal(m.Name, "one")
			is.True(!m.UpdatedAt.IsZero())
			id := m.ID

			// A collision updates the stored row and hands it back.
			m2 := Member{Email: email, Name: "two"}
			is.NoErr(wren.UpsertRow(ctx, h, Members, &m2, wren.Columns(Members.Email)))
			is.Equal(m2.ID, id)
			is.Equal(m2.Name, "two")
			is.Equal(m2.Visits, int64(1)) // omitzero and zero: kept

			// Only the named columns are updated.
			m3 := Member{Email: email, Name: "three", Visits: 9}
			is.NoErr(wren.UpsertRow(ctx, h, Members, &m3, wren.Columns(Members.Email), Members.Visits))
			is.Equal(m3.ID, id)
			is.Equal(m3.Name, "two")
			is.Equal(m3.Visits, int64(9))
			n, err := wren.Count(ctx, h, wren.Select(Members.ID).From(Members).Where(Members.Email.Eq(email)))
			is.NoErr(err)
			is.Equal(n, int64(1))
		}
	})
}
