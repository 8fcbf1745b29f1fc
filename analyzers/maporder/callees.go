package maporder

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/types/typeutil"
)

// This file holds the tables that say what a call does with the order of a
// slice: sort it, ignore it, pass it through, or make it observable.

// role is what a call does with the order of one of its arguments.
type role int

const (
	// roleSink: the order becomes observable (see sinkKind).
	roleSink role = iota
	// roleNeutral: the call does not depend on the order (len, Contains, Max...).
	roleNeutral
	// roleSorts: the call sorts the argument in place.
	roleSorts
	// roleThrough: the call's result holds the argument's elements in the
	// same order (append, slices.Clone, sort.Reverse...).
	roleThrough
	// roleCopy: copy(dst, src) puts src's order into dst.
	roleCopy
)

// argUse is the classification of one call argument.
type argUse struct {
	role role
	kind sinkKind // for roleSink
	// fresh is set for roleThrough when the result has its own backing
	// array, so that sorting the argument later does not sort the result.
	fresh bool
	// via names the callee for messages.
	via string
}

// funcPath returns the package path and name of fn, and the name of its
// receiver's named type ("" for functions).
func funcPath(fn *types.Func) (pkg, recv, name string) {
	return kit.PkgPath(fn), kit.RecvName(fn), fn.Name()
}

// isInPlaceSort reports whether fn sorts its argument idx in place.
func isInPlaceSort(fn *types.Func, idx int) bool {
	pkg, recv, name := funcPath(fn)
	if recv != "" || idx != 0 {
		return false
	}
	switch pkg {
	case "sort":
		switch name {
		case "Strings", "Ints", "Float64s", "Slice", "SliceStable", "Sort", "Stable":
			return true
		}
	case "slices", "golang.org/x/exp/slices":
		switch name {
		case "Sort", "SortFunc", "SortStableFunc":
			return true
		}
	}
	return false
}

// usesSortOption reports whether a go-cmp comparison is given an option that
// makes slice order irrelevant (cmpopts.SortSlices or SortMaps).
func usesSortOption(call *ast.CallExpr) bool {
	found := false
	for _, a := range call.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && strings.HasPrefix(sel.Sel.Name, "Sort") {
				found = true
			}
			return !found
		})
	}
	return found
}

