package wren

import (
	"testing"
	"unsafe"

	"github.com/matryer/is"

	"github.com/wrensql/wren/dialect"
)

// TestBigArgsPooled: a bulk INSERT's argument slice of more than 4,096
// values comes from a pool of its own, sized to a power of two, and goes
// back to it cleared; the renderer keeps its small slice meanwhile.
func TestBigArgsPooled(t *testing.T) {
	is := is.New(t)
	r := getRenderer(dialect.MySQL)
	r.args = append(r.args, "a") // a value bound before the rows'
	small := unsafe.SliceData(r.args)
	r.growArgs(9999)
	is.Equal(cap(r.args), 16384) // the next power of two
	is.Equal(len(r.args), 1)
	is.Equal(r.args[0], "a")
	is.Equal(r.small[:1][0], nil) // moved, not left behind
	for i := range 9999 {
		r.args = append(r.args, i)
	}
	big := r.args
	r.release()
	is.Equal(big[:cap(big)][100], nil) // cleared before it is pooled
	if unsafe.SliceData(r.args) != small || len(r.args) != 0 {
		t.Fatal("the renderer did not get its small slice back")
	}

	r = getRenderer(dialect.MySQL)
	defer r.release()
	r.growArgs(5000)
	is.True(cap(r.args) >= 5000)
	if !raceEnabled && cap(r.args) == 16384 && unsafe.SliceData(r.args) != unsafe.SliceData(big) {
		t.Fatal("a pooled slice of the same size was not reused")
	}
	r.growArgs(100) // already large: grows as append does
	is.True(cap(r.args) >= 5100)
}

// TestBigArgsBounds: more than MySQL's limit, or room already there, is
// left to append; a renderer without a small slice gets a new one back.
func TestBigArgsBounds(t *testing.T) {
	is := is.New(t)
	r := getRenderer(dialect.SQLite)
	r.growArgs(maxBigArgs + 1)
	is.Equal(cap(r.args) >= maxBigArgs+1, true)
	r.release()
	is.True(cap(r.args) <= pooledArgs) // not pooled: not a power of two or too large

	r = getRenderer(dialect.SQLite)
	r.args = nil
	r.growArgs(5000)
	r.release()
	is.True(r.args != nil && cap(r.args) == 16)
}
