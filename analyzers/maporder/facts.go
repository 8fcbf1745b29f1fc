package maporder

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/inspector"
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

// summaryRounds bounds the fixpoint over this package's functions: a
// helper's summary can depend on the summaries of the helpers it calls.
const summaryRounds = 3

// paramOrderOf returns what fn does with the order of its slice parameters,
// from this package's summaries or from facts about imported functions.
func (c *checker) paramOrderOf(fn *types.Func) *paramOrder {
	if fn.Pkg() == c.pass.Pkg {
		return c.local[fn]
	}
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
		return nil
	}
	return &po
}

// summarize computes the paramOrder of every function declared in the
// package by following each slice parameter through the body, and exports
// the results as facts.
func (c *checker) summarize() {
	type param struct {
		index int
		v     *types.Var
	}
	type decl struct {
		fn     *types.Func
		cur    inspector.Cursor
		body   *ast.BlockStmt
		params []param
	}
	var decls []decl
	for cur := range c.inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		d := cur.Node().(*ast.FuncDecl)
		fn, ok := c.info.Defs[d.Name].(*types.Func)
		if !ok || d.Body == nil {
			continue
		}
		var ps []param
		sig := fn.Signature()
		for i := range sig.Params().Len() {
			v := sig.Params().At(i)
			if v.Name() == "" || v.Name() == "_" {
				continue
			}
			t := v.Type().Underlying()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem().Underlying() // sortInPlace(&keys)
			}
			if _, ok := t.(*types.Slice); ok {
				ps = append(ps, param{index: i, v: v})
			}
		}
		if len(ps) > 0 {
			decls = append(decls, decl{fn: fn, cur: cur, body: d.Body, params: ps})
		}
	}
	c.local = make(map[*types.Func]*paramOrder, len(decls))
	for range summaryRounds {
		changed := false
		for _, d := range decls {
			po := &paramOrder{}
			for _, p := range d.params {
				c.assume.fn, c.assume.index = d.fn, p.index
				f := c.newFollow(d.cur, d.body.Lbrace, 1)
				f.members = append(f.members, member{key: key{root: p.v}, name: p.v.Name()})
				f.run()
				if len(f.hits) > 0 {
					continue
				}
				if f.rootSorted() {
					po.sorts = append(po.sorts, p.index)
				} else {
					po.ignores = append(po.ignores, p.index)
				}
			}
			if old := c.local[d.fn]; old == nil || !slices.Equal(old.sorts, po.sorts) || !slices.Equal(old.ignores, po.ignores) {
				c.local[d.fn] = po
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	c.assume.fn = nil
	for fn, po := range c.local {
		if len(po.sorts) > 0 {
			c.pass.ExportObjectFact(fn, &sortsArg{Params: po.sorts})
		}
		if len(po.ignores) > 0 {
			c.pass.ExportObjectFact(fn, &ignoresOrder{Params: po.ignores})
		}
	}
}
