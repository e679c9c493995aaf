package wren_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/wrensql/wren/internal/gen/projections"
)

// TestProjectionsUpToDate fails when the committed projections_gen.go is not
// what the generator writes: run go generate in the module root.
func TestProjectionsUpToDate(t *testing.T) {
	want, err := projections.Source()
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("projections_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, want) {
		t.Fatal("projections_gen.go is out of date: run go generate in the module root")
	}
}
