// Command report reads `go test -bench` output with several counts and
// prints, per workload and database, the median time/op, B/op and
// allocs/op of each contender and its ratio to the baseline of the same
// run: hand-written database/sql ("raw"), and on PostgreSQL also native
// pgx ("pgx").
//
//	go run ./cmd/report < results.txt
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var line = regexp.MustCompile(`^Benchmark(\w+)/(\w+)/(\w+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op\s+([\d.]+) B/op\s+([\d.]+) allocs/op`)

type key struct{ workload, db, contender string }

type samples struct{ ns, bytes, allocs []float64 }

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

func main() {
	data := map[key]*samples{}
	var order []key
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		k := key{m[1], m[2], m[3]}
		s := data[k]
		if s == nil {
			s = &samples{}
			data[k] = s
			order = append(order, k)
		}
		ns, _ := strconv.ParseFloat(m[4], 64)
		b, _ := strconv.ParseFloat(m[5], 64)
		a, _ := strconv.ParseFloat(m[6], 64)
		s.ns, s.bytes, s.allocs = append(s.ns, ns), append(s.bytes, b), append(s.allocs, a)
	}
	var last string
	for _, k := range order {
		group := k.workload + " / " + k.db
		if group != last {
			last = group
			fmt.Printf("\n### %s\n\n", group)
			fmt.Println("| contender | runs | time/op | B/op | allocs/op | time vs raw | allocs vs raw | time vs pgx |")
			fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
		}
		s := data[k]
		raw := data[key{k.workload, k.db, "raw"}]
		pgx := data[key{k.workload, k.db, "pgx"}]
		t := median(s.ns)
		ratio := func(base *samples) string {
			if base == nil {
				return "–"
			}
			return fmt.Sprintf("%.2f×", t/median(base.ns))
		}
		allocRatio := "–"
		if raw != nil {
			allocRatio = fmt.Sprintf("%+.0f", median(s.allocs)-median(raw.allocs))
		}
		fmt.Printf("| %s | %d | %s | %.0f | %.0f | %s | %s | %s |\n", k.contender, len(s.ns), dur(t),
			median(s.bytes), median(s.allocs), ratio(raw), allocRatio, ratio(pgx))
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = strings.TrimSpace
}

func dur(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
