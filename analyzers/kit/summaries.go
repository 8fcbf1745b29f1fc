package kit

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// SummaryRounds bounds the fixpoint of Summaries.Solve: a summary that
// still changes after this many rounds (a chain of helpers calling each
// other deeper than that) keeps its last value, which only loses recall.
const SummaryRounds = 8

// Decl is a function declared with a body in the package being analyzed.
type Decl struct {
	Fn     *types.Func
	Node   *ast.FuncDecl
	Cursor inspector.Cursor
}

// Summaries is the dataflow skeleton that maporder, wiredrift and loopvar
// share: one summary per function of the package (what it does with its
// parameters), computed from the summaries of the functions it calls, to a
// fixpoint; summaries of imported functions come from facts.
//
// Compute summarizes one function and asks Of for the summaries of its
// callees; Of records who asked, so that Solve recomputes exactly the
// callers of a summary that changed.
type Summaries[S any] struct {
	// Compute returns the summary of d, reading callees' summaries with Of.
	Compute func(d Decl) S
	// Equal reports whether two summaries are the same.
	Equal func(a, b S) bool
	// Import returns the summary of a function of another package, from
	// its fact; ok is false when there is none.
	Import func(fn *types.Func) (S, bool)

	pkg      *types.Package
	decls    []Decl
	local    map[*types.Func]S
	imported map[*types.Func]importedSummary[S]
	callers  map[*types.Func]map[*types.Func]bool
	current  *types.Func
}

type importedSummary[S any] struct {
	s  S
	ok bool
}

// Decls returns the functions declared with a body in the inspected
// package, in source order.
func Decls(info *types.Info, ins *inspector.Inspector) []Decl {
	var out []Decl
	for cur := range ins.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := cur.Node().(*ast.FuncDecl)
		fn, ok := info.Defs[fd.Name].(*types.Func)
		if !ok || fd.Body == nil {
			continue
		}
		out = append(out, Decl{Fn: fn, Node: fd, Cursor: cur})
	}
	return out
}

// Solve computes the summary of every function of decls (the package's
// functions of interest, all of pkg), recomputing callers while a callee's
// summary changes, for at most SummaryRounds rounds.
func (s *Summaries[S]) Solve(pkg *types.Package, decls []Decl) {
	s.pkg = pkg
	s.decls = decls
	s.local = make(map[*types.Func]S, len(decls))
	s.imported = make(map[*types.Func]importedSummary[S])
	s.callers = make(map[*types.Func]map[*types.Func]bool)
	dirty := make(map[*types.Func]bool, len(decls))
	for _, d := range decls {
		dirty[d.Fn] = true
	}
	for round := 0; round < SummaryRounds && len(dirty) > 0; round++ {
		next := make(map[*types.Func]bool)
		for _, d := range decls {
			if !dirty[d.Fn] {
				continue
			}
			s.current = d.Fn
			sum := s.Compute(d)
			s.current = nil
			// Callers that asked before the first computation read the
			// zero summary, so a change is measured from it.
			old := s.local[d.Fn]
			s.local[d.Fn] = sum
			if !s.Equal(old, sum) {
				for caller := range s.callers[d.Fn] {
					next[caller] = true
				}
			}
		}
		dirty = next
	}
}

// Of returns the summary of fn: the current one for a function of the
// package (recording that the function being computed depends on it), the
// imported one for other packages' functions. ok is false when fn has no
// summary (not computed yet, no fact, or a function value).
func (s *Summaries[S]) Of(fn *types.Func) (sum S, ok bool) {
	if fn == nil {
		return sum, false
	}
	fn = fn.Origin()
	if s.imported == nil {
		s.imported = make(map[*types.Func]importedSummary[S])
	}
	if fn.Pkg() == s.pkg && s.pkg != nil {
		if s.current != nil {
			if s.callers[fn] == nil {
				s.callers[fn] = make(map[*types.Func]bool)
			}
			s.callers[fn][s.current] = true
		}
		sum, ok = s.local[fn]
		return sum, ok
	}
	if is, seen := s.imported[fn]; seen {
		return is.s, is.ok
	}
	if fn.Pkg() != nil && s.Import != nil {
		sum, ok = s.Import(fn)
	}
	s.imported[fn] = importedSummary[S]{sum, ok}
	return sum, ok
}

// Each calls f with every function of the package and its final summary,
// in source order (to export facts, say).
func (s *Summaries[S]) Each(f func(d Decl, sum S)) {
	for _, d := range s.decls {
		if sum, ok := s.local[d.Fn]; ok {
			f(d, sum)
		}
	}
}
