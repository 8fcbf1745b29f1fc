package vetcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"go/ast"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/suppress"
	"github.com/upshift-dev/upshift/internal/command"
)

// hazardcheck reports calls of functions named hazard.
var hazardcheck = &analysis.Analyzer{
	Name: "hazardcheck",
	Doc:  "report calls to hazard",
	Run: func(pass *analysis.Pass) (any, error) {
		defer suppress.Install(pass)()
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "hazard" {
						pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: "call", Message: "hazard called: it hurts"})
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

// picky fails on every package, as an analyzer does with a bad flag.
var failing = &analysis.Analyzer{Name: "picky", Doc: "fails", Run: func(*analysis.Pass) (any, error) {
	return nil, errors.New(`invalid -picky.to value "banana"`)
}}

// TestMain makes the test binary the vet tool that go vet runs: it serves
// every analyzer of the tests' suites, and each test selects its own.
func TestMain(m *testing.M) {
	ServeTool(Suite{Checks: append(slices.Clone(testSuite.Checks), meta.Check{Analyzer: failing, Name: failing.Name, ID: "UP9998"})})
	os.Exit(m.Run())
}

var testSuite = Suite{
	Checks: []meta.Check{{Analyzer: hazardcheck, Name: "hazardcheck", ID: "UP9999", Title: "report calls to hazard", Severity: "error", URL: "https://example.com/hazardcheck"}},
}

func runVet(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("testdata", dir))
	require.NoError(t, err)
	var stdout, stderr bytes.Buffer
	env := command.Env{Stdout: &stdout, Stderr: &stderr, Dir: abs}
	code := Main(context.Background(), env, testSuite, args)
	return code, stdout.String(), stderr.String()
}

func TestClean(t *testing.T) {
	code, out, errOut := runVet(t, "clean")
	assert.Equal(t, command.ExitOK, code, errOut)
	assert.Empty(t, out)
}

func TestTextFindings(t *testing.T) {
	code, out, errOut := runVet(t, "dirty", "./...")
	assert.Equal(t, command.ExitFindings, code, errOut)
	// The finding in dirty.go appears once although both the package and
	// its test variant contain the file; the suppressed call is silent.
	assert.Equal(t, ""+
		"dirty.go:7:2: hazard called: it hurts (hazardcheck)\n"+
		"dirty.go:10:2: //upshift:ignore names unknown analyzer \"nosuch\": it suppresses nothing (directive)\n"+
		"dirty_test.go:5:28: hazard called: it hurts (hazardcheck)\n", out)
}

func TestNoTests(t *testing.T) {
	code, out, _ := runVet(t, "dirty", "-test=false")
	assert.Equal(t, command.ExitFindings, code)
	assert.NotContains(t, out, "dirty_test.go")
}

func TestJSON(t *testing.T) {
	code, out, _ := runVet(t, "dirty", "-format", "json")
	assert.Equal(t, command.ExitFindings, code)
	var tree map[string]map[string][]map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &tree))
	diags := tree["example.com/dirty"]["hazardcheck"]
	require.NotEmpty(t, diags)
	assert.Equal(t, "hazard called: it hurts", diags[0]["message"])
	assert.Equal(t, "UP9999", diags[0]["id"])
	assert.Regexp(t, `dirty\.go:7:2$`, diags[0]["posn"])
}

func TestSARIF(t *testing.T) {
	code, out, _ := runVet(t, "dirty", "-format=sarif")
	assert.Equal(t, command.ExitFindings, code)
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct{ Rules []struct{ ID string } }
			}
			Results []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &log))
	assert.Equal(t, "2.1.0", log.Version)
	require.Len(t, log.Runs, 1)
	res := log.Runs[0].Results[0]
	assert.Equal(t, "UP9999", res.RuleID)
	assert.Equal(t, "error", res.Level)
	// Paths are relative to the repository root.
	assert.Equal(t, "analyzers/vetcmd/testdata/dirty/dirty.go", res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Equal(t, 7, res.Locations[0].PhysicalLocation.Region.StartLine)
}

