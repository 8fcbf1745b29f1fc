package rewrite

import (
	"reflect"

	"github.com/upshift-dev/upshift/internal/tier"

	"golang.org/x/tools/go/analysis"
)

// Fixes tells the analyzers whether their caller wants automatic fixes,
// and up to which tier.
// Building a fix decorates, prints, formats and diffs a whole file, which
// is wasted when nobody applies it (plain `upshift vet`, go vet without
// -json). Every analyzer with fixes requires Fixes and asks Wanted before
// it builds one. The driver sets the flag: `upshift vet` turns it off for
// text and SARIF output, the vet tool protocol turns it off unless the go
// command passes -fix or -diff (go fix, go vet -fix); everything else
// (upshift fix, gopls, golangci-lint, analysistest) gets fixes by default.
var Fixes = &analysis.Analyzer{
	Name: "upshiftfixes",
	Doc:  "tells upshift's analyzers whether to build their automatic fixes",
	Run: func(pass *analysis.Pass) (any, error) {
		maxTier := tier.Tier(pass.Analyzer.Flags.Lookup(FlagTier).Value.String())
		return &fixesResult{want: wanted(pass.Analyzer), maxTier: maxTier}, nil
	},
	ResultType: reflect.TypeFor[*fixesResult](),
}

// FlagWant and FlagTier are the names of the Fixes analyzer's flags.
const (
	FlagWant = "want"
	FlagTier = "tier"
)

func init() {
	Fixes.Flags.Bool(FlagWant, true, "build automatic fixes (off when nobody applies them)")
	Fixes.Flags.String(FlagTier, string(tier.Safe), "highest tier of fix to build (safe or behavior)")
}

func wanted(a *analysis.Analyzer) bool {
	f := a.Flags.Lookup(FlagWant)
	return f == nil || f.Value.String() == "true"
}

// fixesResult is what Fixes gives the analyzers of one package: whether to
// build fixes, and the files already decorated for them.
type fixesResult struct {
	want        bool
	maxTier     tier.Tier
	decorations decorations
}

// Wanted reports whether the pass's caller wants fixes built: true unless
// the Fixes analyzer, when required, says no.
func Wanted(pass *analysis.Pass) bool {
	r, ok := pass.ResultOf[Fixes].(*fixesResult)
	return !ok || r.want
}

// SetWanted sets whether the analyzers build fixes in this process, for
// drivers: the previous setting is returned so that tests can restore it.
func SetWanted(want bool) (previous bool) {
	previous = wanted(Fixes)
	if want {
		Fixes.Flags.Set(FlagWant, "true")
	} else {
		Fixes.Flags.Set(FlagWant, "false")
	}
	return previous
}

// SetMaxTier sets the highest tier of fix the analyzers build in this
// process and returns the previous one. The default is the safe tier, for
// drivers that apply or offer every fix they get (go fix, gopls, nogo's
// patches): a fix above it is not built, and its finding says why.
// Drivers that choose by tier themselves (upshift fix, upshift vet -format
// json, the golden tests) raise it to behavior.
func SetMaxTier(t tier.Tier) (previous tier.Tier) {
	previous = tier.Tier(Fixes.Flags.Lookup(FlagTier).Value.String())
	Fixes.Flags.Set(FlagTier, string(t))
	return previous
}

// allowed reports whether the pass may build a fix of tier t.
func allowed(pass *analysis.Pass, t tier.Tier) bool {
	r, ok := pass.ResultOf[Fixes].(*fixesResult)
	return !ok || r.maxTier != tier.Safe || t == tier.Safe
}
