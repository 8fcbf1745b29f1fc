// This file holds the rewrite behind the wiredrift analyzer's
// suggested fix: protobuf bytes used as identity are marshalled
// deterministically.

package wiredrift

import (
	"fmt"
	"go/ast"

	"github.com/upshift-dev/upshift/internal/tier"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/rewrite"
)

// deterministicProtoFix rewrites `proto.Marshal(m)` into
// `proto.MarshalOptions{Deterministic: true}.Marshal(m)`, which writes map
// fields in key order, so equal messages give equal bytes within one
// binary. The bytes change (keys, hashes and cache entries written before
// no longer match), so the tier is behavior.
func deterministicProtoFix(pass *analysis.Pass, call *ast.CallExpr) (analysis.SuggestedFix, error) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return analysis.SuggestedFix{}, fmt.Errorf("proto.Marshal is not called through its package name")
	}
	if _, ok := sel.X.(*ast.Ident); !ok {
		return analysis.SuggestedFix{}, fmt.Errorf("proto.Marshal is not called through its package name")
	}
	return rewrite.Fix(pass, call.Pos(), tier.Behavior, "marshal with proto.MarshalOptions{Deterministic: true}", func(f *rewrite.File) error {
		_, dsel, err := f.SelectorCall(call)
		if err != nil {
			return err
		}
		pkg, ok := dsel.X.(*dst.Ident)
		if !ok {
			return fmt.Errorf("call is not through a package name")
		}
		opts := &dst.CompositeLit{
			Type: &dst.SelectorExpr{X: dst.NewIdent(pkg.Name), Sel: dst.NewIdent("MarshalOptions")},
			Elts: []dst.Expr{&dst.KeyValueExpr{Key: dst.NewIdent("Deterministic"), Value: dst.NewIdent("true")}},
		}
		dsel.X = opts
		return nil
	})
}

// deterministicJSONv2Fix appends json.Deterministic(true) to the options of a
// json v2 Marshal or MarshalWrite call, so maps are written in key order:
// equal values give equal bytes. The bytes change (keys and hashes written
// before no longer match), so the tier is behavior. The call must name its
// options one by one (not opts...).
func deterministicJSONv2Fix(pass *analysis.Pass, call *ast.CallExpr) (analysis.SuggestedFix, error) {
	if call.Ellipsis.IsValid() {
		return analysis.SuggestedFix{}, fmt.Errorf("the options are passed as a slice (opts...): add json.Deterministic(true) to it")
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return analysis.SuggestedFix{}, fmt.Errorf("the json v2 call is not made through its package name")
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return analysis.SuggestedFix{}, fmt.Errorf("the json v2 call is not made through its package name")
	}
	return rewrite.Fix(pass, call.Pos(), tier.Behavior, "pass "+pkg.Name+".Deterministic(true)", func(f *rewrite.File) error {
		d, ok := f.Expr(call).(*dst.CallExpr)
		if !ok {
			return fmt.Errorf("call not found in the decorated file")
		}
		opt := &dst.CallExpr{Fun: &dst.SelectorExpr{X: dst.NewIdent(pkg.Name), Sel: dst.NewIdent("Deterministic")}, Args: []dst.Expr{dst.NewIdent("true")}}
		d.Args = append(d.Args, opt)
		return nil
	})
}
