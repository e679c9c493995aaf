package main

import (
	"math"
	"strings"
	"testing"
)

// Two rounds of one workload: the fastest hand-written contender differs
// between the rounds. Ratios are taken per round, then their median.
const twoRounds = `# durability off: postgres synchronous_commit=off
BenchmarkRead/postgres/raw-2   	 100	  1000 ns/op	  800 cpu-ns/op	 10 B/op	 1 allocs/op
BenchmarkRead/postgres/pgx-2   	 100	  900 ns/op	  700 cpu-ns/op	 10 B/op	 1 allocs/op
BenchmarkRead/postgres/wren-2  	 100	  990 ns/op	  770 cpu-ns/op	 10 B/op	 2 allocs/op
BenchmarkBulkInsert/postgres/1000/pgx-CopyFrom-nokeys-2  	 1	  5000 ns/op	  4000 cpu-ns/op	 1 B/op	 1 allocs/op
BenchmarkBulkInsert/postgres/1000/wren-Create-2  	 1	  6000 ns/op	  4000 cpu-ns/op	 1 B/op	 1 allocs/op
# durability off: postgres synchronous_commit=off
BenchmarkRead/postgres/raw-2   	 100	  800 ns/op	  600 cpu-ns/op	 10 B/op	 1 allocs/op
BenchmarkRead/postgres/pgx-2   	 100	  1000 ns/op	  700 cpu-ns/op	 10 B/op	 1 allocs/op
BenchmarkRead/postgres/wren-2  	 100	  1000 ns/op	  660 cpu-ns/op	 10 B/op	 2 allocs/op
BenchmarkBulkInsert/postgres/1000/pgx-CopyFrom-nokeys-2  	 1	  5000 ns/op	  4000 cpu-ns/op	 1 B/op	 1 allocs/op
BenchmarkBulkInsert/postgres/1000/wren-Create-2  	 1	  4000 ns/op	  5000 cpu-ns/op	 1 B/op	 1 allocs/op
`

// By default every round is compared with one baseline: for time the one
// with the lowest median time, for CPU the one with the lowest median CPU.
func TestRatiosAgainstOneBaseline(t *testing.T) {
	d, err := read(strings.NewReader(twoRounds))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.notes) != 1 {
		t.Errorf("notes %q, want the durability line once", d.notes)
	}
	read := group{"Read", "postgres"}
	b := d.best(read)
	// raw's median time is 900, pgx's 950; their median CPU ties at 700
	// (the first listed, raw, is taken).
	if got, want := strings.Join(b.name, ","), "raw,raw"; got != want {
		t.Errorf("baseline per round %s, want %s", got, want)
	}
	if got := d.lowestMedian(read, cpuOf); got != "raw" {
		t.Errorf("cpu baseline %s, want raw", got)
	}
	w := d.samples[key{read, "wren"}]
	// Round 1: 990/1000 = 0.99, round 2: 1000/800 = 1.25; median 1.12.
	if r, ok := ratio(w.ns, b.ns); !ok || math.Abs(r-1.12) > 1e-9 {
		t.Errorf("time ratio %v, want 1.12", r)
	}
	// 770/800 = 0.9625, 660/600 = 1.1; median 1.03125.
	if r, ok := ratio(w.cpu, b.cpu); !ok || math.Abs(r-1.03125) > 1e-9 {
		t.Errorf("cpu ratio %v, want 1.03125", r)
	}
	// The detail tables give the rounds' range beside the median.
	if got, want := fmtSpread(w.ns, b.ns), "1.12× (0.99–1.25)"; got != want {
		t.Errorf("time spread %q, want %q", got, want)
	}
	if got, want := fmtSpread(w.ns[:1], b.ns[:1]), "0.99×"; got != want {
		t.Errorf("one round's spread %q, want %q", got, want)
	}
	bulk := group{"BulkInsert/1000", "postgres"}
	if m := d.members[bulk]; strings.Join(m, ",") != "pgx-CopyFrom-nokeys,wren-Create" {
		t.Errorf("bulk contenders %q", m)
	}
	c := d.samples[key{bulk, "wren-Create"}]
	// 6000/5000 = 1.2 and 4000/5000 = 0.8: median 1.0.
	if r, ok := ratio(c.ns, d.best(bulk).ns); !ok || math.Abs(r-1.0) > 1e-9 {
		t.Errorf("bulk time ratio %v, want 1.0", r)
	}
}

// With -per-round, each round is compared with that round's lowest
// baseline time and CPU.
func TestRatiosPerRound(t *testing.T) {
	d, err := read(strings.NewReader(twoRounds))
	if err != nil {
		t.Fatal(err)
	}
	perRound = true
	defer func() { perRound = false }()
	read := group{"Read", "postgres"}
	b := d.best(read)
	if got, want := strings.Join(b.name, ","), "pgx,raw"; got != want {
		t.Errorf("fastest baselines %s, want %s", got, want)
	}
	if got, want := roundWinners(b.name), "pgx (1 of 2 rounds), raw (1 of 2 rounds)"; got != want {
		t.Errorf("round winners %q, want %q", got, want)
	}
	w := d.samples[key{read, "wren"}]
	// Round 1: 990/900 = 1.1, round 2: 1000/800 = 1.25; median 1.175.
	if r, ok := ratio(w.ns, b.ns); !ok || math.Abs(r-1.175) > 1e-9 {
		t.Errorf("time ratio %v, want 1.175", r)
	}
	// CPU against each round's lowest baseline CPU: 770/700 = 1.1, 660/600 = 1.1.
	if r, ok := ratio(w.cpu, b.cpu); !ok || math.Abs(r-1.1) > 1e-9 {
		t.Errorf("cpu ratio %v, want 1.1", r)
	}
}

func TestParseName(t *testing.T) {
	for _, tc := range []struct{ in, workload, db, contender string }{
		{"Read/mysql/raw-elem-2", "Read", "mysql", "raw-elem"},
		{"ReadRows/sqlite/10000/wren", "ReadRows/10000", "sqlite", "wren"},
		{"BulkInsert/postgres/1000/pgx-CopyFrom-nokeys-16", "BulkInsert/1000", "postgres", "pgx-CopyFrom-nokeys"},
	} {
		k, ok := parseName(tc.in)
		if !ok || k.workload != tc.workload || k.db != tc.db || k.contender != tc.contender {
			t.Errorf("parseName(%q) = %+v, %v", tc.in, k, ok)
		}
	}
	if _, ok := parseName("Build/select"); ok {
		t.Error("a name of two parts was parsed")
	}
}

// The scaling table has a row per sized workload and wren contender, with
// the fastest hand-written contender by median time beside it.
func TestScaling(t *testing.T) {
	d, err := read(strings.NewReader(twoRounds))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	printScaling(&b, d)
	want := "| BulkInsert/1000 | postgres | wren-Create | 5.0 µs | 1 | 1 | pgx-CopyFrom-nokeys (5.0 µs) | 1 | 1 | 1.00× | 1.12× |"
	if !strings.Contains(b.String(), want+"\n") || strings.Contains(b.String(), "| Read |") {
		t.Errorf("scaling table:\n%s\nwant the row\n%s", b.String(), want)
	}
}
