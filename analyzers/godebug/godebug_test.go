package godebug_test

import (
	"bytes"
	"flag"
	"github.com/upshift-dev/upshift/internal/txtarmod"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/godebug"
	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

// setTo sets -godebug.to for the rest of the test.
func setTo(t *testing.T, v string) {
	t.Helper()
	f := godebug.Analyzer.Flags.Lookup(godebug.FlagTo)
	old := f.Value.String()
	if err := godebug.Analyzer.Flags.Set(godebug.FlagTo, v); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { godebug.Analyzer.Flags.Set(godebug.FlagTo, old) })
}

// TestAnalyzer runs the GOPATH-mode packages, which have no go line and so
// act as go1.20: every setting flips on the way to go1.26.
func TestAnalyzer(t *testing.T) {
	setTo(t, "go1.26")
	analysistest.Run(t, analysistest.TestData(), godebug.Analyzer,
		"timers", "mux", "panics", "recoverok", "seeds", "typesgen", "tlsconf", "urls", "procs", "keys")
}

var update = flag.Bool("update", false, "rewrite the .golden files from the current fixes")

// TestFixes checks the rewrites against .golden files: blocking timer
// drains become non-blocking, reseeds of the global source become local
// generators. Run with -update to write them.
func TestFixes(t *testing.T) {
	setTo(t, "go1.26")
	if *update {
		rewritetest.WriteGolden(t, analysistest.TestData(), godebug.Analyzer, "timers", "seeds")
	}
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), godebug.Analyzer, "timers", "seeds")
}

// TestFixedCode proves that the fixed sources compile, that a second run
// has nothing left to fix, and that no comment was lost.
func TestFixedCode(t *testing.T) {
	setTo(t, "go1.26")
	rewritetest.CheckGolden(t, analysistest.TestData(), godebug.Analyzer, "timers", "seeds")
}

// FuzzFix feeds single-file programs through the analyzer and its
// rewrites: no panic, and every fixed source parses.
func FuzzFix(f *testing.F) {
	setTo := godebug.Analyzer.Flags.Set
	if err := setTo(godebug.FlagTo, "go1.26"); err != nil {
		f.Fatal(err)
	}
	rewritetest.Fuzz(f, godebug.Analyzer, `package p

import "time"

func reset(t *time.Timer, d time.Duration) {
	if !t.Stop() {
		<-t.C // drain
	}
	if ok := t.Stop(); !ok {
		select {
		case <-t.C:
		}
	}
	if !t.Reset(d) {
		_ = <-t.C
	}
	_ = len(t.C)
}
`)
}

// TestVersions runs modules with their own go lines and godebug lines.
func TestVersions(t *testing.T) {
	for _, tc := range []struct{ archive, to, pkg string }{
		{"go116.txtar", "go1.26", "example.com/svc/..."},
		{"go121.txtar", "go1.26", "example.com/svc/..."},
		{"go122.txtar", "go1.26", "example.com/svc/..."},
		{"go124.txtar", "go1.26", "example.com/svc/..."},
		{"go121to122.txtar", "go1.22", "example.com/svc/..."},
		{"pinned.txtar", "go1.26", "example.com/svc/..."},
		{"gomoddefault.txtar", "go1.26", "example.com/svc/..."},
		{"godebugdirective.txtar", "go1.26", "example.com/svc/..."},
	} {
		t.Run(strings.TrimSuffix(tc.archive, ".txtar"), func(t *testing.T) {
			setTo(t, tc.to)
			dir := extract(t, filepath.Join(analysistest.TestData(), "versions", tc.archive))
			analysistest.Run(t, dir, godebug.Analyzer, tc.pkg)
		})
	}
}

func extract(t *testing.T, archive string) string {
	return txtarmod.Extract(t, archive)
}

func TestCheck(t *testing.T) {
	c := godebug.Check
	if c.ID != "UP1005" || c.Why == "" || c.Before == "" || c.After == "" || c.Since == "" || c.URL == "" {
		t.Errorf("Check is incomplete: %+v", c)
	}
	if c.Title != meta.Title(godebug.Analyzer.Doc) || c.Title == "" {
		t.Errorf("Check.Title = %q, want the doc title %q", c.Title, meta.Title(godebug.Analyzer.Doc))
	}
	if len(c.Title) > 60 || strings.HasSuffix(c.Title, ".") || strings.ToLower(c.Title[:1]) != c.Title[:1] {
		t.Errorf("title %q: want a lowercase start, no period, at most 60 chars", c.Title)
	}
	if c.Severity != "warning" || c.Tier != meta.TierSafe || c.Name != godebug.Analyzer.Name {
		t.Errorf("Check metadata: %+v", c)
	}
	if godebug.Analyzer.Flags.Lookup(godebug.FlagTo) == nil {
		t.Error("no -to flag")
	}
}

func TestFlipped(t *testing.T) {
	names := func(ss []godebug.Setting) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return out
	}
	got := godebug.Flipped("1.22", "go1.23.4")
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
	if got := godebug.Flipped("go1.23", "go1.22"); len(got) != 0 {
		t.Errorf("Flipped backwards = %v, want none", names(got))
	}
	if got := godebug.Flipped("bad", "go1.26"); len(got) != 0 {
		t.Errorf("Flipped(bad) = %v, want none", names(got))
	}
	// Below the floor, go lines act as go1.20: panicnil flips, netedns0
	// (changed in go1.19) does not.
	old := names(godebug.Flipped("go1.16", "go1.21"))
	if !slices.Equal(old, []string{"panicnil"}) {
		t.Errorf("Flipped(go1.16, go1.21) = %v, want [panicnil]", old)
	}
	timers := godebug.Flipped("go1.22", "go1.23")
	i := slices.IndexFunc(timers, func(s godebug.Setting) bool { return s.Name == "asynctimerchan" })
	if i < 0 {
		t.Fatal("asynctimerchan missing")
	}
	s := timers[i]
	if s.GodebugLine() != "godebug asynctimerchan=1" || s.Package != "time" || s.Description == "" {
		t.Errorf("asynctimerchan = %+v, line %q", s, s.GodebugLine())
	}
	// Ordered by release, then name.
	all := godebug.Flipped("go1.20", "go1.26")
	if !slices.IsSortedFunc(all, func(a, b godebug.Setting) int {
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
	for _, s := range godebug.Flipped("go1.20", "go1.99") {
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
	toolchain := godebugToolchain()
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
			for _, s := range godebug.Flipped("go1."+minor, toolchain) {
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

// godebugToolchain is the default of -godebug.to: the running toolchain.
func godebugToolchain() string {
	return godebug.Analyzer.Flags.Lookup(godebug.FlagTo).DefValue
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
		t.Errorf("table_gen.go is stale for %s: run go generate ./analyzers/godebug", goroot)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}
