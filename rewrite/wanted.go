package rewrite

import (
	"reflect"

	"golang.org/x/tools/go/analysis"
)

// Fixes tells the analyzers whether their caller wants automatic fixes.
// Building a fix decorates, prints, formats and diffs a whole file, which
// is wasted when nobody applies it (plain `upshift vet`, go vet without
// -json). Every analyzer with fixes requires Fixes and asks Wanted before
// it builds one. The driver sets the flag: `upshift vet` turns it off for
// text and SARIF output, the vet tool protocol turns it off unless go vet
// passes -json, -fix or -diff; everything else (upshift fix, gopls,
// golangci-lint, analysistest) gets fixes by default.
var Fixes = &analysis.Analyzer{
	Name:       "upshiftfixes",
	Doc:        "tells upshift's analyzers whether to build their automatic fixes",
	Run:        func(pass *analysis.Pass) (any, error) { return &fixesResult{want: wanted(pass.Analyzer)}, nil },
	ResultType: reflect.TypeFor[*fixesResult](),
}

// FlagWant is the name of the Fixes analyzer's flag.
const FlagWant = "want"

func init() {
	Fixes.Flags.Bool(FlagWant, true, "build automatic fixes (off when nobody applies them)")
}

func wanted(a *analysis.Analyzer) bool {
	f := a.Flags.Lookup(FlagWant)
	return f == nil || f.Value.String() == "true"
}

// fixesResult is what Fixes gives the analyzers of one package: whether to
// build fixes, and the files already decorated for them.
type fixesResult struct {
	want        bool
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
