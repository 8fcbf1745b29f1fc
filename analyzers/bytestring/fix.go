package bytestring

import (
	"errors"
	"fmt"
	"go/ast"
	"go/types"
	"strconv"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/upshift-dev/upshift/rewrite"
)

// suggest attaches the rewrite of a finding to its diagnostic, or the
// reason there is none.
func suggest(pass *analysis.Pass, fd finding, d *analysis.Diagnostic) {
	if !rewrite.Wanted(pass) {
		return
	}
	fix, err := fixFor(pass, fd)
	if err != nil {
		d.Related = append(d.Related, rewrite.NoFix(fd.node.Pos(), err.Error()))
		return
	}
	d.SuggestedFixes = []analysis.SuggestedFix{fix}
}

func fixFor(pass *analysis.Pass, fd finding) (analysis.SuggestedFix, error) {
	info := pass.TypesInfo
	switch fd.kind {
	case kindCompare:
		return compareAsTextFix(pass, fd.node.(*ast.BinaryExpr), fd.operand)
	case kindSwitch:
		sw := fd.node.(*ast.SwitchStmt)
		for _, stmt := range sw.Body.List {
			for _, e := range stmt.(*ast.CaseClause).List {
				if !isPlainString(info.TypeOf(e)) {
					return analysis.SuggestedFix{}, fmt.Errorf("case %s is not a string, so the switch cannot simply switch on the text", types.ExprString(e))
				}
			}
		}
		return switchAsTextFix(pass, sw)
	case kindAssert:
		return analysis.SuggestedFix{}, errors.New("whether to assert .([]byte) here or to store string(...) depends on the value's other readers")
	case kindTypeSwitch:
		path := enclosing(pass, fd.node)
		cc, _ := nodeOf[*ast.CaseClause](path)
		if cc == nil {
			return analysis.SuggestedFix{}, errors.New("the string case is not in a case clause")
		}
		if v := info.Implicits[cc]; v != nil && uses(info, cc.Body, v) {
			return analysis.SuggestedFix{}, fmt.Errorf("the string case uses %s as a string; add a []byte case by hand", v.Name())
		}
		return addBytesToCaseFix(pass, cc)
	case kindScanString, kindScanBytes:
		path := enclosing(pass, fd.node)
		decl, _ := nodeOf[*ast.FuncDecl](path)
		if decl == nil {
			return analysis.SuggestedFix{}, errors.New("the hook is not a declared method")
		}
		missingBytes := fd.kind == kindScanString
		// A type switch gets the missing case; a hook that tests with
		// assertions (v, ok := src.(string), or src.(string) alone) gets
		// a guard at its top.
		if cc, i := nodeOf[*ast.CaseClause](path); cc != nil && i+2 < len(path) {
			if ts, ok := path[i+2].(*ast.TypeSwitchStmt); ok && decl.Type.Params.NumFields() == 1 { // clause -> block -> switch
				if fix, err := scanCaseFix(pass, decl, ts, cc, missingBytes); err == nil {
					return fix, nil
				}
			}
		}
		return scanGuardFix(pass, decl, missingBytes)
	case kindDeepEqual:
		if kit.IsByteSlice(info.TypeOf(fd.operand)) {
			return convertToStringFix(pass, fd.operand, "compare the bytes as text")
		}
		return analysis.SuggestedFix{}, errors.New("the operand is an interface that may hold other types; convert it where the []byte is stored")
	case kindFormatVerb:
		if lit, ok := ast.Unparen(fd.format).(*ast.BasicLit); ok {
			if off, ok := literalOffset(lit, fd.verbOff); ok {
				return verbToSFix(pass, lit, off)
			}
		}
		if kit.IsByteSlice(info.TypeOf(fd.operand)) {
			return convertToStringFix(pass, fd.operand, "print the bytes as text")
		}
		return analysis.SuggestedFix{}, errors.New("the format is not a literal: use %s in it")
	case kindFormatHelper:
		return analysis.SuggestedFix{}, fmt.Errorf("the print is in another package (%s): change it there", fd.verb)
	case kindFormatPrint:
		if kit.IsByteSlice(info.TypeOf(fd.operand)) {
			return convertToStringFix(pass, fd.operand, "print the bytes as text")
		}
		return analysis.SuggestedFix{}, errors.New("the operand is an interface that may hold other types; pass string(...) where it is known to hold []byte")
	}
	return analysis.SuggestedFix{}, fmt.Errorf("no rewrite for this finding")
}

// literalOffset maps the offset of a verb in a format's value to its
// offset in the literal's source text. It refuses literals whose escapes
// spell a '%' (then the directives of source and value differ).
func literalOffset(lit *ast.BasicLit, valueOff int) (int, bool) {
	if len(lit.Value) < 2 {
		return 0, false
	}
	value, err := strconv.Unquote(lit.Value)
	if err != nil {
		return 0, false
	}
	raw := lit.Value[1 : len(lit.Value)-1]
	if strings.Count(raw, "%") != strings.Count(value, "%") {
		return 0, false
	}
	vv, ok1 := parseVerbs(value)
	rv, ok2 := parseVerbs(raw)
	if !ok1 || !ok2 || len(vv) != len(rv) {
		return 0, false
	}
	for k := range vv {
		if vv[k].verb != rv[k].verb || vv[k].arg != rv[k].arg {
			return 0, false
		}
		if vv[k].off == valueOff {
			return 1 + rv[k].off, true
		}
	}
	return 0, false
}

// enclosing returns the path from n up to its file.
func enclosing(pass *analysis.Pass, n ast.Node) []ast.Node {
	for _, f := range pass.Files {
		if f.FileStart <= n.Pos() && n.End() <= f.FileEnd {
			path, _ := astutil.PathEnclosingInterval(f, n.Pos(), n.End())
			return path
		}
	}
	return nil
}

// nodeOf returns the innermost node of type T on path and its index.
func nodeOf[T ast.Node](path []ast.Node) (T, int) {
	for i, n := range path {
		if t, ok := n.(T); ok {
			return t, i
		}
	}
	var zero T
	return zero, -1
}

// uses reports whether any statement of body refers to obj.
func uses(info *types.Info, body []ast.Stmt, obj types.Object) bool {
	found := false
	for _, s := range body {
		ast.Inspect(s, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
				found = true
			}
			return !found
		})
	}
	return found
}
