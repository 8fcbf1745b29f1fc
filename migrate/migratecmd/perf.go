package migratecmd

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/upshift-dev/upshift/perfcheck/bench"
	"github.com/upshift-dev/upshift/perfcheck/counter"
)

// DefaultPerfCount is the number of rounds per benchmark and stage: fewer
// than perf bench's default, since valgrind's counts barely vary and a
// migration compares six stages, but no fewer than the 6 samples a 95%
// confidence interval of a median needs: with fewer, the intervals are
// unbounded and no regression can be called.
const DefaultPerfCount = 6

// perfConfig returns the backend, packages, threshold and rounds of the
// perf check.
func (m *migration) perfConfig(ctx context.Context) (counter.Backend, []string, float64, int, error) {
	backend, err := counter.New(counter.ValgrindName)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	if err := backend.Probe(ctx); err != nil {
		return nil, nil, 0, 0, fmt.Errorf("-perf=bench counts instructions with valgrind: %v", err)
	}
	pkgs := m.opts.cfg.Perf.Packages
	if len(pkgs) == 0 {
		pkgs = m.opts.patterns
	}
	th := m.opts.cfg.Perf.Threshold
	if th == 0 {
		th = 0.01
	}
	count := m.opts.cfg.Perf.Count
	if count == 0 {
		count = DefaultPerfCount
	}
	return backend, pkgs, th, count, nil
}

// perfCheck compares the worktree as it is with the stage's start
// (HEAD): the regressed benchmarks, for bisecting a fix stage.
func (m *migration) perfCheck() check {
	return check{"benchmark", func(ctx context.Context) ([]string, error) {
		backend, pkgs, th, count, err := m.perfConfig(ctx)
		if err != nil {
			return nil, err
		}
		head, err := m.wt.git(ctx, "rev-parse", "HEAD")
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(m.env.Stderr, "  perf bench: %s..work tree, %d round(s), valgrind\n", short(head), count)
		rep, err := bench.Run(ctx, bench.Config{Dir: m.dir, Base: head, Head: m.dir, Packages: pkgs, Count: count, Threshold: th, Backend: backend})
		if errors.Is(err, bench.ErrNoBenchmarks) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("perf bench: %w", err)
		}
		return regressions(rep), nil
	}}
}

func regressions(rep *bench.Report) []string {
	var out []string
	for _, c := range rep.Comparisons {
		if c.Gate && c.Regression {
			out = append(out, fmt.Sprintf("%s.Benchmark%s %+.1f%% %s", c.Package, c.Name, 100*c.Delta, c.Unit))
		}
	}
	return out
}

// perf compares the benchmarks' instructions/op of the stage's commit
// with the previous stage's (base), as upshift perf bench does with the
// valgrind backend; a gated regression fails the stage.
func (m *migration) perf(ctx context.Context, s *Stage, base string) error {
	backend, pkgs, th, count, err := m.perfConfig(ctx)
	if err != nil {
		return err
	}
	if count < DefaultPerfCount {
		s.Notes = append(s.Notes, fmt.Sprintf("perf.count %d is below %d: the confidence intervals are unbounded, so no regression can fail the stage; the figures are for reading only.", count, DefaultPerfCount))
	}
	fmt.Fprintf(m.env.Stderr, "  perf bench: %s..%s, %d round(s), valgrind\n", short(base), short(s.Commit), count)
	rep, err := bench.Run(ctx, bench.Config{
		Dir: m.dir, Base: base, Head: s.Commit, Packages: pkgs, Count: count,
		Threshold: th, Backend: backend,
	})
	if errors.Is(err, bench.ErrNoBenchmarks) {
		s.Perf = "bench: no benchmarks"
		return nil
	}
	if err != nil {
		return fmt.Errorf("perf bench: %w", err)
	}
	var logBase, logHead float64
	n := 0
	regressed := regressions(rep)
	for _, c := range rep.Comparisons {
		if c.Gate && c.Base.Median > 0 && c.Head.Median > 0 {
			logBase += math.Log(c.Base.Median)
			logHead += math.Log(c.Head.Median)
			n++
		}
	}
	if n == 0 {
		s.Perf = "bench: nothing counted"
		return nil
	}
	s.InstrPerOp = math.Exp(logHead / float64(n))
	prev := math.Exp(logBase / float64(n))
	// The previous stage's figure, when it was not measured itself (the
	// baseline is measured by stage 1's comparison).
	if len(m.stages) > 0 && m.stages[len(m.stages)-1].InstrPerOp == 0 {
		m.stages[len(m.stages)-1].InstrPerOp = prev
	}
	s.Perf = fmt.Sprintf("bench: %d benchmark(s), %+.2f%% %s vs the previous stage, %d regression(s) over %.1f%%", n, 100*(s.InstrPerOp/prev-1), rep.GateUnit, len(regressed), 100*th)
	if len(regressed) > 0 {
		s.Verified = false
		s.NewFailures = append(s.NewFailures, "perf regression: "+strings.Join(regressed, ", "))
	}
	return nil
}

func short(commit string) string {
	if len(commit) > 10 {
		return commit[:10]
	}
	return commit
}
