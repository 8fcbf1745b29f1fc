package maporder

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// unreachable reports whether cur sits in a branch that a constant
// condition rules out: if false { ... }, if debug { ... } with const debug =
// false, or the else of a constant true.
func (c *checker) unreachable(cur inspector.Cursor) bool {
	for p := cur; ; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.FuncDecl, *ast.File:
			return false
		}
		ifs, ok := p.Parent().Node().(*ast.IfStmt)
		if !ok {
			continue
		}
		tv, ok := c.info.Types[ifs.Cond]
		if !ok || tv.Value == nil || tv.Value.Kind() != constant.Bool {
			continue
		}
		switch p.ParentEdgeKind() {
		case edge.IfStmt_Body:
			if !constant.BoolVal(tv.Value) {
				return true
			}
		case edge.IfStmt_Else:
			if constant.BoolVal(tv.Value) {
				return true
			}
		}
	}
}

// loopScan is the state of the scan of one ordered loop.
type loopScan struct {
	c  *checker
	rs *ast.RangeStmt
	// derived holds the variables whose value changes from one iteration to
	// the next: the loop's own variables and outer variables assigned from
	// them (but not accumulators such as out = append(out, k)).
	derived map[types.Object]bool
	// positional holds the derived variables that can say where an element
	// goes (out[index[k]] = v): all of them except the index of a loop over
	// a slice, which only counts iterations made in map order.
	positional map[types.Object]bool
	// resets holds the outer variables cleared on each iteration
	// (buf.Reset(), s = s[:0]): they carry one iteration, not the order.
	resets map[key]bool
}

// declaredIn reports whether obj is declared inside the loop.
func (s *loopScan) declaredIn(obj types.Object) bool {
	return obj.Pos() >= s.rs.Pos() && obj.Pos() < s.rs.End()
}

// outer reports whether e names an accumulator that lives across
// iterations: a variable or field path not declared in the loop and not
// indexed by a per-iteration value.
func (s *loopScan) outer(e ast.Expr) (key, bool) {
	k, ok := s.c.keyOf(e)
	if !ok || s.declaredIn(k.root) || s.c.refers(e, s.derived) || s.resets[k] {
		return key{}, false
	}
	return k, true
}

// scanLoop finds where the order of an ordered loop becomes observable:
// writes and prints inside it, and the slices it builds, followed to their
// sinks.
func (c *checker) scanLoop(loop inspector.Cursor, depth int) []hit {
	rs := loop.Node().(*ast.RangeStmt)
	fn, ok := outermostFunc(loop)
	if !ok {
		return nil
	}
	s := &loopScan{c: c, rs: rs}
	s.computeDerived()
	s.resets = c.resets(rs.Body)
	var hits []hit
	type target struct {
		k    key
		name string
		stmt ast.Node
		at   inspector.Cursor
	}
	var targets []target
	addTarget := func(k key, e ast.Expr, stmt inspector.Cursor) {
		for _, t := range targets {
			if t.k == k {
				return
			}
		}
		targets = append(targets, target{k: k, name: types.ExprString(e), stmt: stmt.Node(), at: stmt})
	}
	body := loop.ChildAt(edge.RangeStmt_Body, -1)
	for cur := range body.Preorder((*ast.AssignStmt)(nil), (*ast.CallExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			if c.exitsAfter(cur, rs) || c.unreachable(cur) {
				continue
			}
			switch n.Tok {
			case token.ADD_ASSIGN:
				if len(n.Lhs) == 1 && c.isString(n.Lhs[0]) && c.refers(n.Rhs[0], s.derived) {
					if _, ok := s.outer(n.Lhs[0]); ok {
						hits = append(hits, hit{sink: n, kind: sinkConcat, carrier: types.ExprString(n.Lhs[0]), inLoop: true})
					}
				}
			case token.ASSIGN:
				if len(n.Lhs) != len(n.Rhs) || isSwapStmt(n) {
					continue
				}
				for i, lhs := range n.Lhs {
					rhs := n.Rhs[i]
					if ix, ok := ast.Unparen(lhs).(*ast.IndexExpr); ok && c.isSlice(ix.X) {
						// keys[i] = k with i counting iterations.
						if k, ok := s.outer(ix.X); ok && !c.refers(ix.Index, s.positional) && c.refers(rhs, s.derived) {
							addTarget(k, ix.X, cur)
						}
						continue
					}
					if c.isString(lhs) {
						if k, ok := s.outer(lhs); ok && s.isConcatOf(rhs, k) && c.refers(rhs, s.derived) {
							hits = append(hits, hit{sink: n, kind: sinkConcat, carrier: types.ExprString(lhs), inLoop: true})
						}
						continue
					}
					if !c.isSlice(lhs) {
						continue
					}
					if k, ok := s.outer(lhs); ok && s.isAppendTo(rhs, k, lhs) {
						addTarget(k, lhs, cur)
					}
				}
			}
		case *ast.CallExpr:
			if c.exitsAfter(cur, rs) || c.unreachable(cur) {
				continue
			}
			if h, ok := s.callSink(n); ok {
				hits = append(hits, h)
			}
			for _, a := range s.grownThrough(n) {
				if k, ok := s.outer(a); ok {
					addTarget(k, a, cur)
				}
			}
		}
	}
	for _, t := range targets {
		f := c.newFollow(fn, rs.End(), depth)
		f.members = append(f.members, member{key: t.k, name: t.name})
		if c.outlives(t.k, t.at) {
			f.pending = append(f.pending, pending{hit: hit{sink: t.stmt, kind: sinkStore, carrier: t.name}})
		}
		f.run()
		hits = append(hits, f.hits...)
	}
	return hits
}

