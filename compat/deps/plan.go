package deps

import "slices"

// Move is a dependency move that applies to a module: a table entry whose
// old module the module requires.
type Move struct {
	// Migration is the table entry.
	Migration Migration
	// Version is the required version of Migration.From.
	Version string
	// Indirect is true when the requirement is marked // indirect: the
	// module's own code may not import it.
	Indirect bool
}

// Plan lists the table's moves that apply to the module of mod, in the
// order of its requirements. It is the table half of a later `upshift
// plan`: deprecated modules and newer majors need the module proxy and are
// not looked up here.
func Plan(mod *ModuleFile) []Move {
	var out []Move
	for _, r := range mod.File.Require {
		for _, m := range FindFrom(r.Mod.Path) {
			out = append(out, Move{Migration: m, Version: r.Mod.Version, Indirect: r.Indirect})
		}
	}
	slices.SortStableFunc(out, func(a, b Move) int {
		// Direct requirements first: those are the code's own moves.
		switch {
		case a.Indirect == b.Indirect:
			return 0
		case a.Indirect:
			return 1
		}
		return -1
	})
	return out
}
