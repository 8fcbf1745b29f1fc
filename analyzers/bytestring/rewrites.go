// This file holds the rewrites behind the bytestring analyzer's
// suggested fixes: code that treats []byte as text is made to compare,
// switch on and print the text.
//
// Every rewrite here changes what the program does (a comparison that was
// always false can now be true, a scan that failed now succeeds, a log
// line prints text instead of numbers), so all are in the behavior tier:
// `upshift fix -tier=behavior` applies them, plain `upshift fix` does not.

package bytestring

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"

	"github.com/dave/dst"
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite"
)

// fixTier is the tier of every rewrite of this package.
const fixTier = tier.Behavior

// textOf returns `fmt.Sprintf("%s", x)`: the text of an interface value
// whether it holds a string or a []byte (and, as before, never equal to a
// plain literal when it holds something else).
func textOf(f *rewrite.File, x dst.Expr) dst.Expr {
	name := rewrite.AddImport(f, "fmt")
	return &dst.CallExpr{
		Fun:  &dst.SelectorExpr{X: dst.NewIdent(name), Sel: dst.NewIdent("Sprintf")},
		Args: []dst.Expr{&dst.BasicLit{Kind: token.STRING, Value: `"%s"`}, x},
	}
}

// compareAsTextFix rewrites `x == "text"` (or !=), where the interface x holds
// []byte, into `fmt.Sprintf("%s", x) == "text"`, which compares the text
// whether x holds a string or a []byte. The stored value keeps its type,
// so other readers that assert .([]byte) are not affected.
func compareAsTextFix(pass *analysis.Pass, cmp *ast.BinaryExpr, operand ast.Expr) (analysis.SuggestedFix, error) {
	return rewrite.Fix(pass, cmp.Pos(), fixTier, "compare the text the value holds", func(f *rewrite.File) error {
		d, ok := f.Expr(cmp).(*dst.BinaryExpr)
		if !ok {
			return fmt.Errorf("comparison not found in the decorated file")
		}
		switch operand {
		case cmp.X:
			d.X = textOf(f, d.X)
		case cmp.Y:
			d.Y = textOf(f, d.Y)
		default:
			return fmt.Errorf("the []byte operand is not a side of the comparison")
		}
		return nil
	})
}

// switchAsTextFix rewrites `switch x { case "a": ... }`, where the interface x
// holds []byte, into `switch fmt.Sprintf("%s", x) { ... }`. Every case must
// be a string; the caller checks that.
func switchAsTextFix(pass *analysis.Pass, sw *ast.SwitchStmt) (analysis.SuggestedFix, error) {
	return rewrite.Fix(pass, sw.Pos(), fixTier, "switch on the text the value holds", func(f *rewrite.File) error {
		d, ok := f.Stmt(sw).(*dst.SwitchStmt)
		if !ok || d.Tag == nil {
			return fmt.Errorf("switch not found in the decorated file")
		}
		d.Tag = textOf(f, d.Tag)
		return nil
	})
}

// addBytesToCaseFix turns `case string:` of a type switch over a value that
// holds []byte into `case string, []byte:`. The caller checks that the
// clause does not use the switch's bound variable as a string.
func addBytesToCaseFix(pass *analysis.Pass, clause *ast.CaseClause) (analysis.SuggestedFix, error) {
	return rewrite.Fix(pass, clause.Pos(), fixTier, "let the string case take []byte too", func(f *rewrite.File) error {
		d, ok := f.Node(clause).(*dst.CaseClause)
		if !ok {
			return fmt.Errorf("case clause not found in the decorated file")
		}
		d.List = append(d.List, &dst.ArrayType{Elt: dst.NewIdent("byte")})
		return nil
	})
}