// classifyStd classifies argument idx of a call to fn from the standard
// library or a well-known module. ok is false when fn is not in the tables.
func classifyStd(call *ast.CallExpr, fn *types.Func, idx int) (use argUse, ok bool) {
	pkg, recv, name := funcPath(fn)
	via := name
	if fn.Pkg() != nil {
		via = fn.Pkg().Name() + "." + name
	}
	if recv != "" {
		via = recv + "." + name
	}
	sink := func(k sinkKind) (argUse, bool) { return argUse{role: roleSink, kind: k, via: via}, true }
	neutral := argUse{role: roleNeutral, via: via}
	through := argUse{role: roleThrough, via: via}
	if isInPlaceSort(fn, idx) {
		return argUse{role: roleSorts, via: via}, true
	}
	switch pkg {
	case "sort":
		switch name {
		case "Reverse", "StringSlice", "IntSlice", "Float64Slice":
			return through, true
		}
		if recv == "" {
			return neutral, true // Search*, IsSorted...
		}
	case "slices", "golang.org/x/exp/slices":
		switch name {
		case "Equal", "EqualFunc", "Compare", "CompareFunc":
			return sink(sinkCompare)
		case "Clone", "Compact", "CompactFunc", "Clip", "Grow", "Delete", "DeleteFunc",
			"Insert", "Replace", "Values", "All", "Backward", "Collect", "AppendSeq", "Repeat":
			r := through
			r.fresh = name == "Clone" || name == "Collect" || name == "Repeat" || (name == "AppendSeq" && idx == 1)
			return r, true
		case "Concat":
			r := through
			r.fresh = true
			return r, true
		}
		// Contains, Index, Max, Min, BinarySearch, Reverse, Sorted, Chunk...:
		// none makes the order observable on its own.
		return neutral, true
	case "maps", "golang.org/x/exp/maps", "unsafe", "container/heap":
		return neutral, true
	case "strings", "bytes":
		switch name {
		case "Join":
			return sink(sinkJoin)
		case "Equal", "Compare", "EqualFold":
			return sink(sinkCompare)
		}
	case "path", "path/filepath":
		if name == "Join" {
			return sink(sinkJoin)
		}
	case "reflect":
		if name == "DeepEqual" {
			return sink(sinkCompare)
		}
	case "fmt":
		switch name {
		case "Print", "Printf", "Println":
			return sink(sinkPrint)
		case "Fprint", "Fprintf", "Fprintln":
			if idx == 0 {
				return neutral, true
			}
			return sink(sinkWriter)
		}
	case "log", "log/slog", "testing":
		return sink(sinkPrint)
	case "github.com/google/go-cmp/cmp":
		if name == "Equal" || name == "Diff" {
			if usesSortOption(call) {
				return neutral, true
			}
			return sink(sinkCompare)
		}
	case "gotest.tools/v3/assert", "gotest.tools/assert":
		if name == "DeepEqual" || name == "Equal" {
			return sink(sinkCompare)
		}
		return neutral, true
	}
	if kit.IsTestifyPkg(pkg) {
		switch strings.TrimSuffix(name, "f") {
		case "Equal", "EqualValues", "Exactly", "NotEqual", "NotEqualValues", "JSONEq", "YAMLEq":
			return sink(sinkCompare)
		}
		// ElementsMatch, Len, Contains, Subset, NotEmpty...: order-free.
		return neutral, true
	}
	// Sets, whatever their package, are order-free containers.
	if strings.HasSuffix(pkg, "/sets") {
		return neutral, true
	}
	if strings.HasPrefix(pkg, "crypto/") || strings.HasPrefix(pkg, "hash/") {
		return sink(sinkHash)
	}
	if kit.IsEncoding(fn) {
		return sink(sinkEncode)
	}
	if recv != "" && kit.IsWriteMethod(name) {
		if sig := fn.Signature(); sig.Recv() != nil {
			if kit.IsHash(sig.Recv().Type()) {
				return sink(sinkHash)
			}
			if kit.IsWriter(sig.Recv().Type()) {
				return sink(sinkWriter)
			}
		}
	}
	return argUse{}, false
}

// isTemplate reports whether t is a text/template or html/template Template.
func isTemplate(t types.Type) bool {
	return kit.IsNamedOrPtr(t, "text/template", "Template") || kit.IsNamedOrPtr(t, "html/template", "Template")
}

// isEncoder reports whether t is a streaming encoder (json, xml, gob, or any
// type named Encoder with an Encode method).
func isEncoder(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	return strings.HasSuffix(n.Obj().Name(), "Encoder")
}

// mapsSeqMap returns the map argument of a call to the standard library's
// maps.Keys, maps.Values or maps.All, whose sequences follow map order.
func mapsSeqMap(info *types.Info, e ast.Expr) ast.Expr {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return nil
	}
	fn := typeutil.StaticCallee(info, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "maps" {
		return nil
	}
	switch fn.Name() {
	case "Keys", "Values", "All":
		return call.Args[0]
	}
	return nil
}

// sliceSourceMap returns the map whose keys or values call returns as a
// slice in iteration order, or nil: slices.Collect(maps.Keys(m)),
// slices.AppendSeq(s, maps.Values(m)), x/exp maps.Keys(m), reflect's
// Value.MapKeys, and the UnsortedList method of set packages.
func sliceSourceMap(info *types.Info, call *ast.CallExpr) ast.Expr {
	fn := typeutil.StaticCallee(info, call)
	if fn == nil || fn.Pkg() == nil {
		return nil
	}
	pkg, recv, name := funcPath(fn.Origin())
	switch {
	case pkg == "slices" && name == "Collect" && len(call.Args) == 1:
		return mapsSeqMap(info, call.Args[0])
	case pkg == "slices" && name == "AppendSeq" && len(call.Args) == 2:
		return mapsSeqMap(info, call.Args[1])
	case pkg == "golang.org/x/exp/maps" && (name == "Keys" || name == "Values") && len(call.Args) == 1:
		return call.Args[0]
	case pkg == "reflect" && recv == "Value" && name == "MapKeys":
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			return sel.X
		}
	case strings.HasSuffix(pkg, "/sets") && name == "UnsortedList":
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			return sel.X
		}
	}
	return nil
}
