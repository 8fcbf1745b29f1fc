package golangci

import (
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/rewrite"
)

func build(t *testing.T, settings any) []*analysis.Analyzer {
	t.Helper()
	previous := rewrite.SetMaxTier("safe") // the plugin sets its own
	t.Cleanup(func() { rewrite.SetMaxTier(previous) })
	newPlugin, err := register.GetPlugin(Name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(settings)
	if err != nil {
		t.Fatal(err)
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("load mode %q", p.GetLoadMode())
	}
	as, err := p.BuildAnalyzers() // sets the tier
	if err != nil {
		t.Fatal(err)
	}
	if err := analysis.Validate(as); err != nil {
		t.Fatal(err)
	}
	return as
}

// fixesBy runs maporder on testdata/src/order and bytestring on
// testdata/src/bytestext and returns, per
// analyzer, how many of its diagnostics carry a fix; it fails when one
// carries more than one (golangci-lint's --fix applies them all).
func fixesBy(t *testing.T, as []*analysis.Analyzer) map[string]int {
	t.Helper()
	out := map[string]int{}
	pkgs := map[string]string{"maporder": "order", "bytestring": "bytestext"}
	for _, a := range as {
		for _, r := range analysistest.Run(t, analysistest.TestData(), a, pkgs[a.Name]) {
			for _, d := range r.Diagnostics {
				if len(d.SuggestedFixes) > 1 {
					t.Errorf("%s: %d fixes on one diagnostic", a.Name, len(d.SuggestedFixes))
				}
				out[a.Name] += len(d.SuggestedFixes)
			}
		}
	}
	return out
}

func TestTiers(t *testing.T) {
	// Both analyzers' fixes are behavior-tier: the default applies neither.
	safe := fixesBy(t, build(t, map[string]any{"analyzers": []string{"maporder", "UP1002"}}))
	if safe["maporder"] != 0 || safe["bytestring"] != 0 {
		t.Errorf("tier safe (default): fixes %v, want none", safe)
	}
	all := fixesBy(t, build(t, map[string]any{"analyzers": []string{"maporder", "bytestring"}, "tier": "behavior"}))
	if all["maporder"] != 1 || all["bytestring"] != 1 {
		t.Errorf("tier behavior: fixes %v, want both", all)
	}
}

func TestAllAnalyzersByDefault(t *testing.T) {
	if as := build(t, nil); len(as) < 6 {
		t.Errorf("got %d analyzers with no settings", len(as))
	}
}

func TestFlags(t *testing.T) {
	t.Cleanup(func() {
		as := build(t, map[string]any{"analyzers": []string{"godebug"}})
		as[0].Flags.Set("to", as[0].Flags.Lookup("to").DefValue)
	})
	build(t, map[string]any{"analyzers": []string{"godebug"}, "flags": map[string]any{"godebug": map[string]any{"to": "go1.24"}}})
	as := build(t, map[string]any{"analyzers": []string{"godebug"}})
	if got := as[0].Flags.Lookup("to").Value.String(); got != "go1.24" {
		t.Errorf("godebug.to = %q", got)
	}

	// YAML booleans arrive as booleans; a rule ID names the analyzer too.
	t.Cleanup(func() {
		as := build(t, map[string]any{"analyzers": []string{"wiredrift"}})
		as[0].Flags.Set("jsonv2", as[0].Flags.Lookup("jsonv2").DefValue)
	})
	wd, _ := registry.Lookup("wiredrift")
	build(t, map[string]any{"analyzers": []string{"wiredrift"}, "flags": map[string]any{wd.ID: map[string]any{"jsonv2": true}}})
	if got := wd.Analyzer.Flags.Lookup("jsonv2").Value.String(); got != "true" {
		t.Errorf("wiredrift.jsonv2 = %q", got)
	}
}

func TestBadSettings(t *testing.T) {
	newPlugin, err := register.GetPlugin(Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		settings any
		want     string
	}{
		{map[string]any{"analyzer": []string{"maporder"}}, `unknown field "analyzer"`},
		{map[string]any{"tier": "reckless"}, `tier "reckless": use safe or behavior`},
		{map[string]any{"analyzers": []string{"nosuch"}}, `unknown analyzer "nosuch"`},
		{map[string]any{"flags": map[string]any{"godebug": map[string]any{"from": "x"}}}, "flags: godebug.from: analyzer godebug has no flag from"},
		{map[string]any{"flags": map[string]any{"nosuch": map[string]any{"to": "x"}}}, "flags: nosuch.to: no analyzer nosuch"},
		{map[string]any{"flags": map[string]any{"godebug.to": "go1.24"}}, "upshift settings: decoding settings: json: cannot unmarshal string"},
		{map[string]any{"flags": map[string]any{"godebug": map[string]any{"to": []string{"go1.24"}}}}, "flags: godebug.to: value [go1.24] ([]interface {}): want a string, boolean or number"},
		{map[string]any{"flags": map[string]any{"wiredrift": map[string]any{"jsonv2": "maybe"}}}, `flags: wiredrift.jsonv2: parse error`},
	} {
		_, err := newPlugin(tc.settings)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("settings %v: error %v, want %q", tc.settings, err, tc.want)
		}
	}
}
