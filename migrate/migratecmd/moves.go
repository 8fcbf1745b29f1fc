package migratecmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/compat/deps"
	"github.com/upshift-dev/upshift/internal/atomicfile"
	"github.com/upshift-dev/upshift/rewrite/engine"
	"github.com/upshift-dev/upshift/rewrite/fixcmd"
)

// movePrefix starts the name of a dependency-move stage; the stages keep
// number 2, as the behavior fixes keep 3 with one commit per analyzer.
const movePrefix = "dependency move: "

// depMoves is the dependency-moves stage, run with -moves after the safe
// fixes: one commit per move of the curated table (compat/deps) whose old
// module go.mod requires directly, done as upshift fix -move does it. A
// move is all or nothing per package already (a package that cannot move
// whole stays on the old module), so a move that breaks a check is left
// out whole rather than bisected.
func (m *migration) depMoves(ctx context.Context) (bool, error) {
	if !m.opts.moves {
		return true, nil
	}
	mod, err := deps.FindModule(ctx, m.dir)
	if err != nil {
		return false, err
	}
	var moves []deps.Move
	for _, mv := range deps.Plan(mod) {
		// An indirect requirement has no import here to rewrite, and a
		// move left out before (-continue) is not tried again.
		if !mv.Indirect && m.moveLeftOut(mv.Migration) == "" {
			moves = append(moves, mv)
		}
	}
	if len(moves) == 0 {
		if slices.ContainsFunc(m.stages, func(s Stage) bool { return strings.HasPrefix(s.Name, movePrefix) }) {
			return true, nil // resumed after the last move
		}
		s, start := m.begin(2, movePrefix+"none to apply")
		s.Notes = append(s.Notes, "go.mod requires no module of the curated move table directly (upshift plan lists the moves).")
		return m.finish(ctx, s, start)
	}
	for _, mv := range moves {
		if ok, err := m.move(ctx, mv.Migration); !ok || err != nil {
			return ok, err
		}
	}
	return true, nil
}

// moveName is how a move is named in stage names and left-out entries.
func moveName(mg deps.Migration) string { return mg.From + " -> " + mg.To }

// moveLeftOut returns the left-out entry of an earlier stage for the
// move, or "".
func (m *migration) moveLeftOut(mg deps.Migration) string {
	for _, s := range m.stages {
		for _, l := range s.LeftOut {
			if strings.HasPrefix(l, "move "+moveName(mg)+" (") {
				return l
			}
		}
	}
	return ""
}

// move runs one move as a stage: the rewrite with go.mod and go.sum, the
// checks, then a commit of the move, or, when a check fails, a commit of
// nothing that records the move as left out with what it breaks.
func (m *migration) move(ctx context.Context, mg deps.Migration) (bool, error) {
	s, start := m.begin(2, movePrefix+moveName(mg))
	if err := m.applyMove(ctx, s, mg); err != nil {
		return false, err
	}
	return m.finish(ctx, s, start)
}

// applyMove writes the move into the worktree and runs the checks; a
// move that breaks one is taken back out and recorded in s as left out.
func (m *migration) applyMove(ctx context.Context, s *Stage, mg deps.Migration) error {
	leave := func(why string) error {
		entry := fmt.Sprintf("move %s (%s)", moveName(mg), why)
		s.LeftOut = append(s.LeftOut, entry)
		s.Applied = 0
		return m.wt.reset(ctx)
	}
	res, err := fixcmd.Move(ctx, m.dir, m.opts.patterns, mg.From+"="+mg.To)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, deps.ErrNotRequired):
		s.Notes = append(s.Notes, fmt.Sprintf("Nothing to move: %v.", err))
		return nil
	case err != nil:
		// One move that cannot be computed (a target the proxy does not
		// serve, a vendored module) must not stop the migration.
		return leave("cannot be done: " + oneLine(err.Error()))
	}
	var files, excluded []string
	for path := range res.Changed {
		rel := m.rel(path)
		files = append(files, rel)
		if m.excluded(rel) {
			excluded = append(excluded, rel)
		}
	}
	slices.Sort(files)
	slices.Sort(excluded)
	for _, o := range res.Outcomes {
		switch o.Fate {
		case engine.Applied:
			s.Applied++
		case engine.Skipped, engine.Conflict, engine.RolledBack:
			s.Notes = append(s.Notes, fmt.Sprintf("Not moved, %s:%d: %s: %s", m.rel(o.File), o.Line, o.Message, o.Reason))
		}
	}
	if len(excluded) > 0 {
		// Moving the rest would split a package between two modules.
		return leave("it changes " + strings.Join(excluded, ", ") + ", excluded by " + ConfigFile)
	}
	if len(files) == 0 {
		s.Notes = append(s.Notes, "No file moves: every use stays on "+mg.From+" (see above).")
		return nil
	}
	if err := atomicfile.WriteAll(res.Changed); err != nil {
		return err
	}
	for _, c := range m.checks() {
		failed, err := c.run(ctx)
		if err != nil {
			return err
		}
		if c.what == "test" && len(failed) > 0 {
			if failed, err = m.confirm(ctx, s, failed, c); err != nil {
				return err
			}
		}
		if len(failed) > 0 {
			fmt.Fprintf(m.env.Stderr, "  the move breaks %s: left out\n", strings.Join(failed, ", "))
			return leave("breaks " + strings.Join(failed, ", "))
		}
	}
	s.Notes = append(s.Notes, fmt.Sprintf("Moved %s to %s (%s): %d file(s) rewritten; changed %s.", mg.From, mg.To, mg.Summary, s.Applied, strings.Join(files, ", ")))
	return nil
}
