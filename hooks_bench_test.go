package wren_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/wrensql/wren"
)

type hbTable struct {
	wren.Table
	ID   wren.Column[int64] `wren:",pk"`
	Name wren.Column[string]
	Qty  wren.Column[int64]
}

var hb = wren.NewTable[hbTable]("hook_bench")

type hbRow struct {
	ID   int64
	Name string
	Qty  int64
}

type noopHook struct{}

func (noopHook) BeforeQuery(ctx context.Context, _ *wren.QueryEvent) context.Context { return ctx }
func (noopHook) AfterQuery(context.Context, *wren.QueryEvent)                        {}

// BenchmarkHookSQLite runs a one-row read and a one-row update on an
// SQLite file without a hook, with a hook that does nothing, and with
// SlogHook on a logger that discards its level: what a hook costs per
// statement (its event and the copy of the arguments), and that a DB
// without one pays nothing.
func BenchmarkHookSQLite(b *testing.B) {
	ctx := context.Background()
	db, err := wren.Open(ctx, "sqlite", filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := wren.CreateTables(ctx, db, hb); err != nil {
		b.Fatal(err)
	}
	if _, err := wren.Exec(ctx, db, wren.Insert(hb).Rows(hbRow{ID: 1, Name: "huey", Qty: 1})); err != nil {
		b.Fatal(err)
	}
	read := wren.Select(hb.ID, hb.Name, hb.Qty).From(hb).Where(hb.ID.Eq(1))
	write := wren.Update(hb).Set(wren.Set(hb.Qty, int64(2))).Where(hb.ID.Eq(1))
	quiet := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	for _, h := range []struct {
		name string
		hook wren.Hook
	}{{"none", nil}, {"noop", noopHook{}}, {"slog-disabled", wren.SlogHook(quiet, wren.SlogOptions{})}} {
		db.SetHook(h.hook)
		b.Run("One/"+h.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := wren.One[hbRow](ctx, db, read); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Exec/"+h.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := wren.Exec(ctx, db, write); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
