package scan

import (
	"fmt"
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
