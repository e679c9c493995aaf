package scan

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// TestTextBlockSizes: the first row's strings stand alone; with a LIMIT the
// next block has room for the rows left at the first row's size; without
// one, blocks double up to textBlockMax; long values stand alone; every
// string keeps its bytes while later ones are added.
func TestTextBlockSizes(t *testing.T) {
	row := func(i int) []string { return []string{fmt.Sprintf("name%03d", i), "title", "", "http://example.com"} } // 28 bytes
	for _, c := range []struct {
		hint, rows int
		blocks     []int // capacities of the blocks made, in order
	}{
		{hint: 1, rows: 1, blocks: nil},
		{hint: 10, rows: 10, blocks: []int{288}}, // 9 × 30 = 270, in its size class
		{hint: 3, rows: 3, blocks: []int{64}},    // 2 × 30 = 60
		{hint: 1000, rows: 300, blocks: []int{4096, 4096, 4096}},
		{hint: 0, rows: 40, blocks: []int{128, 256, 512, 1024}}, // 4 × 30 in its size class, then doubling
		{hint: 16, rows: 40, blocks: []int{480, 1024}},          // 15 × 30 = 450; past a hint that was short, doubling
	} {
		b := &textBlock{hint: c.hint}
		var got []string
		var blocks []int
		var last unsafe.Pointer
		for i := 0; i < c.rows; i++ {
			b.rows++
			for _, s := range row(i) {
				got = append(got, b.str([]byte(s)))
				if p := unsafe.Pointer(unsafe.SliceData(b.buf)); p != nil && p != last {
					last = p
					blocks = append(blocks, cap(b.buf))
				}
			}
		}
		if fmt.Sprint(blocks) != fmt.Sprint(c.blocks) {
			t.Errorf("hint %d, %d rows: blocks %v, want %v", c.hint, c.rows, blocks, c.blocks)
		}
		for i := 0; i < c.rows; i++ {
			for j, s := range row(i) {
				if got[4*i+j] != s {
					t.Fatalf("hint %d: row %d value %d = %q, want %q", c.hint, i, j, got[4*i+j], s)
				}
			}
		}
	}
	b := &textBlock{rows: 2, first: 10}
	long := strings.Repeat("x", textValueMax+1)
	if s := b.str([]byte(long)); s != long || b.buf != nil {
		t.Errorf("a value longer than textValueMax went into a block")
	}
}

// TestShareTextThreshold: a plan with string fields and TextBlocks shares
// blocks for 16 rows or more, or an unknown number, and Release puts the
// row state back as it was, for the next query.
func TestShareTextThreshold(t *testing.T) {
	type row struct {
		ID   int64
		Name string
	}
	cols := []Column{{Name: "id"}, {Name: "name"}}
	p, err := Build(reflect.TypeFor[row](), cols, Options{TextBlocks: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rows  int
		share bool
	}{{1, false}, {15, false}, {16, true}, {0, true}, {10000, true}} {
		r := p.NewRow()
		r.ShareText(c.rows)
		if r.sharing != c.share {
			t.Errorf("ShareText(%d): sharing %v, want %v", c.rows, r.sharing, c.share)
		}
		var v row
		dest := r.Dest(unsafe.Pointer(&v))
		if _, ok := dest[1].(*textScanner); ok != c.share {
			t.Errorf("ShareText(%d): name scanned by %T", c.rows, dest[1])
		}
		r.Release()
		r = p.NewRow()
		if r.sharing || !r.plain {
			t.Errorf("after ShareText(%d) and Release: sharing %v, plain %v", c.rows, r.sharing, r.plain)
		}
		if _, ok := r.Dest(unsafe.Pointer(&v))[1].(*string); !ok {
			t.Errorf("after ShareText(%d) and Release: name scanned by %T", c.rows, r.dest[1])
		}
		r.Release()
	}
}
