// This file turns a finding into a diagnostic: message, category and
// related positions.

package loopvar

import (
	"fmt"
	"go/ast"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
)

// diagnostic renders a finding.
func (f *finding) diagnostic() analysis.Diagnostic {
	names := make([]string, len(f.decls))
	for i, d := range f.decls {
		names[i] = d.Name
	}
	vars := "loop variable " + names[0]
	if len(names) > 1 {
		vars = "loop variables " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	var subject string
	switch f.okind {
	case originAddr:
		subject = fmt.Sprintf("the address of %s is %s (via %s)", vars, f.esc.where, kit.ShortExpr(f.origin.(ast.Expr)))
	case originMethod:
		subject = fmt.Sprintf("the address of %s is %s (taken by %s, which has a pointer receiver)", vars, f.esc.where, kit.ShortExpr(f.origin.(ast.Expr)))
	case originClosure:
		verb := "is"
		if len(names) > 1 {
			verb = "are"
		}
		subject = fmt.Sprintf("%s %s captured by a func literal that is %s", vars, verb, f.esc.where)
		if f.esc.kind == sinkParallel {
			subject = fmt.Sprintf("%s %s captured after t.Parallel() by a func literal that is %s", vars, verb, f.esc.where)
		}
	}
	v := strings.Join(names, "/")
	var change string
	switch f.esc.kind {
	case sinkStore:
		change = fmt.Sprintf("before Go 1.22 every element aliases the same variable (the last %s); from Go 1.22 each iteration has its own copy", v)
		if f.okind == originClosure {
			change = fmt.Sprintf("before Go 1.22 every stored func literal shares the same %s (the last value); from Go 1.22 each keeps its own iteration's copy", v)
		}
	case sinkSlot:
		slot := strings.TrimPrefix(f.esc.where, "stored in ")
		switch f.esc.slot {
		case slotThreeClause:
			change = fmt.Sprintf("before Go 1.22 %s refers to the one shared %s, which the post statement moves past the value this iteration had; from Go 1.22 it keeps this iteration's copy", slot, v)
		case slotConditional:
			change = fmt.Sprintf("the store happens on some iterations only: before Go 1.22 %s refers to the one shared %s, which ends up holding the last element, not the one stored; from Go 1.22 it keeps the stored iteration's copy", slot, v)
		default:
			change = fmt.Sprintf("%s is read again in a later iteration: before Go 1.22 it refers to the shared %s and sees the current value; from Go 1.22 it sees the earlier iteration's copy", slot, v)
		}
	case sinkGo:
		change = fmt.Sprintf("before Go 1.22 all goroutines share one %s and can see a later iteration's value (often the last); from Go 1.22 each gets its own copy", v)
	case sinkDefer:
		change = fmt.Sprintf("before Go 1.22 every deferred call runs after the loop and sees the last %s; from Go 1.22 each sees its own iteration's copy", v)
	case sinkParallel:
		change = fmt.Sprintf("before Go 1.22 the parallel subtests run after the loop and all see the last %s, so only the last case is tested; from Go 1.22 each subtest gets its own copy", v)
	}
	tail := fmt.Sprintf("This file is at %s: behaviour changes when the go line is raised to 1.22 or later", f.version)
	if f.fromTag {
		tail = fmt.Sprintf("This file is at %s by its //go:build line: behaviour changes when that constraint is raised to go1.22 or later", f.version)
	}
	d := analysis.Diagnostic{
		Pos:      f.use.Pos(),
		End:      f.use.End(),
		Category: category(f),
		Message:  subject + ": " + change + ". " + tail,
	}
	fset := f.pass.Fset
	if fset.Position(f.esc.sink.Pos()).Line != fset.Position(f.use.Pos()).Line {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: f.esc.sink.Pos(), End: f.esc.sink.End(), Message: "the reference leaves the iteration here"})
	}
	for _, id := range f.decls {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: id.Pos(), End: id.End(), Message: id.Name + " is declared once for the whole loop before Go 1.22"})
	}
	return d
}

// category returns the diagnostic's sub-rule.
func category(f *finding) string {
	switch f.esc.kind {
	case sinkGo:
		return "goroutine"
	case sinkDefer:
		return "defer"
	case sinkParallel:
		return "parallel-test"
	}
	if f.okind == originClosure {
		return "closure"
	}
	return "address"
}
