// Command report reads the output of several runs of the benchmarks (one
// run per round, as run.sh makes them) and prints, per workload and
// database, each contender's median time/op, client CPU/op (cpu-ns/op),
// B/op and allocs/op, and its ratios to the best baseline.
//
// The best baseline of a workload and database is the hand-written
// contender (a contender whose name is raw or pgx, or starts with raw- or
// pgx-) with the lowest median time over the rounds; for CPU, the one with
// the lowest median CPU. Every contender is compared with it round by
// round, and the ratio shown is the median over the rounds. With
// -per-round, each round is compared instead with the lowest time and the
// lowest CPU of all the baselines in that round, which is stricter than
// fair: the minimum of several noisy measurements is biased low. The n-th
// result of a benchmark in the input belongs to round n.
//
// A scaling table follows the detailed tables: for each workload measured
// at several sizes (Workload/size), each wren contender beside the fastest
// hand-written one by median time, with both one's bytes and allocations.
// Last comes a summary table of wren's ratios, one row per workload and
// wren contender (named wren or wren-…).
//
//	go run ./cmd/report [-title T] [-per-round] < results.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

var (
	benchLine = regexp.MustCompile(`^Benchmark(\S+)\s+(\d+)\s+(.*)$`)
	procs     = regexp.MustCompile(`-\d+$`)
)

type group struct{ workload, db string }

type key struct {
	group
	contender string
}

// samples are one contender's results, the i-th of each from round i.
type samples struct{ ns, cpu, bytes, allocs []float64 }

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// baseline reports whether a contender is hand-written code.
func baseline(name string) bool {
	return name == "raw" || name == "pgx" || strings.HasPrefix(name, "raw-") || strings.HasPrefix(name, "pgx-")
}

// parseName splits a benchmark name (without "Benchmark") into its
// workload, database and contender: Workload/db/contender or
// Workload/db/size…/contender, whose workload is then Workload/size….
func parseName(name string) (key, bool) {
	parts := strings.Split(procs.ReplaceAllString(name, ""), "/")
	if len(parts) < 3 {
		return key{}, false
	}
	w := parts[0]
	if len(parts) > 3 {
		w += "/" + strings.Join(parts[2:len(parts)-1], "/")
	}
	return key{group{w, parts[1]}, parts[len(parts)-1]}, true
}

// data is everything read from the input.
type data struct {
	notes    []string
	samples  map[key]*samples
	groups   []group
	members  map[group][]string
	dbs      []string
	workload []string
}

func read(r io.Reader) (*data, error) {
	d := &data{samples: map[key]*samples{}, members: map[group][]string{}}
	seenDB, seenW, seenNote := map[string]bool{}, map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		text := sc.Text()
		if strings.HasPrefix(text, "# ") {
			if n := strings.TrimPrefix(text, "# "); !seenNote[n] {
				seenNote[n] = true
				d.notes = append(d.notes, n)
			}
			continue
		}
		m := benchLine.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		k, ok := parseName(m[1])
		if !ok {
			continue
		}
		metrics := map[string]float64{}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err == nil {
				metrics[f[i+1]] = v
			}
		}
		if _, ok := metrics["ns/op"]; !ok {
			continue
		}
		s := d.samples[k]
		if s == nil {
			s = &samples{}
			d.samples[k] = s
			if _, ok := d.members[k.group]; !ok {
				d.groups = append(d.groups, k.group)
			}
			d.members[k.group] = append(d.members[k.group], k.contender)
			if !seenDB[k.db] {
				seenDB[k.db] = true
				d.dbs = append(d.dbs, k.db)
			}
			if !seenW[k.workload] {
				seenW[k.workload] = true
				d.workload = append(d.workload, k.workload)
			}
		}
		s.ns = append(s.ns, metrics["ns/op"])
		s.cpu = append(s.cpu, metrics["cpu-ns/op"])
		s.bytes = append(s.bytes, metrics["B/op"])
		s.allocs = append(s.allocs, metrics["allocs/op"])
	}
	return d, sc.Err()
}

// perRound chooses the older, stricter comparison: each round against the
// lowest time and CPU of any baseline in that round (-per-round).
var perRound bool

