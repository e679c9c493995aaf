package bench

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/wrensql/wren"
)

// bulkModels is a table of its own, so that the seeded models table the
// other benchmarks read stays as it is.
var bulkModels = wren.NewTable[ModelTable]("bulk_models")

// BenchmarkBulkInsert inserts 1,000 and 10,000 rows on PostgreSQL: wren's
// Create, which reads every key back (one statement of one array per
// column), against pgx's CopyFrom, which returns no keys, and a
// hand-written INSERT … SELECT FROM unnest with RETURNING through native
// pgx. The table (bulk_models) is truncated outside the timer every 20 batches so that
// it stays small.
func BenchmarkBulkInsert(b *testing.B) {
	ctx := context.Background()
	for _, e := range envs {
		if e.name != "postgres" {
			continue
		}
		if err := wren.DropTablesIfExists(ctx, e.wdb, bulkModels); err != nil {
			b.Fatal(err)
		}
		if err := wren.CreateTables(ctx, e.wdb, bulkModels); err != nil {
			b.Fatal(err)
		}
		for _, n := range []int{1000, 10000} {
			ms := make([]*Model, n)
			for i := range ms {
				ms[i] = newModel(i)
			}
			contenders := []struct {
				name string
				run  func() error
			}{
				{"wren-Create", func() error { return wren.Create(ctx, e.wdb, bulkModels, ms...) }},
				{"pgx-CopyFrom-nokeys", func() error {
					_, err := e.pool.CopyFrom(ctx, pgx.Identifier{"bulk_models"},
						[]string{"name", "title", "fax", "web", "age", "flag", "counter", "score", "created_at"},
						pgx.CopyFromSlice(len(ms), func(i int) ([]any, error) { return args(ms[i]), nil }))
					return err
				}},
				{"pgx-unnest-keys", func() error { return unnestInsert(ctx, e, ms) }},
			}
			for _, c := range contenders {
				b.Run(e.name+"/"+strconv.Itoa(n)+"/"+c.name, func(b *testing.B) {
					b.ReportAllocs()
					for i := 0; i < b.N; i++ {
						if i%20 == 0 {
							b.StopTimer()
							if _, err := e.pool.Exec(ctx, "TRUNCATE bulk_models"); err != nil {
								b.Fatal(err)
							}
							b.StartTimer()
						}
						for _, m := range ms {
							m.ID = 0
						}
						if err := c.run(); err != nil {
							b.Fatal(err)
						}
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