// computeDerived fills s.derived and s.positional.
func (s *loopScan) computeDerived() {
	c := s.c
	s.derived = make(map[types.Object]bool)
	ast.Inspect(s.rs, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := c.info.Defs[id].(*types.Var); ok {
				s.derived[v] = true
			}
		}
		return true
	})
	// A range over a slice that is itself in map order: the index is an
	// iteration count, so it does not fix where an element goes.
	var index types.Object
	if id, ok := s.rs.Key.(*ast.Ident); ok {
		if t := c.info.TypeOf(s.rs.X); t != nil {
			if _, isMap := t.Underlying().(*types.Map); !isMap {
				index = c.info.ObjectOf(id)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		ast.Inspect(s.rs.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, lhs := range as.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok {
					continue
				}
				obj := c.info.Uses[id]
				if obj == nil || s.derived[obj] {
					continue
				}
				if c.refers(as.Rhs[i], s.derived) && !c.refers(as.Rhs[i], map[types.Object]bool{obj: true}) {
					s.derived[obj] = true
					changed = true
				}
			}
			return true
		})
	}
	s.positional = make(map[types.Object]bool, len(s.derived))
	for obj := range s.derived {
		if obj != index {
			s.positional[obj] = true
		}
	}
}

// isConcatOf reports whether e is a + chain that includes k: s + x, x + s.
func (s *loopScan) isConcatOf(e ast.Expr, k key) bool {
	bin, ok := ast.Unparen(e).(*ast.BinaryExpr)
	if !ok || bin.Op != token.ADD {
		return false
	}
	for _, side := range []ast.Expr{bin.X, bin.Y} {
		if sk, ok := s.c.keyOf(side); ok && sk == k {
			return true
		}
		if s.isConcatOf(side, k) {
			return true
		}
	}
	return false
}

// isAppendTo reports whether rhs grows the slice k with per-iteration
// values: append(k, x...), or an appender such as strconv.AppendQuote(k, x)
// that returns the slice's own type.
func (s *loopScan) isAppendTo(rhs ast.Expr, k key, lhs ast.Expr) bool {
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if !ok || len(call.Args) < 2 {
		return false
	}
	if b, ok := typeutil.Callee(s.c.info, call).(*types.Builtin); ok {
		if b.Name() != "append" {
			return false
		}
		ak, ok := s.c.keyOf(call.Args[0])
		if !ok || ak != k {
			return false
		}
		for _, a := range call.Args[1:] {
			if s.c.refers(a, s.derived) {
				return true
			}
		}
		return false
	}
	if !types.Identical(s.c.info.TypeOf(call), s.c.info.TypeOf(lhs)) {
		return false
	}
	self := -1
	for i, a := range call.Args {
		if ak, ok := s.c.keyOf(a); ok && ak == k {
			self = i
			break
		}
	}
	if self < 0 {
		return false
	}
	for i, a := range call.Args {
		if i != self && s.c.refers(a, s.derived) {
			return true
		}
	}
	return false
}

