package migratecmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The trailers of a stage commit. The branch is the ledger: -status and
// -continue read these back, and a reviewer reads them in git log.
const (
	trailerStage    = "Upshift-Stage"
	trailerTests    = "Upshift-Tests"
	trailerFindings = "Upshift-Findings"
	trailerPins     = "Upshift-Pins"
	trailerPerf     = "Upshift-Perf"
	// trailerTarget (stage 0) records the target go line.
	trailerTarget = "Upshift-Target"
	// trailerBaselineFail (stage 0, one per test) records the tests that
	// already failed: never blamed on a later stage.
	trailerBaselineFail = "Upshift-Baseline-Failing"
	// trailerLeftOut (fix stages, one per fix) records a fix left out
	// because it broke a test; later stages leave it out too.
	trailerLeftOut = "Upshift-Left-Out"
	// trailerKeptPin (unpin stage, one per pin) records why a pin stays.
	trailerKeptPin = "Upshift-Kept-Pin"
	// trailerFixes (fix stages) records how many fixes were applied.
	trailerFixes = "Upshift-Fixes"
	// trailerDuration records how long the stage took.
	trailerDuration = "Upshift-Duration"
)

// Stage is one stage's entry in the ledger.
type Stage struct {
	// N is the stage number (0 baseline ... 5 cleanups); Name says which
	// ("behavior fixes: godebug" for one analyzer of stage 3).
	N    int    `json:"n"`
	Name string `json:"name"`
	// Commit is the commit that records the stage ("" when it failed).
	Commit string `json:"commit,omitempty"`
	// Verified is false when the stage failed verification.
	Verified bool `json:"verified"`
	// Duration is the stage's wall time (JSON: nanoseconds).
	Duration time.Duration `json:"duration_ns"`
	// Tests counts the outcomes after the stage; NewFailures are the
	// tests failing now that passed at the baseline.
	Pass        int      `json:"pass"`
	Fail        int      `json:"fail"`
	Skip        int      `json:"skip"`
	NewFailures []string `json:"new_failures,omitempty"`
	// Findings is the number of analyzer findings left at the target go
	// line, FindingsBy the same by analyzer ("maporder 2, godebug 1").
	Findings   int    `json:"findings"`
	FindingsBy string `json:"findings_by,omitempty"`
	// Pins are the GODEBUG pins the migration added that go.mod still has.
	Pins []string `json:"pins"`
	// Perf sums up the perf check ("off" when not run); InstrPerOp is the
	// geometric mean of the benchmarks' instructions/op (0 when not
	// measured).
	Perf       string  `json:"perf"`
	InstrPerOp float64 `json:"instructions_per_op,omitempty"`
	// Capacity is the service's capacity in req/s under -perf capacity
	// (0 when not measured); CapacityChange is the change head/base - 1
	// against the previous stage (nil when not compared).
	Capacity       float64  `json:"capacity_rps,omitempty"`
	CapacityChange *float64 `json:"capacity_change,omitempty"`
	// Applied counts the fixes the stage applied; LeftOut are the fixes
	// left out because a test failed with them ("analyzer file:line:
	// message (breaks TEST)").
	Applied int      `json:"applied"`
	LeftOut []string `json:"left_out,omitempty"`
	// KeptPins say why each remaining pin stays ("name: reason").
	KeptPins []string `json:"kept_pins,omitempty"`
	// Notes are what else a reviewer should know.
	Notes []string `json:"notes,omitempty"`
	// Target and BaselineFailing are set on stage 0.
	Target          string   `json:"target,omitempty"`
	BaselineFailing []string `json:"baseline_failing,omitempty"`

	// check, when set, is a stage's own verification, run after the
	// tests (the bump compares DefaultGODEBUG).
	check func()
}

// TestsSummary is the Upshift-Tests value.
func (s *Stage) TestsSummary() string {
	nf := "none"
	if len(s.NewFailures) > 0 {
		nf = strings.Join(s.NewFailures, ", ")
	}
	return fmt.Sprintf("%d passed, %d failed, %d skipped; new failures: %s", s.Pass, s.Fail, s.Skip, nf)
}

