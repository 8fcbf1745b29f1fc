package godebugs

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"1.21":              "go1.21",
		"1.21.0":            "go1.21",
		"go1.26.8":          "go1.26",
		"go1.23rc1":         "go1.23",
		"go1.26.8 X:jsonv2": "go1.26",
		"devel go1.27-abcdef12 Tue Jan 6 2026 +0000": "go1.27",
		"go1.24.1-bigcorp":                           "go1.24",
		"":                                           "",
		"bad":                                        "",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	if n, ok := Minor("go1.16"); !ok || n != 16 {
		t.Errorf("Minor(go1.16) = %d, %v; want 16 (a module's own go line is not raised to a floor)", n, ok)
	}
	if ToolchainLang() == "" {
		t.Error("ToolchainLang is empty")
	}
}

func TestLookup(t *testing.T) {
	s, ok := Lookup("httpmuxgo121")
	if !ok || s.Changed != "go1.22" || s.GodebugLine() != "godebug httpmuxgo121=1" {
		t.Errorf("Lookup(httpmuxgo121) = %+v, %v", s, ok)
	}
	if _, ok := Lookup("randautoseed"); ok {
		t.Error("Lookup(randautoseed) found a setting no go line changes")
	}
	if _, ok := Lookup("nosuch"); ok {
		t.Error("Lookup(nosuch) succeeded")
	}
}

func TestFlipped(t *testing.T) {
	names := func(ss []Setting) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return out
	}
	got := Flipped("1.22", "go1.23.4")
	for _, want := range []string{"asynctimerchan", "gotypesalias", "x509keypairleaf"} {
		if !slices.Contains(names(got), want) {
			t.Errorf("Flipped(1.22, go1.23.4) lacks %s: %v", want, names(got))
		}
	}
	for _, s := range got {
		if s.Changed != "go1.23" {
			t.Errorf("Flipped(1.22, go1.23.4) has %s changed in %s", s.Name, s.Changed)
		}
	}
	if got := Flipped("go1.23", "go1.22"); len(got) != 0 {
		t.Errorf("Flipped backwards = %v, want none", names(got))
	}
	if got := Flipped("bad", "go1.26"); len(got) != 0 {
		t.Errorf("Flipped(bad) = %v, want none", names(got))
	}
	// A module's go line older than go1.20 selects its own defaults:
	// netedns0 (changed in go1.19) flips from go1.16 as panicnil does.
	old := names(Flipped("go1.16", "go1.21"))
	if !slices.Equal(old, []string{"netedns0", "panicnil"}) {
		t.Errorf("Flipped(go1.16, go1.21) = %v, want [netedns0 panicnil]", old)
	}
	timers := Flipped("go1.22", "go1.23")
	i := slices.IndexFunc(timers, func(s Setting) bool { return s.Name == "asynctimerchan" })
	if i < 0 {
		t.Fatal("asynctimerchan missing")
	}
	s := timers[i]
	if s.GodebugLine() != "godebug asynctimerchan=1" || s.Package != "time" || s.Description == "" {
		t.Errorf("asynctimerchan = %+v, line %q", s, s.GodebugLine())
	}
	// Ordered by release, then name.
	all := Flipped("go1.20", "go1.26")
	if !slices.IsSortedFunc(all, func(a, b Setting) int {
		if c := strings.Compare(a.Changed, b.Changed); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	}) {
		t.Errorf("Flipped is not sorted: %v", names(all))
	}
}

// TestDescriptions asks for a description of every setting a go line can
// flip: a regenerated table with a new setting fails here until one is
// written in describe.go.
func TestDescriptions(t *testing.T) {
	for _, s := range Flipped("go1.20", "go1.99") {
		if s.Description == "" {
			t.Errorf("setting %s (changed in %s) has no description in describe.go", s.Name, s.Changed)
		}
	}
}

// TestTableMatchesGoList checks the embedded table against the go command:
// for modules at several go lines, the settings that differ from the
// running toolchain's defaults must be the ones Flipped reports.
func TestTableMatchesGoList(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goTool := "go"
	toolchain := ToolchainLang()
	for _, minor := range []string{"20", "21", "22", "23", "24", "25"} {
		t.Run("go1."+minor, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "go.mod"), "module example.com/m\n\ngo 1."+minor+"\n")
			write(t, filepath.Join(dir, "main.go"), "package main\n\nfunc main() {}\n")
			cmd := exec.Command(goTool, "list", "-f", "{{.DefaultGODEBUG}}", ".")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off", "GODEBUG=")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
			}
			var got []string
			for _, kv := range strings.Split(strings.TrimSpace(string(out)), ",") {
				if kv != "" {
					got = append(got, kv)
				}
			}
			var want []string
			for _, s := range Flipped("go1."+minor, toolchain) {
				want = append(want, s.Name+"="+s.Old)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("go 1.%s under %s:\ngo list: %v\ntable:   %v", minor, toolchain, got, want)
			}
		})
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}

// TestTableMatchesGenerator checks that table_gen.go is what gen.go makes
// from the installed GOROOT, i.e. that `go generate` has been run.
func TestTableMatchesGenerator(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	b, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	goroot := strings.TrimSpace(string(b))
	if _, err := os.Stat(filepath.Join(goroot, "src", "internal", "godebugs", "table.go")); err != nil {
		t.Skipf("GOROOT source %s/src/internal/godebugs/table.go is not installed: cannot check the generated table (%v)", goroot, err)
	}
	out := filepath.Join(t.TempDir(), "table_gen.go")
	cmd := exec.Command("go", "run", "gen.go", "-goroot", goroot, "-o", out)
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run gen.go: %v\n%s", err, b)
	}
	got, err := os.ReadFile("table_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("table_gen.go is stale for %s: run go generate ./internal/godebugs", goroot)
	}
}

// TestFlippedMatchesGoCommand checks Flipped against the go command
// itself: the DefaultGODEBUG of a main package at an old go line holds
// the old value of exactly the settings that flip between that line and
// the toolchain's.
func TestFlippedMatchesGoCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, line := range []string{"1.16", "1.19", "1.20", "1.22"} {
		dir := t.TempDir()
		write := func(name, text string) {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("go.mod", "module example.com/m\n\ngo "+line+"\n")
		write("main.go", "package main\n\nfunc main() {}\n")
		cmd := exec.Command("go", "list", "-f", "{{.DefaultGODEBUG}}", ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s: go list: %v", line, err)
		}
		var want []string
		for _, kv := range strings.Split(strings.TrimSpace(string(out)), ",") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				want = append(want, k+"="+v)
			}
		}
		var got []string
		for _, s := range Flipped("go"+line, ToolchainLang()) {
			got = append(got, s.Name+"="+s.Old)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("go %s: Flipped to %s = %v\nthe go command's DefaultGODEBUG: %v", line, ToolchainLang(), got, want)
		}
	}
}