// scanCaseFix adds the missing case to the type switch of a decode hook
// `func (r T) Scan(src any) error`. With missingBytes it adds
//
//	case []byte:
//		return r.Scan(string(v))
//
// after the string clause (and the converse for a hook that takes only
// []byte), so the hook handles both forms drivers hand over with the code
// it already has. v is the switch's bound variable, or src.([]byte) when
// the switch binds none.
func scanCaseFix(pass *analysis.Pass, decl *ast.FuncDecl, sw *ast.TypeSwitchStmt, clause *ast.CaseClause, missingBytes bool) (analysis.SuggestedFix, error) {
	if decl.Recv == nil || len(decl.Recv.List) != 1 || len(decl.Recv.List[0].Names) != 1 || decl.Recv.List[0].Names[0].Name == "_" {
		return analysis.SuggestedFix{}, fmt.Errorf("the receiver of %s has no name to call Scan on", decl.Name.Name)
	}
	recv := decl.Recv.List[0].Names[0].Name
	bound, subject := switchVars(sw)
	if subject == nil {
		return analysis.SuggestedFix{}, fmt.Errorf("the type switch is not over a plain parameter")
	}
	newType, conv, message := "[]byte", "string", "add a []byte case that scans the text"
	if !missingBytes {
		newType, conv, message = "string", "[]byte", "add a string case that scans the bytes"
	}
	return rewrite.Fix(pass, clause.Pos(), fixTier, message, func(f *rewrite.File) error {
		dsw, ok := f.Stmt(sw).(*dst.TypeSwitchStmt)
		if !ok {
			return fmt.Errorf("type switch not found in the decorated file")
		}
		dclause, ok := f.Node(clause).(*dst.CaseClause)
		if !ok {
			return fmt.Errorf("case clause not found in the decorated file")
		}
		var value dst.Expr
		if bound != "" {
			value = dst.NewIdent(bound)
		} else {
			value = &dst.TypeAssertExpr{X: dst.NewIdent(subject.Name), Type: typeExpr(newType)}
		}
		added := &dst.CaseClause{
			List: []dst.Expr{typeExpr(newType)},
			Body: []dst.Stmt{&dst.ReturnStmt{Results: []dst.Expr{&dst.CallExpr{
				Fun:  &dst.SelectorExpr{X: dst.NewIdent(recv), Sel: dst.NewIdent(decl.Name.Name)},
				Args: []dst.Expr{&dst.CallExpr{Fun: typeExpr(conv), Args: []dst.Expr{value}}},
			}}}},
		}
		added.Decs.Before = dst.NewLine
		for i, s := range dsw.Body.List {
			if s == dclause {
				list := append([]dst.Stmt{}, dsw.Body.List[:i+1]...)
				list = append(list, added)
				dsw.Body.List = append(list, dsw.Body.List[i+1:]...)
				return nil
			}
		}
		return fmt.Errorf("case clause is not in its switch")
	})
}

// scanGuardFix puts at the top of a decode hook `func (r T) Scan(src any)
// error` that tests src with assertions a guard that hands the form it
// misses back to the hook in the form it takes:
//
//	if b, ok := src.([]byte); ok {
//		return r.Scan(string(b))
//	}
//
// (and the converse for a hook that takes only []byte). At the top, the
// outer call does nothing but convert, and the inner call runs the whole
// hook as written, whatever it does before its assertion.
func scanGuardFix(pass *analysis.Pass, decl *ast.FuncDecl, missingBytes bool) (analysis.SuggestedFix, error) {
	if decl.Recv == nil || len(decl.Recv.List) != 1 || len(decl.Recv.List[0].Names) != 1 || decl.Recv.List[0].Names[0].Name == "_" {
		return analysis.SuggestedFix{}, fmt.Errorf("the receiver of %s has no name to call Scan on", decl.Name.Name)
	}
	recv := decl.Recv.List[0].Names[0].Name
	params := decl.Type.Params.List
	if len(params) != 1 || len(params[0].Names) != 1 || params[0].Names[0].Name == "_" {
		return analysis.SuggestedFix{}, fmt.Errorf("%s does not take one named parameter", decl.Name.Name)
	}
	src := params[0].Names[0].Name
	for _, name := range []string{"string", "byte"} {
		if obj := pass.Pkg.Scope().Lookup(name); obj != nil {
			return analysis.SuggestedFix{}, fmt.Errorf("the package declares %s, so the guard cannot name the type", name)
		}
	}
	newType, conv, message := "[]byte", "string", "hand []byte to the hook as text"
	valueNames := []string{"b", "raw", "data"}
	if !missingBytes {
		newType, conv, message = "string", "[]byte", "hand a string to the hook as bytes"
		valueNames = []string{"s", "text", "str"}
	}
	value := rewrite.FreshName(decl, valueNames...)
	ok := rewrite.FreshName(decl, "ok", "matched")
	return rewrite.Fix(pass, decl.Body.Lbrace, fixTier, message, func(f *rewrite.File) error {
		body := f.StmtList(decl.Body)
		if body == nil {
			return fmt.Errorf("body of %s not found in the decorated file", decl.Name.Name)
		}
		guard := &dst.IfStmt{
			Init: &dst.AssignStmt{
				Lhs: []dst.Expr{dst.NewIdent(value), dst.NewIdent(ok)},
				Tok: token.DEFINE,
				Rhs: []dst.Expr{&dst.TypeAssertExpr{X: dst.NewIdent(src), Type: typeExpr(newType)}},
			},
			Cond: dst.NewIdent(ok),
			Body: &dst.BlockStmt{List: []dst.Stmt{&dst.ReturnStmt{Results: []dst.Expr{&dst.CallExpr{
				Fun:  &dst.SelectorExpr{X: dst.NewIdent(recv), Sel: dst.NewIdent(decl.Name.Name)},
				Args: []dst.Expr{&dst.CallExpr{Fun: typeExpr(conv), Args: []dst.Expr{dst.NewIdent(value)}}},
			}}}}},
		}
		guard.Decs.Before = dst.NewLine
		guard.Decs.After = dst.EmptyLine
		*body = append([]dst.Stmt{guard}, *body...)
		return nil
	})
}

