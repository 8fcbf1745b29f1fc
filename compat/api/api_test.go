package api

import (
	"context"
	"flag"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/compat/report"
)

var update = flag.Bool("update", false, "rewrite README.md's rules section")

func TestCompareModules(t *testing.T) {
	ctx := context.Background()
	old, err := Load(ctx, "testdata/old", "old")
	require.NoError(t, err)
	new, err := Load(ctx, "testdata/new", "new")
	require.NoError(t, err)
	r := Compare(old, new)
	Decide(r)
	assert.Equal(t, "major", r.Verdict)
	got := map[string]report.Finding{}
	for _, f := range r.Findings {
		got[f.Rule+" "+f.Symbol] = f
	}
	// The module path gained /v2: packages still pair by relative path.
	assert.Contains(t, got, "MOD001 module")
	assert.NotContains(t, got, "API010 example.com/m/sub")

	get := got["API002 example.com/m.(*T).Get"]
	require.NotNil(t, get.Base, "%v", keys(got))
	assert.Equal(t, "m.go:14:13", get.Base.String())
	assert.Equal(t, "m.go:8:13", get.Head.String())

	hello := got["API001 example.com/m.Inner"]
	assert.Equal(t, "m.go:8:6", hello.Base.String())
	assert.Contains(t, got, "API009 example.com/m.C")
	assert.Contains(t, got, "API003 example.com/m.K")
	assert.Contains(t, got, "API103 example.com/m.F")
}

// keys lists the findings' keys sorted, so that a failure message reads
// the same on every run.
func keys(m map[string]report.Finding) []string {
	return slices.Sorted(maps.Keys(m))
}

func TestClassify(t *testing.T) {
	for msg, want := range map[string]string{
		"removed":                       RuleRemoved,
		"changed from int to string":    RuleTypeChanged,
		"changed from func to var":      RuleKindChanged,
		"value changed from 1 to 2":     RuleConstValueChanged,
		"no longer implements I":        RuleNoLongerImplements,
		"added":                         RuleInterfaceMethodAdded,
		"added unexported method":       RuleUnexportedMethod,
		"old is comparable, new is not": RuleNotComparable,
		"changed direction":             RuleChanDirection,
		"something new in apidiff":      RuleOtherIncompatible,
	} {
		assert.Equal(t, want, classify(msg, false), msg)
	}
	assert.Equal(t, RuleAdded, classify("added", true))
	assert.Equal(t, RuleCompatibleChange, classify("changed from int8 to int16", true))
	assert.Equal(t, RuleOtherCompatible, classify("?", true))
}
