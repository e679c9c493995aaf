package tests

import (
	"fmt"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/wrensql/wren"
)

// TestCreateManyRowsRoundTrip: Create of several rows (one array per column
// on PostgreSQL, VALUES elsewhere) stores every value as given — NULLs,
// times, floats, booleans — gives each row its own key, and keeps keys it
// was given, also when only some rows give one.
func TestCreateManyRowsRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *wren.DB) {
		is := is.New(t)
		ctx := ctxT(t)
		schemaOnly(t, db)
		ts := time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC)
		mail := "x@example.com"
		rows := make([]*NewUser, 50)
		for i := range rows {
			rows[i] = &NewUser{Username: fmt.Sprintf("u%02d", i), Age: int64(i) - 25, Score: float64(i) / 4, Active: i%2 == 0, CreatedAt: ts.Add(time.Duration(i) * time.Hour)}
			if i%3 == 0 {
				rows[i].Email = &mail
			}
		}
		is.NoErr(wren.Create(ctx, db, U, rows...))
		got, err := wren.All[NewUser](ctx, db, wren.Select(U.ID, U.Username, U.Email, U.Age, U.Score, U.Active, U.CreatedAt).From(U).OrderBy(U.Username))
		is.NoErr(err)
		is.Equal(len(got), len(rows))
		for i, g := range got {
			w := rows[i]
			is.Equal(g.ID, w.ID)
			is.Equal(g.Username, w.Username)
			is.Equal(g.Email == nil, w.Email == nil)
			is.Equal(g.Age, w.Age)
			is.Equal(g.Score, w.Score)
			is.Equal(g.Active, w.Active)
			is.True(g.CreatedAt.Equal(w.CreatedAt))
		}

		given := []*NewUser{{ID: 1000, Username: "k1", CreatedAt: ts}, {ID: 1001, Username: "k2", CreatedAt: ts}}
		is.NoErr(wren.Create(ctx, db, U, given...))
		n, err := wren.Count(ctx, db, wren.Select(U.ID).From(U).Where(U.ID.In(1000, 1001)))
		is.NoErr(err)
		is.Equal(n, int64(2))

		// Rows that mix given and generated keys go as two INSERTs.
		mixed := []*NewUser{{Username: "m1", CreatedAt: ts}, {ID: 2000, Username: "m2", CreatedAt: ts}}
		is.NoErr(wren.Create(ctx, db, U, mixed...))
		is.True(mixed[0].ID != 0)
		is.Equal(mixed[1].ID, int64(2000))
		n, err = wren.Count(ctx, db, wren.Select(U.ID).From(U).Where(wren.StartsWith(U.Username, "m")))
		is.NoErr(err)
		is.Equal(n, int64(2))
	})
}
