// This file summarizes what each function does with its parameters
// (kept, run later, returned), on the kit's summary fixpoint, as facts.

package loopvar

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// A flow is what a function may do with a parameter.
type flow uint8

const (
	// flowKept: the parameter is stored beyond the call.
	flowKept flow = 1 << iota
	// flowAsync: another goroutine uses the parameter.
	flowAsync
	// flowReturned: the parameter reaches the result.
	flowReturned
	// flowIntoRecv: the parameter is stored in memory reached from the
	// receiver; it outlives the call only if the receiver does.
	flowIntoRecv
)

// paramFlows summarizes a function's parameters.
type paramFlows struct {
	Recv   flow
	Params []flow
}

func (p paramFlows) at(i int) flow {
	if i < 0 {
		return p.Recv
	}
	if i < len(p.Params) {
		return p.Params[i]
	}
	return 0
}

func (p paramFlows) empty() bool {
	if p.Recv != 0 {
		return false
	}
	for _, f := range p.Params {
		if f != 0 {
			return false
		}
	}
	return true
}

func (p paramFlows) equal(q paramFlows) bool {
	if p.Recv != q.Recv || len(p.Params) != len(q.Params) {
		return false
	}
	for i := range p.Params {
		if p.Params[i] != q.Params[i] {
			return false
		}
	}
	return true
}

// keepsFact is exported for a function of the analyzed code that keeps a
// parameter beyond the call, uses it in another goroutine or returns it,
// so that loops in importing packages know what passing &v to it does.
type keepsFact struct {
	Flows paramFlows
}

// AFact marks keepsFact as an analysis.Fact.
func (*keepsFact) AFact() {}

func (f *keepsFact) String() string {
	var parts []string
	name := func(fl flow) string {
		var s []string
		if fl&flowKept != 0 {
			s = append(s, "kept")
		}
		if fl&flowAsync != 0 {
			s = append(s, "async")
		}
		if fl&flowReturned != 0 {
			s = append(s, "returned")
		}
		if fl&flowIntoRecv != 0 {
			s = append(s, "into-recv")
		}
		return strings.Join(s, "+")
	}
	if f.Flows.Recv != 0 {
		parts = append(parts, "recv:"+name(f.Flows.Recv))
	}
	for i, fl := range f.Flows.Params {
		if fl != 0 {
			parts = append(parts, fmt.Sprintf("p%d:%s", i, name(fl)))
		}
	}
	return "keeps(" + strings.Join(parts, " ") + ")"
}

// summarize computes the summaries of the package's functions to a
// fixpoint and exports the non-empty ones as facts.
func (c *checker) summarize() {
	c.sums.Solve(c.pass.Pkg, kit.Decls(c.info, c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)))
	c.sums.Each(func(d kit.Decl, s paramFlows) {
		if !s.empty() {
			c.pass.ExportObjectFact(d.Fn, &keepsFact{s})
		}
	})
}

// summarizeFunc follows each parameter of the function declared at fc.
func (c *checker) summarizeFunc(fn *types.Func, fc inspector.Cursor) paramFlows {
	fd := fc.Node().(*ast.FuncDecl)
	bodyC, ok := fc.FindNode(fd.Body)
	if !ok {
		return paramFlows{}
	}
	uses := c.usesIn(fc)
	sig := fn.Type().(*types.Signature)
	results := make(map[*types.Var]bool)
	for i := 0; i < sig.Results().Len(); i++ {
		results[sig.Results().At(i)] = true
	}
	follow := func(v *types.Var) flow {
		if v == nil || !mayAlias(v.Type()) {
			return 0
		}
		r := newRegion(c, funcMode, bodyC, uses)
		r.results, r.recv = results, sig.Recv()
		r.track(v, isPointer(v.Type()))
		return r.flags
	}
	s := paramFlows{Params: make([]flow, sig.Params().Len())}
	if recv := sig.Recv(); recv != nil {
		s.Recv = follow(recv)
	}
	for i := range s.Params {
		s.Params[i] = follow(sig.Params().At(i))
	}
	return s
}

// mayAlias reports whether a value of type t can hold a pointer: numbers,
// strings, booleans and structs and arrays made only of them cannot.
func mayAlias(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if mayAlias(u.Field(i).Type()) {
				return true
			}
		}
		return false
	case *types.Array:
		return mayAlias(u.Elem())
	}
	return true
}
