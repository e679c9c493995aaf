package wren

import (
	"math"
	"time"
	"unsafe"
)

// argBox boxes the values of one statement's arguments: the int64, float64,
// string and time.Time values of many rows (a multi-row INSERT binds thousands) live
// in a few arrays allocated per statement, and each argument is an
// interface pointing into them, instead of one allocation per value as
// converting each to any would make. The arrays are never written again
// once an interface points into them, and are not reused by another
// statement: whoever holds the arguments (a hook, a log) keeps its values.
type argBox struct {
	words []uint64 // int64 and float64 values, by their bits
	strs  []string
	times []time.Time
}

// Type words of the interfaces argBox makes.
var (
	int64Type, _   = efaceWords(int64(0))
	float64Type, _ = efaceWords(float64(0))
	stringType, _  = efaceWords("")
	timeEface, _   = efaceWords(time.Time{})
)

// newArgBox returns a box sized for rows rows binding the columns of b.
func newArgBox(b *boundSet, rows int) argBox {
	var x argBox
	if b.words > 0 {
		x.words = make([]uint64, 0, b.words*rows)
	}
	if b.strs > 0 {
		x.strs = make([]string, 0, b.strs*rows)
	}
	if b.times > 0 {
		x.times = make([]time.Time, 0, b.times*rows)
	}
	return x
}

// eface makes the interface of type typ whose value is at p.
func eface(typ, p unsafe.Pointer) any {
	var v any
	w := (*[2]unsafe.Pointer)(unsafe.Pointer(&v))
	w[0], w[1] = typ, p
	return v
}

// word boxes a value of type typ (int64 or float64) stored as bits.
func (b *argBox) word(typ unsafe.Pointer, bits uint64) any {
	if len(b.words) == cap(b.words) {
		// A new array: interfaces into the full one keep it alive as it is.
		b.words = make([]uint64, 0, max(16, cap(b.words)))
	}
	b.words = append(b.words, bits)
	return eface(typ, unsafe.Pointer(&b.words[len(b.words)-1]))
}

func (b *argBox) int64(v int64) any { return b.word(int64Type, uint64(v)) }

func (b *argBox) float64(v float64) any { return b.word(float64Type, math.Float64bits(v)) }

func (b *argBox) string(s string) any {
	if len(b.strs) == cap(b.strs) {
		b.strs = make([]string, 0, max(16, cap(b.strs)))
	}
	b.strs = append(b.strs, s)
	return eface(stringType, unsafe.Pointer(&b.strs[len(b.strs)-1]))
}

func (b *argBox) time(t time.Time) any {
	if len(b.times) == cap(b.times) {
		b.times = make([]time.Time, 0, max(4, cap(b.times)))
	}
	b.times = append(b.times, t)
	return eface(timeEface, unsafe.Pointer(&b.times[len(b.times)-1]))
}

// boxCounts counts the values of columns cols that b boxes: int64 or
// float64, strings, and times.
func (m *rowMap) boxCounts(cols []int) (words, strs, times int) {
	for _, i := range cols {
		switch m.kind[i] {
		case argInt64, argFloat64:
			words++
		case argString:
			strs++
		case argTime:
			times++
		}
	}
	return words, strs, times
}
