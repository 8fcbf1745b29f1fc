package bytestring_test

import (
	"testing"

	"github.com/upshift-dev/upshift/analyzers/kit/kittest"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/bytestring"
	"github.com/upshift-dev/upshift/rewrite/rewritetest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), bytestring.Analyzer,
		"config", "loader", "cache", "flags", "webhook", "scanner", "equality", "logging", "crosspkg/server", "helpers", "suppressed")
}

// fixed lists the testdata packages whose findings have rewrites, each
// with .golden files.
var fixed = []string{"config", "loader", "cache", "flags", "webhook", "scanner", "equality", "logging", "crosspkg/server", "helpers"}

// TestFixes checks the rewrites against .golden files (-update writes
// them), and that the fixed code compiles, converges and keeps comments.
func TestFixes(t *testing.T) {
	kittest.Fixes(t, bytestring.Analyzer, fixed...)
}

// TestVersions runs each txtar module under testdata/versions in module
// mode, with its own go line.
func TestVersions(t *testing.T) {
	kittest.Modules(t, bytestring.Analyzer, "versions/*", "./...", nil)
}

// FuzzFix feeds single-file programs through the analyzer and its
// rewrites: no panic, and every fixed source parses.
func FuzzFix(f *testing.F) {
	rewritetest.Fuzz(f, bytestring.Analyzer,
		`package p

import (
	"bytes"
	"os"
)

func load() map[string]any {
	data, _ := os.ReadFile("cfg")
	return map[string]any{"mode": bytes.TrimSpace(data)}
}

func on() bool {
	cfg := load()
	switch cfg["level"] {
	case "debug", "info":
	}
	return cfg["mode"] == "fast" // comment
}
`,
		`package p

import (
	"fmt"
	"log"
	"os/exec"
	"reflect"
)

func run() error {
	out, err := exec.Command("true").Output()
	log.Println("out:", out)
	_ = reflect.DeepEqual(out, "x")
	return fmt.Errorf("failed: %v: %+v", err, out)
}
`,
		`package p

import (
	"errors"
	"strings"
)

type Tags []string

func (t *Tags) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*t = strings.Split(v, ",")
	default:
		return errors.New("unsupported")
	}
	return nil
}

func kind(x any) int {
	var v any = []byte("a")
	switch v.(type) {
	case string:
		return 1
	}
	return 0
}
`,
		`package p

import (
	"errors"
	"fmt"
	"os/exec"
)

type Name string

func (n *Name) Scan(src any) error {
	s, ok := src.(string)
	if !ok {
		return errors.New("name")
	}
	*n = Name(s)
	return nil
}

func report(out []byte) error {
	return fmt.Errorf("failed: %v", out)
}

func run() error {
	out, _ := exec.Command("true").Output()
	return report(out)
}
`)
}
