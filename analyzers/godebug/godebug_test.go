package godebug_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/analyzers/kit/kittest"

	"github.com/upshift-dev/upshift/internal/txtarmod"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/godebug"
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

// TestFixes checks the rewrites against .golden files: blocking timer
// drains become non-blocking, reseeds of the global source become local
// generators. Run with -update to write them.
func TestFixes(t *testing.T) {
	setTo(t, "go1.26")
	kittest.Fixes(t, godebug.Analyzer, "timers", "seeds")
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

// godebugToolchain is the default of -godebug.to: the running toolchain.
func godebugToolchain() string {
	return godebug.Analyzer.Flags.Lookup(godebug.FlagTo).DefValue
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}
