package main

import (
	"bytes"
	"os"
	"testing"
)

// TestUpToDate fails when the committed projections_gen.go is not what the
// generator writes: run go generate in the module root.
func TestUpToDate(t *testing.T) {
	want, err := Source()
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("../../../projections_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, want) {
		t.Fatal("projections_gen.go is out of date: run go generate in the module root")
	}
}
