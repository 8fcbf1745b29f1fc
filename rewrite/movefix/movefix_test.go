package movefix

import (
	"bytes"
	"encoding/gob"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/compat/deps"
)

func errorsTarget() *deps.Target {
	return &deps.Target{OldPath: "github.com/pkg/errors", OldVersion: "v0.9.1", NewPath: "errors",
		Migration: deps.Find("github.com/pkg/errors", "errors")}
}

// TestMoveErrors: a moved file (aliased import kept, non-literal messages
// through %s and Sprintf, % escaped, an unguarded wrap in a return turned
// into an if), and a file the move leaves alone with each reason.
func TestMoveErrors(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), New(errorsTarget()), "a")
	analysistest.Run(t, analysistest.TestData(), New(errorsTarget()), "b")
}

// TestAnalyzerFlag: the analyzer go vet's tool serves, configured by
// -move.spec, moves and blocks exactly as the one built for the target
// (same golden, same diagnostics), and its blocked fact survives the gob
// encoding go vet's vetx files use.
func TestAnalyzerFlag(t *testing.T) {
	require.NoError(t, Analyzer.Flags.Set(FlagSpec, Spec(errorsTarget())))
	t.Cleanup(func() { Analyzer.Flags.Set(FlagSpec, "") })
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), Analyzer, "a")
	results := analysistest.Run(t, analysistest.TestData(), Analyzer, "b")
	var facts []analysis.Fact
	for _, r := range results {
		facts = append(facts, r.Facts[nil]...)
	}
	require.Len(t, facts, 1, "package b is blocked")
	var enc bytes.Buffer
	require.NoError(t, gob.NewEncoder(&enc).Encode(facts[0]))
	back := new(blockedFact)
	require.NoError(t, gob.NewDecoder(&enc).Decode(back))
	assert.Equal(t, facts[0], back)
	assert.Regexp(t, `b\.go:5:19$`, back.At)
}

// TestAnalyzerUnconfigured: without -move.spec the analyzer reports
// nothing and touches nothing of the pass, since go vet runs it whenever
// its tool runs every analyzer.
func TestAnalyzerUnconfigured(t *testing.T) {
	pass := &analysis.Pass{Analyzer: Analyzer, Report: func(d analysis.Diagnostic) { t.Errorf("reported %q", d.Message) }}
	res, err := Analyzer.Run(pass)
	assert.NoError(t, err)
	assert.Nil(t, res)
}

func TestSpec(t *testing.T) {
	for _, tgt := range []*deps.Target{
		errorsTarget(),
		{OldPath: "gopkg.in/yaml.v2", OldVersion: "v2.4.0", NewPath: "gopkg.in/yaml.v3", NewVersion: "v3.0.1",
			Migration: deps.Find("gopkg.in/yaml.v2", "gopkg.in/yaml.v3")},
		{OldPath: "example.com/a", OldVersion: "v1.0.0", NewPath: "example.com/a", NewVersion: "v1.2.0"},
	} {
		got, err := ParseSpec(Spec(tgt))
		require.NoError(t, err, Spec(tgt))
		assert.Equal(t, tgt, got, Spec(tgt))
	}
	assert.NotNil(t, errorsTarget().Migration, "the table has the pkg/errors move")
	assert.Equal(t, []string{"-move.spec=github.com/pkg/errors@v0.9.1=errors"}, Flags(errorsTarget()))
	for _, bad := range []string{"github.com/pkg/errors=errors", "github.com/pkg/errors@v0.9.1", "@v1=errors", "a@=b", "a@v1="} {
		_, err := ParseSpec(bad)
		assert.ErrorContains(t, err, "-move.spec", bad)
	}
}

func TestDefaultName(t *testing.T) {
	for path, want := range map[string]string{
		"gopkg.in/yaml.v3":                 "yaml",
		"github.com/golang-jwt/jwt/v5":     "jwt",
		"github.com/google/uuid":           "uuid",
		"errors":                           "errors",
		"google.golang.org/protobuf/proto": "proto",
	} {
		assert.Equal(t, want, defaultName(path), path)
	}
}
