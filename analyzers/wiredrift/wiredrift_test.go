package wiredrift_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/upshift-dev/upshift/analyzers/kit/kittest"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/txtar"

	"github.com/upshift-dev/upshift/analyzers/wiredrift"
	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

func TestGob(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), wiredrift.Analyzer, "gobkeys", "keyutil", "tokencache")
}

func TestProto(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), wiredrift.Analyzer, "protokeys")
}

// TestFixes checks the deterministic-marshal rewrites (protobuf, json v2)
// against .golden files; run with -update to write them.
func TestFixes(t *testing.T) {
	kittest.Fixes(t, wiredrift.Analyzer, "protokeys", "jsonv2api")
}

// FuzzFix feeds single-file programs through the analyzer: no panic, and
// every fixed source parses. (Fuzzed sources import the standard library
// only, so they exercise the gob and JSON paths, which have no rewrite.)
func FuzzFix(f *testing.F) {
	rewritetest.Fuzz(f, wiredrift.Analyzer, `package p

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
)

type Session struct{ Attrs map[string]string }

func key(s Session) [32]byte {
	var buf bytes.Buffer
	gob.NewEncoder(&buf).Encode(s)
	return sha256.Sum256(buf.Bytes())
}
`)
}

func TestJSONv2Import(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), wiredrift.Analyzer, "jsonv2api")
}

func TestJSONv1WithoutFlag(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), wiredrift.Analyzer, "jsonv1plain")
}

func TestJSONv1WithFlag(t *testing.T) {
	setFlag(t, wiredrift.JSONv2Flag, "true")
	analysistest.Run(t, analysistest.TestData(), wiredrift.Analyzer, "jsonv1flag")
}

// setFlag sets an analyzer flag for one test.
func setFlag(t *testing.T, name, value string) {
	t.Helper()
	f := wiredrift.Analyzer.Flags.Lookup(name)
	if f == nil {
		t.Fatalf("no flag %q", name)
	}
	old := f.Value.String()
	if err := wiredrift.Analyzer.Flags.Set(name, value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = wiredrift.Analyzer.Flags.Set(name, old) })
}

// extract writes a txtar module into a fresh directory.
func extract(t *testing.T, name string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join(analysistest.TestData(), "modules", name))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestStdJSONv2Module(t *testing.T) {
	t.Setenv("GOEXPERIMENT", "jsonv2")
	dir := extract(t, "jsonv2std.txtar")
	analysistest.Run(t, dir, wiredrift.Analyzer, "example.com/v2std/...")
}

func TestOldGoLine(t *testing.T) {
	setFlag(t, wiredrift.JSONv2Flag, "true")
	dir := extract(t, "go123.txtar")
	analysistest.Run(t, dir, wiredrift.Analyzer, "example.com/old/...")
}
