package bench

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/wrensql/wren"
)

// BenchmarkPageCount reads a page of 20 rows and the table's total count,
// the two queries behind a paginated list: wren's Batch (one round trip on
// PostgreSQL, pgx's pipeline; in order elsewhere) against the same two
// wren queries one after the other, and the hand-written forms (two
// queries; on PostgreSQL also a hand-written pgx.Batch).
func BenchmarkPageCount(b *testing.B) {
	ctx := context.Background()
	for _, e := range envs {
		page := wren.Select(Models).From(Models).Where(Models.ID.Gt(100)).OrderBy(Models.ID).Limit(20)
		count := wren.Select(wren.CountAll()).From(Models)
		pageText := "SELECT " + selectCols + " FROM models WHERE id > " + e.ph(1) + " ORDER BY id LIMIT 20"
		countText := "SELECT COUNT(*) FROM models"
		type contender struct {
			name string
			run  func() ([]Model, int64, error)
		}
		cs := []contender{
			{"wren-batch", func() ([]Model, int64, error) {
				bt := wren.NewBatch()
				p := wren.QueueAll[Model](bt, page)
				n := wren.QueueOne[int64](bt, count)
				err := bt.Run(ctx, e.wdb)
				return p.Value(), n.Value(), err
			}},
			{"wren-two-queries", func() ([]Model, int64, error) {
				ms, err := wren.All[Model](ctx, e.wdb, page)
				if err != nil {
					return nil, 0, err
				}
				n, err := wren.One[int64](ctx, e.wdb, count)
				return ms, n, err
			}},
		}
		if e.pool != nil {
			cs = append(cs,
				contender{"pgx-two-queries", func() ([]Model, int64, error) {
					ms, err := pgxPage(e.pool.Query(ctx, pageText, int64(100)))
					if err != nil {
						return nil, 0, err
					}
					var n int64
					err = e.pool.QueryRow(ctx, countText).Scan(&n)
					return ms, n, err
				}},
				contender{"pgx-batch", func() ([]Model, int64, error) {
					var bt pgx.Batch
					bt.Queue(pageText, int64(100))
					bt.Queue(countText)
					res := e.pool.SendBatch(ctx, &bt)
					defer res.Close()
					ms, err := pgxPage(res.Query())
					if err != nil {
						return nil, 0, err
					}
					var n int64
					err = res.QueryRow().Scan(&n)
					return ms, n, err
				}})
		} else {
			pst, err := e.sqlDB.Prepare(pageText)
			if err != nil {
				b.Fatal(err)
			}
			cst, err := e.sqlDB.Prepare(countText)
			if err != nil {
				b.Fatal(err)
			}
			defer pst.Close()
			defer cst.Close()
			cs = append(cs, contender{"raw-two-queries", func() ([]Model, int64, error) {
				rows, err := pst.QueryContext(ctx, int64(100))
				if err != nil {
					return nil, 0, err
				}
				ms := make([]Model, 0, 20)
				for rows.Next() {
					ms = ms[:len(ms)+1]
					if err := scanModel(rows, &ms[len(ms)-1]); err != nil {
						rows.Close()
						return nil, 0, err
					}
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return nil, 0, err
				}
				var n int64
				err = cst.QueryRowContext(ctx).Scan(&n)
				return ms, n, err
			}})
		}
		for _, c := range inRoundOrder(cs) {
			b.Run(e.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				cpu := startCPU(b)
				for i := 0; i < b.N; i++ {
					ms, n, err := c.run()
					if err != nil {
						b.Fatal(err)
					}
					if len(ms) != 20 || ms[0].ID != 101 || n < seedRows {
						b.Fatalf("%d rows from %d, count %d", len(ms), ms[0].ID, n)
					}
				}
				cpu.report()
				checkIdle(b, e)
			})
		}
	}
}

// pgxPage scans a page of 20 rows from pgx's answer to a query.
func pgxPage(rows pgx.Rows, err error) ([]Model, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanInto(rows, make([]Model, 0, 20))
}