// best is what a group's contenders are compared with, round by round. By
// default it is one baseline for time, the hand-written contender with the
// lowest median time over the rounds, and one for CPU, the one with the
// lowest median CPU, each with its own value in every round. With
// perRound it is, in each round, the lowest time and the lowest CPU of
// all the group's baselines; a minimum of several noisy contenders is
// lower than any one of them is typically, so that comparison is biased
// against the contender compared. name holds, per round, the baseline
// whose time was used.
type best struct {
	ns, cpu []float64
	name    []string
}

func (d *data) best(g group) best {
	if perRound {
		return d.bestPerRound(g)
	}
	var b best
	if c := d.lowestMedian(g, nsOf); c != "" {
		s := d.samples[key{g, c}]
		b.ns = s.ns
		for range s.ns {
			b.name = append(b.name, c)
		}
	}
	if c := d.lowestMedian(g, cpuOf); c != "" {
		b.cpu = d.samples[key{g, c}].cpu
	}
	return b
}

// roundWinners lists the baselines that were fastest in some round, the
// most frequent first: "pgx (3 of 5 rounds), raw (2 of 5 rounds)".
func roundWinners(name []string) string {
	count := map[string]int{}
	var names []string
	for _, n := range name {
		if count[n] == 0 {
			names = append(names, n)
		}
		count[n]++
	}
	sort.SliceStable(names, func(i, j int) bool { return count[names[i]] > count[names[j]] })
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s (%d of %d rounds)", n, count[n], len(name)))
	}
	return strings.Join(parts, ", ")
}

func nsOf(s *samples) []float64  { return s.ns }
func cpuOf(s *samples) []float64 { return s.cpu }

// lowestMedian is the name of g's baseline with the lowest median of the
// metric m, or "" when g has none.
func (d *data) lowestMedian(g group, m func(*samples) []float64) string {
	low, lowMedian := "", 0.0
	for _, c := range d.members[g] {
		if !baseline(c) {
			continue
		}
		if v := m(d.samples[key{g, c}]); len(v) > 0 && (low == "" || median(v) < lowMedian) {
			low, lowMedian = c, median(v)
		}
	}
	return low
}

func (d *data) bestPerRound(g group) best {
	var b best
	for _, c := range d.members[g] {
		if !baseline(c) {
			continue
		}
		s := d.samples[key{g, c}]
		for r := range s.ns {
			if r == len(b.ns) {
				b.ns, b.cpu, b.name = append(b.ns, s.ns[r]), append(b.cpu, s.cpu[r]), append(b.name, c)
				continue
			}
			if s.ns[r] < b.ns[r] {
				b.ns[r], b.name[r] = s.ns[r], c
			}
			if s.cpu[r] < b.cpu[r] {
				b.cpu[r] = s.cpu[r]
			}
		}
	}
	return b
}

// ratios are v[r]/base[r] for the rounds that measured both.
func ratios(v, base []float64) []float64 {
	var rs []float64
	for r := range v {
		if r < len(base) && base[r] > 0 && v[r] > 0 {
			rs = append(rs, v[r]/base[r])
		}
	}
	return rs
}

// ratio is the median over the rounds of v[r]/base[r]; ok is false when
// there is nothing to compare.
func ratio(v, base []float64) (float64, bool) {
	rs := ratios(v, base)
	if len(rs) == 0 {
		return 0, false
	}
	return median(rs), true
}

func fmtRatio(v float64, ok bool) string {
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.2f×", v)
}

// fmtSpread is the median ratio with the lowest and highest of the rounds
// beside it, "1.04× (0.97–1.12)": where the range spans 1.00× the rounds
// disagree on which is faster.
func fmtSpread(v, base []float64) string {
	rs := ratios(v, base)
	if len(rs) == 0 {
		return "–"
	}
	if len(rs) == 1 {
		return fmtRatio(rs[0], true)
	}
	return fmt.Sprintf("%.2f× (%.2f–%.2f)", median(rs), slices.Min(rs), slices.Max(rs))
}