// resets returns the variables that body clears on every pass: x.Reset(),
// x = nil, x = x[:0], x = make(...), x = T{...}, x = "".
func (c *checker) resets(body *ast.BlockStmt) map[key]bool {
	out := make(map[key]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Reset" && len(n.Args) == 0 {
				if k, ok := c.keyOf(sel.X); ok {
					out[k] = true
				}
			}
		case *ast.AssignStmt:
			if n.Tok != token.ASSIGN || len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, lhs := range n.Lhs {
				k, ok := c.keyOf(lhs)
				if !ok {
					continue
				}
				switch r := ast.Unparen(n.Rhs[i]).(type) {
				case *ast.Ident:
					if r.Name == "nil" {
						out[k] = true
					}
				case *ast.BasicLit:
					if r.Value == `""` || r.Value == "``" {
						out[k] = true
					}
				case *ast.CompositeLit:
					out[k] = true
				case *ast.SliceExpr:
					if r.Low == nil && r.High != nil {
						if lit, ok := r.High.(*ast.BasicLit); ok && lit.Value == "0" {
							out[k] = true
						}
					}
				case *ast.CallExpr:
					if b, ok := typeutil.Callee(c.info, r).(*types.Builtin); ok && b.Name() == "make" {
						out[k] = true
					}
				}
			}
		}
		return true
	})
	return out
}

// exitsAfter reports whether the statement holding cur is followed, in its
// block, by a return or a break out of loop: the loop then contributes a
// single element, whose position does not depend on map order.
func (c *checker) exitsAfter(cur inspector.Cursor, loop *ast.RangeStmt) bool {
	for st := cur; st.Node() != loop; st = st.Parent() {
		switch st.Parent().Node().(type) {
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		default:
			continue
		}
		if _, ok := st.Node().(*ast.ReturnStmt); ok {
			return true // return f(w, k): written once, on the way out
		}
		// st is the innermost statement holding cur.
		inner := false // a switch, select or loop between st and loop catches plain breaks
		for p := st.Parent(); p.Node() != loop; p = p.Parent() {
			switch p.Node().(type) {
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.ForStmt, *ast.RangeStmt:
				inner = true
			}
		}
		for sib, ok := st.NextSibling(); ok; sib, ok = sib.NextSibling() {
			switch n := sib.Node().(type) {
			case *ast.ReturnStmt:
				return true
			case *ast.BranchStmt:
				if n.Tok == token.GOTO || (n.Tok == token.BREAK && (n.Label != nil || !inner)) {
					return true
				}
			case *ast.ExprStmt:
				if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok && c.terminates(call) {
					return true
				}
			}
		}
		return false
	}
	return false
}

// terminates reports whether call ends the goroutine, the test or the
// program (kit.IsExitCall).
func (c *checker) terminates(call *ast.CallExpr) bool {
	return kit.IsExitCall(c.info, call)
}