func TestLoadErrors(t *testing.T) {
	code, out, errOut := runVet(t, "broken")
	assert.Equal(t, command.ExitError, code)
	assert.Empty(t, out, "nothing is reported when packages do not load")
	assert.Contains(t, errOut, "broken.go:3:")
	assert.Contains(t, errOut, "nothing is reported as clean")
}

func TestBadFlags(t *testing.T) {
	code, _, errOut := runVet(t, "clean", "-format", "xml")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errOut, `unknown -format "xml"`)

	code, _, errOut = runVet(t, "clean", "-only", "nosuch")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errOut, `unknown analyzer "nosuch" (have hazardcheck)`)

	code, _, _ = runVet(t, "clean", "-nosuchflag")
	assert.Equal(t, command.ExitError, code)

	code, _, errOut = runVet(t, "clean", "-h")
	assert.Equal(t, command.ExitOK, code)
	assert.Contains(t, errOut, "upshift vet ./...")

	code, _, errOut = runVet(t, "clean", "./nosuchdir/...")
	assert.Equal(t, command.ExitError, code)
	assert.NotEmpty(t, errOut)
}

// Flags after the package patterns work as before them (go vet accepts
// both); a directory outside any module says so plainly; a bad analyzer
// flag is reported once, with the command's prefix.
func TestContract(t *testing.T) {
	code, out, errOut := runVet(t, "dirty", "./...", "-only", "hazardcheck", "-format", "json")
	assert.Equal(t, command.ExitFindings, code, errOut)
	assert.Contains(t, out, "hazard called")
	assert.NotContains(t, errOut, "malformed import path")

	t.Setenv("GO111MODULE", "")
	empty := t.TempDir()
	var stdout, stderr bytes.Buffer
	code = Main(context.Background(), command.Env{Stdout: &stdout, Stderr: &stderr, Dir: empty}, testSuite, nil)
	assert.Equal(t, command.ExitError, code)
	assert.Equal(t, "upshift vet: no go.mod in "+empty+" (not a Go module): run upshift in a module's directory, or pass -C DIR\n", stderr.String())

	abs, err := filepath.Abs(filepath.Join("testdata", "dirty"))
	require.NoError(t, err)
	stderr.Reset()
	code = Main(context.Background(), command.Env{Stdout: &stdout, Stderr: &stderr, Dir: abs},
		Suite{Checks: []meta.Check{{Analyzer: failing, Name: failing.Name, ID: "UP9998"}}}, []string{"./..."})
	assert.Equal(t, command.ExitError, code)
	assert.Equal(t, 1, strings.Count(stderr.String(), "banana"), stderr.String())
	assert.True(t, strings.HasPrefix(stderr.String(), `upshift vet: picky: invalid -picky.to value "banana" (in `), stderr.String())
}

// An unused directive is a warning in SARIF, even when the analyzer it
// names reports errors.
func TestSARIFUnusedDirectiveIsWarning(t *testing.T) {
	code, out, errOut := runVet(t, "unused", "-format=sarif")
	assert.Equal(t, command.ExitFindings, code, errOut)
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID, Level string
				Message       struct{ Text string }
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &log))
	require.Len(t, log.Runs[0].Results, 1)
	res := log.Runs[0].Results[0]
	assert.Contains(t, res.Message.Text, "unused //upshift:ignore hazardcheck")
	assert.Equal(t, "warning", res.Level)
}

// A second run over unchanged packages is served by the go build cache,
// and -v says so; the findings are the same.
func TestVerboseCached(t *testing.T) {
	_, first, _ := runVet(t, "dirty", "-v")
	code, second, errOut := runVet(t, "dirty", "-v")
	assert.Equal(t, command.ExitFindings, code)
	assert.Equal(t, first, second)
	assert.Regexp(t, `upshift vet: \d+ packages in .*: 0 analyzed, \d+ from the go build cache`, errOut)
}