// switchVars returns the variable a type switch binds ("" when none) and
// the identifier it switches on (nil when it is not an identifier).
func switchVars(sw *ast.TypeSwitchStmt) (bound string, subject *ast.Ident) {
	var ta *ast.TypeAssertExpr
	switch a := sw.Assign.(type) {
	case *ast.AssignStmt:
		if len(a.Lhs) == 1 && len(a.Rhs) == 1 {
			if id, ok := a.Lhs[0].(*ast.Ident); ok && id.Name != "_" {
				bound = id.Name
			}
			ta, _ = a.Rhs[0].(*ast.TypeAssertExpr)
		}
	case *ast.ExprStmt:
		ta, _ = a.X.(*ast.TypeAssertExpr)
	}
	if ta == nil {
		return "", nil
	}
	subject, _ = ast.Unparen(ta.X).(*ast.Ident)
	return bound, subject
}

func typeExpr(name string) dst.Expr {
	if name == "[]byte" {
		return &dst.ArrayType{Elt: dst.NewIdent("byte")}
	}
	return dst.NewIdent(name)
}

// convertToStringFix wraps a []byte operand in string(...): for a DeepEqual
// or assertion against a string, and for a Print-style call.
func convertToStringFix(pass *analysis.Pass, operand ast.Expr, message string) (analysis.SuggestedFix, error) {
	return rewrite.Fix(pass, operand.Pos(), fixTier, message, func(f *rewrite.File) error {
		n := f.Node(operand)
		parent, replace := parentSlot(f, n)
		if replace == nil {
			return fmt.Errorf("operand not found in the decorated file (parent %T)", parent)
		}
		d := n.(dst.Expr)
		conv := &dst.CallExpr{Fun: dst.NewIdent("string"), Args: []dst.Expr{d}}
		// Comments and line breaks stay around the whole argument.
		decs := d.Decorations()
		conv.Decs.NodeDecs = *decs
		*decs = dst.NodeDecs{}
		replace(conv)
		return nil
	})
}

// parentSlot finds the call argument that is n and returns a setter.
func parentSlot(f *rewrite.File, n dst.Node) (dst.Node, func(dst.Expr)) {
	var parent dst.Node
	var set func(dst.Expr)
	dst.Inspect(f.DST, func(m dst.Node) bool {
		if set != nil {
			return false
		}
		if call, ok := m.(*dst.CallExpr); ok {
			for i, a := range call.Args {
				if a == n {
					parent = call
					set = func(e dst.Expr) { call.Args[i] = e }
					return false
				}
			}
		}
		return true
	})
	return parent, set
}

// verbToSFix replaces the formatting verb at byte offset off of the format
// literal lit (the 'v' of "%v") by 's', so a []byte argument prints as
// text.
func verbToSFix(pass *analysis.Pass, lit *ast.BasicLit, off int) (analysis.SuggestedFix, error) {
	if off <= 0 || off >= len(lit.Value)-1 || lit.Value[off] != 'v' {
		return analysis.SuggestedFix{}, fmt.Errorf("offset %d of %s is not a v verb", off, lit.Value)
	}
	value := lit.Value[:off] + "s" + lit.Value[off+1:]
	if _, err := strconv.Unquote(value); err != nil {
		return analysis.SuggestedFix{}, fmt.Errorf("format %s: %w", value, err)
	}
	return rewrite.Fix(pass, lit.Pos(), fixTier, "print the bytes as text with %s", func(f *rewrite.File) error {
		d, ok := f.Expr(lit).(*dst.BasicLit)
		if !ok {
			return fmt.Errorf("format literal not found in the decorated file")
		}
		d.Value = value
		return nil
	})
}