// message renders the stage's commit message: a subject, the notes, and
// the trailers.
func (s *Stage) message(from, to string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "upshift migrate %s -> %s: stage %d, %s\n\n", from, to, s.N, s.Name)
	for _, n := range s.Notes {
		fmt.Fprintf(&b, "%s\n", n)
	}
	if len(s.Notes) > 0 {
		b.WriteString("\n")
	}
	tr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\n", k, oneLine(v)) }
	tr(trailerStage, fmt.Sprintf("%d %s", s.N, s.Name))
	tr(trailerTests, s.TestsSummary())
	f := strconv.Itoa(s.Findings)
	if s.FindingsBy != "" {
		f += " (" + s.FindingsBy + ")"
	}
	tr(trailerFindings, f)
	p := strconv.Itoa(len(s.Pins))
	if len(s.Pins) > 0 {
		p += " (" + strings.Join(s.Pins, " ") + ")"
	}
	tr(trailerPins, p)
	perf := s.Perf
	if s.InstrPerOp > 0 {
		perf += fmt.Sprintf("; geomean %.0f instructions/op", s.InstrPerOp)
	}
	if s.Capacity > 0 {
		perf += fmt.Sprintf("; capacity %.0f req/s", s.Capacity)
		if s.CapacityChange != nil {
			perf += fmt.Sprintf(", change %+.2f%%", 100**s.CapacityChange)
		}
	}
	tr(trailerPerf, perf)
	if s.Applied > 0 {
		tr(trailerFixes, strconv.Itoa(s.Applied))
	}
	tr(trailerDuration, s.Duration.Round(time.Millisecond).String())
	if s.Target != "" {
		tr(trailerTarget, s.Target)
	}
	for _, t := range s.BaselineFailing {
		tr(trailerBaselineFail, t)
	}
	for _, l := range s.LeftOut {
		tr(trailerLeftOut, l)
	}
	for _, k := range s.KeptPins {
		tr(trailerKeptPin, k)
	}
	return b.String()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// parseStage reads a stage back from a commit message; ok is false for
// a commit without an Upshift-Stage trailer (the user's own).
func parseStage(commit, msg string) (s Stage, ok bool) {
	s.Commit = commit
	s.Verified = true
	lines := strings.Split(msg, "\n")
	for _, l := range lines {
		k, v, found := strings.Cut(l, ": ")
		if !found || !strings.HasPrefix(k, "Upshift-") {
			continue
		}
		switch k {
		case trailerStage:
			n, name, _ := strings.Cut(v, " ")
			num, err := strconv.Atoi(n)
			if err != nil {
				continue
			}
			s.N, s.Name, ok = num, name, true
		case trailerTests:
			counts, nf, _ := strings.Cut(v, "; new failures: ")
			fmt.Sscanf(counts, "%d passed, %d failed, %d skipped", &s.Pass, &s.Fail, &s.Skip)
			if nf != "none" && nf != "" {
				s.NewFailures = strings.Split(nf, ", ")
			}
		case trailerFindings:
			n, by, _ := strings.Cut(v, " ")
			s.Findings, _ = strconv.Atoi(n)
			s.FindingsBy = strings.TrimSuffix(strings.TrimPrefix(by, "("), ")")
		case trailerPins:
			_, names, _ := strings.Cut(v, " ")
			if names = strings.TrimSuffix(strings.TrimPrefix(names, "("), ")"); names != "" {
				s.Pins = strings.Fields(names)
			}
		case trailerPerf:
			s.Perf = v
			if p, c, found := strings.Cut(v, "; capacity "); found {
				s.Perf = p
				rate, change, _ := strings.Cut(c, " req/s, change ")
				fmt.Sscanf(rate, "%g", &s.Capacity)
				if ch, err := strconv.ParseFloat(strings.TrimSuffix(change, "%"), 64); err == nil {
					ch /= 100
					s.CapacityChange = &ch
				}
			}
			if p, g, found := strings.Cut(s.Perf, "; geomean "); found {
				fmt.Sscanf(g, "%g", &s.InstrPerOp)
				s.Perf = p
			}
		case trailerFixes:
			s.Applied, _ = strconv.Atoi(v)
		case trailerDuration:
			s.Duration, _ = time.ParseDuration(v)
		case trailerTarget:
			s.Target = v
		case trailerBaselineFail:
			s.BaselineFailing = append(s.BaselineFailing, v)
		case trailerLeftOut:
			s.LeftOut = append(s.LeftOut, v)
		case trailerKeptPin:
			s.KeptPins = append(s.KeptPins, v)
		}
	}
	return s, ok
}

// readLedger returns the stages recorded on branch, oldest first, and
// the number of commits after the last one (the user's hand fixes).
// It reads back to the stage 0 commit.
func readLedger(ctx context.Context, r repo, branch string) (stages []Stage, after int, err error) {
	out, err := r.git(ctx, "log", "--format=%H%x00%B%x1e", "refs/heads/"+branch)
	if err != nil {
		return nil, 0, err
	}
	var newestFirst []Stage
	seenStage := false
	for _, rec := range strings.Split(out, "\x1e") {
		rec = strings.TrimLeft(rec, "\n")
		if rec == "" {
			continue
		}
		hash, msg, _ := strings.Cut(rec, "\x00")
		s, ok := parseStage(hash, msg)
		if !ok {
			// A commit of the user's: after the last stage (what -continue
			// verifies), or between stages (a hand fix a -continue ran
			// after). The walk ends at stage 0, below which is the
			// history the migration started from.
			if !seenStage {
				after++
			}
			continue
		}
		seenStage = true
		newestFirst = append(newestFirst, s)
		if s.N == 0 {
			break
		}
	}
	if len(newestFirst) == 0 || newestFirst[len(newestFirst)-1].N != 0 {
		return nil, 0, fmt.Errorf("branch %s has no upshift migrate stage 0 commit: it was not made by upshift migrate", branch)
	}
	for i := len(newestFirst) - 1; i >= 0; i-- {
		stages = append(stages, newestFirst[i])
	}
	return stages, after, nil
}
