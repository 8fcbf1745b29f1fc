// This file holds the rewrites behind the iterchange
// analyzer's suggested fixes.

package iterchange

import (
	"fmt"
	"go/ast"
	"go/token"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/rewrite"
)

// expSlicesPath is the import path the rewrite moves away from.

// toStdSlicesFix switches the file containing pos from golang.org/x/exp/slices
// to the standard slices package. The caller checks that every use of the
// x/exp package in the file has an identical standard function, so the
// calls stay as they are and keep their result types. tier is safe unless
// the file calls a function whose standard version zeroes the elements
// past the new length (Delete, Compact, Replace...), which code holding
// the old backing array can see.
//
// cmps holds the calls whose less func(a, b T) bool argument (the last)
// becomes the given cmp func(a, b T) int source (see cmpFromLessFix), for
// SortFunc, SortStableFunc, IsSortedFunc, MinFunc, MaxFunc and
// BinarySearchFunc of x/exp versions that took less funcs.
func toStdSlicesFix(pass *analysis.Pass, pos token.Pos, tier tier.Tier, cmps map[*ast.CallExpr]string) (analysis.SuggestedFix, error) {
	msg := "import the standard slices package instead of golang.org/x/exp/slices"
	if len(cmps) > 0 {
		msg += ", with cmp funcs for the less funcs"
	}
	return rewrite.Fix(pass, pos, tier, msg, func(f *rewrite.File) error {
		for call, src := range cmps {
			d, ok := f.Expr(call).(*dst.CallExpr)
			if !ok || len(d.Args) == 0 {
				return fmt.Errorf("call not found in the decorated file")
			}
			cmp, err := rewrite.ParseExpr(src)
			if err != nil {
				return fmt.Errorf("the converted comparator does not parse: %v", err)
			}
			d.Args[len(d.Args)-1] = cmp
		}
		return rewrite.ReplaceImport(f, expSlicesPath, "slices")
	})
}