// callSink classifies a call inside the ordered loop: a write, encode or
// print whose content changes per iteration, to a destination that lives
// across iterations.
func (s *loopScan) callSink(call *ast.CallExpr) (hit, bool) {
	c := s.c
	fn, _ := typeutil.Callee(c.info, call).(*types.Func)
	if fn == nil {
		return hit{}, false
	}
	pkg, recv, name := funcPath(fn.Origin())
	varies := func(args []ast.Expr) bool {
		for _, a := range args {
			if c.refers(a, s.derived) {
				return true
			}
		}
		return false
	}
	// written reports a write of args to dest.
	written := func(dest ast.Expr, args []ast.Expr, kind sinkKind) (hit, bool) {
		if _, ok := s.outer(dest); !ok || !varies(args) {
			return hit{}, false
		}
		if kind == sinkWriter && kit.IsHash(c.info.TypeOf(dest)) {
			kind = sinkHash
		}
		if u, ok := ast.Unparen(dest).(*ast.UnaryExpr); ok && u.Op == token.AND {
			dest = u.X
		}
		return hit{sink: call, kind: kind, carrier: types.ExprString(dest), via: kit.CallName(c.info, call), inLoop: true,
			dest: c.info.TypeOf(dest), callee: fn}, true
	}
	var recvExpr ast.Expr
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && recv != "" {
		recvExpr = sel.X
	}
	switch {
	case pkg == "fmt" && recv == "":
		switch name {
		case "Print", "Printf", "Println":
			if varies(call.Args) {
				return hit{sink: call, kind: sinkPrint, carrier: "fmt." + name, via: "fmt." + name, inLoop: true, callee: fn}, true
			}
		case "Fprint", "Fprintf", "Fprintln":
			if len(call.Args) > 0 {
				return written(call.Args[0], call.Args[1:], sinkWriter)
			}
		}
		return hit{}, false
	case pkg == "log" && (recv == "" || recv == "Logger") && strings.HasPrefix(name, "Print"):
		if varies(call.Args) {
			return hit{sink: call, kind: sinkPrint, carrier: kit.CallName(c.info, call), via: kit.CallName(c.info, call), inLoop: true, callee: fn}, true
		}
		return hit{}, false
	case (pkg == "io" && name == "WriteString" || pkg == "encoding/binary" && name == "Write") && len(call.Args) > 1:
		return written(call.Args[0], call.Args[1:], sinkWriter)
	case recvExpr != nil && isTemplate(c.info.TypeOf(recvExpr)) && (name == "Execute" || name == "ExecuteTemplate") && len(call.Args) > 1:
		return written(call.Args[0], call.Args[1:], sinkWriter)
	case recvExpr != nil && strings.HasPrefix(name, "Encode") && name != "Encode" && isEncoder(c.info.TypeOf(recvExpr)):
		// xml.Encoder's EncodeElement and EncodeToken: one element per
		// entry, as a MarshalXML method writes them.
		return written(recvExpr, call.Args, sinkEncode)
	case recvExpr != nil && name == "Encode" && isEncoder(c.info.TypeOf(recvExpr)):
		dest := recvExpr
		if inner, ok := ast.Unparen(recvExpr).(*ast.CallExpr); ok && len(inner.Args) > 0 {
			dest = inner.Args[0] // json.NewEncoder(w).Encode(v)
		}
		return written(dest, call.Args, sinkEncode)
	case recvExpr != nil && pkg == "encoding/csv" && recv == "Writer" && name == "Write":
		return written(recvExpr, call.Args, sinkWriter)
	case recvExpr != nil && kit.IsWriteMethod(name) && kit.IsWriter(c.info.TypeOf(recvExpr)):
		return written(recvExpr, call.Args, sinkWriter)
	}
	if recvExpr != nil && strings.HasPrefix(name, "Marshal") && len(call.Args) > 0 && isEncoder(c.info.TypeOf(call.Args[0])) {
		// v.MarshalXML(enc, start): v writes itself to the outer encoder.
		return written(call.Args[0], append(slices.Clone(call.Args[1:]), recvExpr), sinkEncode)
	}
	// A helper handed an outer writer and a per-iteration value, such as
	// writeEntry(w, k, v), writes in map order.
	sig := fn.Signature()
	for i, a := range call.Args {
		if i >= sig.Params().Len() || (sig.Variadic() && i >= sig.Params().Len()-1) {
			break
		}
		if !kit.IsWriter(sig.Params().At(i).Type()) || !kit.IsWriter(c.info.TypeOf(a)) {
			continue
		}
		if _, ok := a.(*ast.CallExpr); ok {
			continue
		}
		rest := slices.Concat(call.Args[:i], call.Args[i+1:])
		if recvExpr != nil {
			rest = append(rest, recvExpr) // v.WriteTo(w), v.MarshalXML(enc, start)
		}
		if h, ok := written(a, rest, sinkWriter); ok {
			return h, true
		}
	}
	return hit{}, false
}

// grownThrough returns the outer slices that a call inside the ordered
// loop grows through a pointer, such as process(k, v, &errs): a function
// handed a pointer to a slice and a per-iteration value appends in map
// order. Callees known (from their summaries) to sort or ignore the
// slice's order are left out.
func (s *loopScan) grownThrough(call *ast.CallExpr) []ast.Expr {
	c := s.c
	fn, _ := typeutil.Callee(c.info, call).(*types.Func)
	if fn == nil {
		return nil
	}
	var ptrs []ast.Expr
	varies := false
	for i, a := range call.Args {
		u, ok := ast.Unparen(a).(*ast.UnaryExpr)
		if ok && u.Op == token.AND && c.isSlice(u.X) {
			if pi := c.paramIndex(call, fn.Origin(), i); pi >= 0 {
				if po := c.paramOrderOf(fn.Origin()); po != nil && (slices.Contains(po.sorts, pi) || slices.Contains(po.ignores, pi)) {
					continue
				}
			}
			ptrs = append(ptrs, u.X)
			continue
		}
		varies = varies || c.refers(a, s.derived)
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		varies = varies || c.refers(sel.X, s.derived)
	}
	if !varies {
		return nil
	}
	return ptrs
}
