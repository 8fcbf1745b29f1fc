package iterchange

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/rewrite"
)

// cmpFromLessFix returns the source of a three-way comparison func(a, b T) int
// that orders as the less function less does:
//
//	func(a, b T) int {
//		if less(a, b) {
//			return -1
//		}
//		if less(b, a) {
//			return 1
//		}
//		return 0
//	}
//
// A function literal whose body is one return statement is inlined (its
// expression, and the same with the parameters swapped); a variable or
// field holding the less function is called. Literals with comments
// inside, several statements or unnamed parameters are refused, as are
// other expressions (they would be evaluated on every comparison).
func cmpFromLessFix(pass *analysis.Pass, file *ast.File, less ast.Expr) (string, error) {
	info := pass.TypesInfo
	sig, ok := info.TypeOf(less).Underlying().(*types.Signature)
	if !ok || sig.Params().Len() != 2 || sig.Results().Len() != 1 {
		return "", fmt.Errorf("the comparator is not a func(a, b T) bool")
	}
	tf := pass.Fset.File(file.FileStart)
	src, err := pass.ReadFile(tf.Name())
	if err != nil {
		return "", err
	}
	text := func(n ast.Node) string { return string(src[tf.Offset(n.Pos()):tf.Offset(n.End())]) }
	body := func(ab, ba string) string {
		return fmt.Sprintf("if %s {\n\treturn -1\n}\nif %s {\n\treturn 1\n}\nreturn 0", ab, ba)
	}
	switch l := ast.Unparen(less).(type) {
	case *ast.FuncLit:
		for _, c := range file.Comments {
			if c.Pos() < l.End() && c.End() > l.Pos() {
				return "", fmt.Errorf("the less func has comments inside; convert it by hand")
			}
		}
		if len(l.Body.List) != 1 {
			return "", fmt.Errorf("the less func has more than one statement; convert it by hand")
		}
		ret, ok := l.Body.List[0].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			return "", fmt.Errorf("the less func is not a single return; convert it by hand")
		}
		var params []*ast.Ident
		for _, f := range l.Type.Params.List {
			params = append(params, f.Names...)
		}
		if len(params) != 2 || params[0].Name == "_" || params[1].Name == "_" {
			return "", fmt.Errorf("the less func's parameters are not both named")
		}
		pa, pb := info.Defs[params[0]], info.Defs[params[1]]
		// The expression with the parameters swapped.
		e := ret.Results[0]
		type use struct {
			start, end int
			name       string
		}
		var uses []use
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				switch info.Uses[id] {
				case pa:
					uses = append(uses, use{tf.Offset(id.Pos()), tf.Offset(id.End()), params[1].Name})
				case pb:
					uses = append(uses, use{tf.Offset(id.Pos()), tf.Offset(id.End()), params[0].Name})
				}
			}
			return true
		})
		//upshift:ignore sortties each start is the offset of a distinct identifier, so no two uses tie
		sort.Slice(uses, func(i, j int) bool { return uses[i].start < uses[j].start })
		var swapped bytes.Buffer
		last := tf.Offset(e.Pos())
		for _, u := range uses {
			swapped.Write(src[last:u.start])
			swapped.WriteString(u.name)
			last = u.end
		}
		swapped.Write(src[last:tf.Offset(e.End())])
		return fmt.Sprintf("func%s int {\n%s\n}", text(l.Type.Params), body("("+text(e)+")", "("+swapped.String()+")")), nil
	case *ast.Ident, *ast.SelectorExpr:
		if !pure(info, l) {
			return "", fmt.Errorf("the less func is not a variable or function name")
		}
		t, err := rewrite.TypeString(pass, file, sig.Params().At(0).Type())
		if err != nil {
			return "", err
		}
		used := map[string]bool{}
		ast.Inspect(l, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				used[id.Name] = true
			}
			return true
		})
		a, b := "a", "b"
		if used[a] || used[b] {
			a, b = "x", "y"
			if used[a] || used[b] {
				return "", fmt.Errorf("no free parameter names for the comparison")
			}
		}
		f := text(l)
		return fmt.Sprintf("func(%s, %s %s) int {\n%s\n}", a, b, t,
			body(fmt.Sprintf("%s(%s, %s)", f, a, b), fmt.Sprintf("%s(%s, %s)", f, b, a))), nil
	}
	return "", fmt.Errorf("the less func is an expression that would be evaluated on every comparison; assign it to a variable first")
}

// pure reports whether e names a function or a variable (or a field or
// package member) without calling anything.
func pure(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		switch info.ObjectOf(e).(type) {
		case *types.Var, *types.Func:
			return true
		}
	case *ast.SelectorExpr:
		if _, ok := info.Uses[e.Sel].(*types.Func); ok {
			return true // a function or a method value
		}
		if s, ok := info.Selections[e]; ok {
			return s.Kind() == types.FieldVal && pure(info, e.X)
		}
		_, ok := info.Uses[e.Sel].(*types.Var)
		return ok
	}
	return false
}
