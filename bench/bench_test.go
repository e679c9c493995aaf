package bench

import (
	"context"
	"testing"
)

// Each Benchmark runs every contender on every database as sub-benchmarks,
// so that with -count N the contenders alternate round by round.

func eachContender(b *testing.B, fn func(b *testing.B, e *env, r runner)) {
	for _, e := range envs {
		cs, err := contenders(e)
		if err != nil {
			b.Fatalf("%s: %v", e.name, err)
		}
		for _, c := range cs {
			b.Run(e.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				fn(b, e, c.r)
			})
		}
	}
}

func BenchmarkInsert(b *testing.B) {
	ctx := context.Background()
	eachContender(b, func(b *testing.B, e *env, r runner) {
		m := newModel(1)
		for i := 0; i < b.N; i++ {
			m.ID = 0
			if err := r.insert(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
		if m.ID == 0 {
			b.Fatal("no key returned")
		}
	})
}

func BenchmarkInsertMulti(b *testing.B) {
	ctx := context.Background()
	eachContender(b, func(b *testing.B, e *env, r runner) {
		ms := make([]*Model, 100)
		for i := range ms {
			ms[i] = newModel(i)
		}
		for i := 0; i < b.N; i++ {
			for _, m := range ms {
				m.ID = 0
			}
			if err := r.insertMulti(ctx, ms); err != nil {
				b.Fatal(err)
			}
		}
		if ms[99].ID == 0 || ms[99].ID != ms[0].ID+99 {
			b.Fatalf("keys not returned in order: %d … %d", ms[0].ID, ms[99].ID)
		}
	})
}

func BenchmarkUpdate(b *testing.B) {
	ctx := context.Background()
	eachContender(b, func(b *testing.B, e *env, r runner) {
		m := newModel(7)
		for i := 0; i < b.N; i++ {
			m.ID = int64(1 + i%seedRows) // a real row, a different one each time
			m.Counter = int64(i)
			if err := r.update(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkRead(b *testing.B) {
	ctx := context.Background()
	eachContender(b, func(b *testing.B, e *env, r runner) {
		for i := 0; i < b.N; i++ {
			id := int64(1 + i%seedRows)
			m, err := r.read(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			if m.ID != id {
				b.Fatalf("read id %d, want %d", m.ID, id)
			}
		}
	})
}

func BenchmarkReadSlice(b *testing.B) {
	ctx := context.Background()
	eachContender(b, func(b *testing.B, e *env, r runner) {
		for i := 0; i < b.N; i++ {
			ms, err := r.readSlice(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if len(ms) != 100 {
				b.Fatalf("%d rows", len(ms))
			}
		}
	})
}
