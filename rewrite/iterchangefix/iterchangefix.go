// Package iterchangefix holds the rewrites behind the iterchange
// analyzer's suggested fixes.
package iterchangefix

import (
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/rewrite"
)

// ExpSlicesPath is the import path the rewrite moves away from.
const ExpSlicesPath = "golang.org/x/exp/slices"

// ToStdSlices switches the file containing pos from golang.org/x/exp/slices
// to the standard slices package. The caller checks that every use of the
// x/exp package in the file has an identical standard function, so the
// calls stay as they are and keep their result types. tier is safe unless
// the file calls a function whose standard version zeroes the elements
// past the new length (Delete, Compact, Replace...), which code holding
// the old backing array can see.
func ToStdSlices(pass *analysis.Pass, pos token.Pos, tier meta.Tier) (analysis.SuggestedFix, error) {
	return rewrite.Fix(pass, pos, tier, "import the standard slices package instead of golang.org/x/exp/slices", func(f *rewrite.File) error {
		return rewrite.ReplaceImport(f, ExpSlicesPath, "slices")
	})
}
