package maporder

import (
	"fmt"
	"go/types"
	"slices"

	"github.com/upshift-dev/upshift/analyzers/kit"
)

// sortsArg is the fact that a function sorts its slice parameters at
// Params in place before anything observes their order, so callers that
// hand it a slice built in map order have sorted it.
type sortsArg struct {
	Params []int
}

// AFact marks sortsArg as an analysis fact.
func (*sortsArg) AFact() {}

func (f *sortsArg) String() string { return fmt.Sprintf("sortsArg%v", f.Params) }

// ignoresOrder is the fact that a function never lets the order of its
// slice parameters at Params show: it counts them, looks elements up, puts
// them in a set... Handing it a slice in map order is harmless.
type ignoresOrder struct {
	Params []int
}

// AFact marks ignoresOrder as an analysis fact.
func (*ignoresOrder) AFact() {}

func (f *ignoresOrder) String() string { return fmt.Sprintf("ignoresOrder%v", f.Params) }

// paramOrderOf returns what fn does with the order of its slice parameters,
// from this package's summaries or from facts about imported functions.
func (c *checker) paramOrderOf(fn *types.Func) *paramOrder {
	po, _ := c.sums.Of(fn)
	return po
}

// importParamOrder reads what an imported function does with the order of
// its slice parameters from its facts.
func (c *checker) importParamOrder(fn *types.Func) (*paramOrder, bool) {
	var po paramOrder
	var s sortsArg
	if c.pass.ImportObjectFact(fn, &s) {
		po.sorts = s.Params
	}
	var ig ignoresOrder
	if c.pass.ImportObjectFact(fn, &ig) {
		po.ignores = ig.Params
	}
	if po.sorts == nil && po.ignores == nil {
		return nil, false
	}
	return &po, true
}

// sliceParams returns the indexes of fn's named slice parameters (or
// pointers to slices: sortInPlace(&keys)).
func sliceParams(fn *types.Func) []int {
	var out []int
	sig := fn.Signature()
	for i := range sig.Params().Len() {
		v := sig.Params().At(i)
		if v.Name() == "" || v.Name() == "_" {
			continue
		}
		t := v.Type().Underlying()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem().Underlying()
		}
		if _, ok := t.(*types.Slice); ok {
			out = append(out, i)
		}
	}
	return out
}

// summarizeDecl follows each slice parameter of d through its body: a
// parameter that reaches no sink is sorted (on every path) or ignored.
func (c *checker) summarizeDecl(d kit.Decl) *paramOrder {
	po := &paramOrder{}
	sig := d.Fn.Signature()
	for _, i := range sliceParams(d.Fn) {
		v := sig.Params().At(i)
		c.assume.fn, c.assume.index = d.Fn, i
		f := c.newFollow(d.Cursor, d.Node.Body.Lbrace, 1)
		f.members = append(f.members, member{key: key{root: v}, name: v.Name()})
		f.run()
		if len(f.hits) > 0 {
			continue
		}
		if f.rootSorted() {
			po.sorts = append(po.sorts, i)
		} else {
			po.ignores = append(po.ignores, i)
		}
	}
	c.assume.fn = nil
	return po
}

// summarize computes the paramOrder of every function declared in the
// package with slice parameters, to a fixpoint, and exports the results as
// facts.
func (c *checker) summarize() {
	var decls []kit.Decl
	for _, d := range kit.Decls(c.info, c.inspect) {
		if len(sliceParams(d.Fn)) > 0 {
			decls = append(decls, d)
		}
	}
	c.sums.Solve(c.pass.Pkg, decls)
	c.sums.Each(func(d kit.Decl, po *paramOrder) {
		if len(po.sorts) > 0 {
			c.pass.ExportObjectFact(d.Fn, &sortsArg{Params: po.sorts})
		}
		if len(po.ignores) > 0 {
			c.pass.ExportObjectFact(d.Fn, &ignoresOrder{Params: po.ignores})
		}
	})
}

// sameParamOrder reports whether two summaries say the same.
func sameParamOrder(a, b *paramOrder) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(a.sorts, b.sorts) && slices.Equal(a.ignores, b.ignores)
}
