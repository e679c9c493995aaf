// Command cmd writes projections_gen.go (see package projections). With
// -o - it writes the source to standard output.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/wrensql/wren/internal/gen/projections"
)

func main() {
	out := flag.String("o", "projections_gen.go", "the file to write, - for standard output")
	flag.Parse()
	src, err := projections.Source()
	if err != nil {
		log.Fatal(err)
	}
	if *out == "-" {
		_, err = os.Stdout.Write(src)
	} else {
		err = os.WriteFile(*out, src, 0o644)
	}
	if err != nil {
		log.Fatal(err)
	}
}
