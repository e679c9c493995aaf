package wren_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCompileFail builds every program under testdata/compilefail, each of
// which must not compile, and matches the compiler's error with the
// program's "// want:" line.
func TestCompileFail(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Go toolchain")
	}
	dirs, err := filepath.Glob("testdata/compilefail/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no compile-fail cases: %v", err)
	}
	args := []string{"build", "-o", os.DevNull}
	wants := map[string]*regexp.Regexp{}
	for _, d := range dirs {
		src, err := os.ReadFile(filepath.Join(d, "main.go"))
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(src), "\n")
		want, ok := strings.CutPrefix(first, "// want: ")
		if !ok {
			t.Fatalf("%s: the first line must be // want: <regexp>", d)
		}
		wants[filepath.Base(d)] = regexp.MustCompile(want)
		args = append(args, "./"+d)
	}
	// One build for all cases: the compiler reports every package's errors.
	out, err := exec.Command("go", args...).CombinedOutput()
	if err == nil {
		t.Fatalf("the compile-fail programs compiled:\n%s", out)
	}
	sections := map[string]string{}
	for _, sec := range strings.Split(string(out), "# ")[1:] {
		pkg, body, _ := strings.Cut(sec, "\n")
		sections[filepath.Base(strings.TrimSpace(pkg))] = body
	}
	for name, re := range wants {
		body, ok := sections[name]
		if !ok {
			t.Errorf("%s: compiled, but must not", name)
			continue
		}
		if !re.MatchString(body) {
			t.Errorf("%s: error does not match %q:\n%s", name, re, body)
		}
	}
}