func main() {
	title := flag.String("title", "", "a heading printed first")
	flag.BoolVar(&perRound, "per-round", false, "compare each round with the lowest baseline of that round")
	flag.Parse()
	d, err := read(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *title != "" {
		fmt.Printf("## %s\n\n", *title)
	}
	for _, n := range d.notes {
		fmt.Printf("- %s\n", n)
	}
	type cell struct {
		t, c     float64
		okT, okC bool
	}
	// summary holds each wren contender's ratios per group; wrens lists
	// the wren contenders of each workload in the order first met.
	summary := map[group]map[string]cell{}
	wrens := map[string][]string{}
	for _, g := range d.groups {
		b := d.best(g)
		fmt.Printf("\n### %s / %s\n\n", g.workload, g.db)
		switch {
		case len(b.ns) > 0 && perRound:
			fmt.Printf("Fastest hand-written: %s.\n\n", roundWinners(b.name))
		case len(b.ns) > 0:
			fmt.Printf("Baseline: %s (lowest median time), %s (lowest median CPU).\n\n", b.name[0], d.lowestMedian(g, cpuOf))
		}
		fmt.Println("| contender | runs | time/op | cpu/op | B/op | allocs/op | time vs best (range) | cpu vs best (range) |")
		fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
		for _, c := range d.members[g] {
			s := d.samples[key{g, c}]
			t, okT := ratio(s.ns, b.ns)
			cp, okC := ratio(s.cpu, b.cpu)
			name := c
			if baseline(c) {
				name = "*" + c + "*"
			}
			fmt.Printf("| %s | %d | %s | %s | %.0f | %.0f | %s | %s |\n", name, len(s.ns), dur(median(s.ns)),
				dur(median(s.cpu)), median(s.bytes), median(s.allocs), fmtSpread(s.ns, b.ns), fmtSpread(s.cpu, b.cpu))
			if c == "wren" || strings.HasPrefix(c, "wren-") {
				if summary[g] == nil {
					summary[g] = map[string]cell{}
				}
				summary[g][c] = cell{t, cp, okT, okC}
				if !slices.Contains(wrens[g.workload], c) {
					wrens[g.workload] = append(wrens[g.workload], c)
				}
			}
		}
	}
	if len(summary) == 0 {
		return
	}
	printScaling(os.Stdout, d)
	fmt.Printf("\n### wren against the best baseline (time, cpu)\n\n| workload |")
	for _, db := range d.dbs {
		fmt.Printf(" %s |", db)
	}
	fmt.Printf("\n|---|")
	for range d.dbs {
		fmt.Printf("---|")
	}
	fmt.Println()
	for _, w := range d.workload {
		for _, name := range wrens[w] {
			fmt.Printf("| %s (%s) |", w, name)
			for _, db := range d.dbs {
				c, ok := summary[group{w, db}][name]
				if !ok {
					fmt.Printf(" – |")
					continue
				}
				fmt.Printf(" %s, %s |", fmtRatio(c.t, c.okT), fmtRatio(c.c, c.okC))
			}
			fmt.Println()
		}
	}
}

// printScaling prints, for the workloads measured at several sizes (named
// Workload/size), each wren contender beside the fastest hand-written
// contender by median time, with both one's bytes and allocations.
func printScaling(w io.Writer, d *data) {
	header := false
	for _, g := range d.groups {
		if !strings.Contains(g.workload, "/") {
			continue
		}
		b := d.best(g)
		fastest := d.lowestMedian(g, nsOf)
		for _, c := range d.members[g] {
			if c != "wren" && !strings.HasPrefix(c, "wren-") {
				continue
			}
			if !header {
				fmt.Fprintf(w, "\n### Scaling\n\n")
				fmt.Fprintln(w, "| workload | database | wren | time | B/op | allocs | fastest hand-written (time) | its B/op | its allocs | time vs best | cpu vs best |")
				fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---|---:|---:|---:|---:|")
				header = true
			}
			s := d.samples[key{g, c}]
			t, okT := ratio(s.ns, b.ns)
			cp, okC := ratio(s.cpu, b.cpu)
			base := "–"
			var fb, fa float64
			if fastest != "" {
				f := d.samples[key{g, fastest}]
				base = fmt.Sprintf("%s (%s)", fastest, dur(median(f.ns)))
				fb, fa = median(f.bytes), median(f.allocs)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %.0f | %.0f | %s | %.0f | %.0f | %s | %s |\n", g.workload, g.db, c,
				dur(median(s.ns)), median(s.bytes), median(s.allocs), base, fb, fa, fmtRatio(t, okT), fmtRatio(cp, okC))
		}
	}
}

func dur(ns float64) string {
	switch {
	case ns == 0:
		return "–"
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
