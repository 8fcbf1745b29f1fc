package bytestring

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// scanHook checks a decode hook `Scan(src any) error` (sql.Scanner, and
// ORM serializers with one interface parameter). Drivers disagree on
// whether text arrives as string or []byte, and change their mind between
// versions; a hook that accepts only one of the two fails on the other.
func (d *detector) scanHook(cur inspector.Cursor, decl *ast.FuncDecl) {
	if decl.Recv == nil || decl.Name.Name != "Scan" || decl.Body == nil {
		return
	}
	fn, ok := d.info.Defs[decl.Name].(*types.Func)
	if !ok {
		return
	}
	sig := fn.Type().(*types.Signature)
	if sig.Results().Len() != 1 || !isErrorType(sig.Results().At(0).Type()) {
		return
	}
	var src *types.Var
	for i := 0; i < sig.Params().Len(); i++ {
		p := sig.Params().At(i)
		if !isEmptyIface(p.Type()) {
			continue
		}
		if src != nil {
			return // two candidates: not a recognisable hook
		}
		src = p
	}
	if src == nil {
		return
	}

	var (
		stringAt, bytesAt ast.Expr // first string / []byte test of src
		handled           bool     // src reaches code that converts any type
	)
	// subjects are the objects standing for the untyped source: the
	// parameter, and the variable bound in a type switch's default clause.
	subjects := map[types.Object]bool{src: true}
	for c := range cur.Preorder((*ast.TypeSwitchStmt)(nil)) {
		ts := c.Node().(*ast.TypeSwitchStmt)
		x, ok := ast.Unparen(typeSwitchSubject(ts)).(*ast.Ident)
		if !ok || d.info.Uses[x] != src {
			continue
		}
		for _, stmt := range ts.Body.List {
			cc := stmt.(*ast.CaseClause)
			if cc.List == nil {
				if obj := d.info.Implicits[cc]; obj != nil {
					subjects[obj] = true
				}
			}
			for _, e := range cc.List {
				stringAt, bytesAt = d.noteType(e, stringAt, bytesAt)
			}
		}
	}
	for c := range cur.Preorder((*ast.Ident)(nil)) {
		id := c.Node().(*ast.Ident)
		if !subjects[d.info.Uses[id]] {
			continue
		}
		switch parent := c.Parent().Node().(type) {
		case *ast.TypeAssertExpr:
			if parent.Type != nil {
				stringAt, bytesAt = d.noteType(parent.Type, stringAt, bytesAt)
			}
			continue // type switch guards were handled above
		case *ast.BinaryExpr:
			continue // src == nil
		}
		if !d.onlyReported(c) {
			handled = true
		}
	}
	if handled {
		return
	}
	switch {
	case stringAt != nil && bytesAt == nil:
		d.findings = append(d.findings, finding{kind: kindScanString, node: stringAt, operand: stringAt, other: decl.Name, callee: d.flow.funcName(fn)})
	case bytesAt != nil && stringAt == nil:
		d.findings = append(d.findings, finding{kind: kindScanBytes, node: bytesAt, operand: bytesAt, other: decl.Name, callee: d.flow.funcName(fn)})
	}
}

// noteType records the first string and []byte type among tested types.
func (d *detector) noteType(e ast.Expr, stringAt, bytesAt ast.Expr) (ast.Expr, ast.Expr) {
	t := d.info.TypeOf(e)
	switch {
	case t == nil:
	case stringAt == nil && types.Identical(t, types.Typ[types.String]):
		stringAt = e
	case bytesAt == nil && types.Identical(t, types.NewSlice(types.Typ[types.Uint8])):
		bytesAt = e
	}
	return stringAt, bytesAt
}

// onlyReported reports whether the use of the source at c merely reports
// it (fmt.Errorf("unsupported %T", src), panic, log) rather than handling
// it (fmt.Sprint(src), convertAssign(dst, src), v := src, ...).
func (d *detector) onlyReported(c inspector.Cursor) bool {
	for p := c.Parent(); p.Valid(); p = p.Parent() {
		switch n := p.Node().(type) {
		case ast.Stmt:
			return false
		case *ast.CallExpr:
			if isReportCall(d.info, n) {
				return true
			}
		}
	}
	return false
}

// isReportCall reports whether call builds an error, logs or panics.
func isReportCall(info *types.Info, call *ast.CallExpr) bool {
	switch callee := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		return callee.Name() == "panic"
	case *types.Func:
		if callee.Pkg() == nil {
			return false
		}
		path, name := callee.Pkg().Path(), callee.Name()
		switch {
		case path == "log" || path == "log/slog":
			return true
		case name == "Errorf" || name == "Wrapf" || name == "Wrap" || name == "New" && (path == "errors" || strings.HasSuffix(path, "/errors")):
			return true
		}
	}
	return false
}

func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

func isEmptyIface(t types.Type) bool {
	if !isIface(t) {
		return false
	}
	i, ok := t.Underlying().(*types.Interface)
	return ok && i.NumMethods() == 0 && i.IsMethodSet()
}

// verb is one formatting directive and the operand it consumes.
type verb struct {
	verb  rune
	flags string
	arg   int
	// off is the byte offset of the verb rune in the format.
	off int
}

// parseVerbs maps the directives of a Printf format to operand indexes,
// following * widths and explicit [n] indexes. ok is false for a format it
// cannot follow.
func parseVerbs(format string) (verbs []verb, ok bool) {
	arg := 0
	i := 0
	index := func() bool {
		if i < len(format) && format[i] == '[' {
			j := strings.IndexByte(format[i:], ']')
			if j < 0 {
				return false
			}
			n, err := strconv.Atoi(format[i+1 : i+j])
			if err != nil || n < 1 {
				return false
			}
			arg = n - 1
			i += j + 1
		}
		return true
	}
	number := func() {
		if i < len(format) && format[i] == '*' {
			arg++
			i++
			return
		}
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			i++
		}
	}
	for i < len(format) {
		if format[i] != '%' {
			i++
			continue
		}
		i++
		start := i
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		flags := format[start:i]
		if !index() {
			return nil, false
		}
		number()
		if i < len(format) && format[i] == '.' {
			i++
			if !index() {
				return nil, false
			}
			number()
		}
		if !index() {
			return nil, false
		}
		if i >= len(format) {
			break
		}
		off := i
		r, size := utf8.DecodeRuneInString(format[i:])
		i += size
		if r == '%' {
			continue
		}
		verbs = append(verbs, verb{verb: r, flags: flags, arg: arg, off: off})
		arg++
	}
	return verbs, true
}

// constantString returns the value of a string constant.
func constantString(tv types.TypeAndValue) (string, bool) {
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}
