// Package report is the finding model shared by the `upshift compat`
// subcommands (api, wire, toolchain) and its three printers: a grouped text
// report for humans, JSON for programs and SARIF 2.1.0 for code scanning.
//
// Every finding carries a stable rule ID. IDs are never reused: a retired
// rule keeps its number so that suppression files and dashboards stay valid.
package report

import (
	"cmp"
	"fmt"
	"slices"
)

// Level says how much a finding matters. Findings at LevelError and
// LevelWarning make a report incompatible; notes are informational.
type Level string

// The finding levels, most severe first.
const (
	LevelError   Level = "error"
	LevelWarning Level = "warning"
	LevelNote    Level = "note"
)

// Direction names who cannot read whose data, after the schema registry
// vocabulary: BACKWARD means the new version (head) reading data written by
// the old one (base), FORWARD the old version reading new data, FULL both.
type Direction string

// The compatibility directions a wire finding can break.
const (
	Backward Direction = "BACKWARD"
	Forward  Direction = "FORWARD"
	Full     Direction = "FULL"
)

// Rule describes one kind of finding.
type Rule struct {
	// ID is stable and never reused, e.g. "API001".
	ID string `json:"id"`
	// Name is a short lowercase slug, e.g. "removed".
	Name string `json:"name"`
	// Summary is a one-line description.
	Summary string `json:"summary"`
	// Level is the default level of the rule's findings.
	Level Level `json:"level"`
}

// Position is a place in one side's source tree. File is relative to the
// side's module root, with forward slashes.
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// String formats the position as file:line:column, omitting zero parts.
func (p *Position) String() string {
	if p == nil {
		return ""
	}
	switch {
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Finding is one reported difference between base and head.
type Finding struct {
	// Rule is the rule ID.
	Rule string `json:"rule"`
	// Level is the finding's level (the rule's default unless refined).
	Level Level `json:"level"`
	// Group is the heading the finding is listed under in text output,
	// e.g. a package path, "go.mod", a wire type or a test package.
	Group string `json:"group"`
	// Symbol names what changed; suppression entries match it exactly.
	Symbol string `json:"symbol"`
	// Message says what changed, in one line.
	Message string `json:"message"`
	// Direction is set on wire findings: which reads break.
	Direction Direction `json:"direction,omitempty"`
	// Loss is set on wire findings: "silent" when data is dropped without
	// an error, "loud" when decoding fails.
	Loss string `json:"loss,omitempty"`
	// Advice says what to do, e.g. which side must deploy first.
	Advice string `json:"advice,omitempty"`
	// Base and Head locate the declaration on each side, when it exists.
	Base *Position `json:"base,omitempty"`
	Head *Position `json:"head,omitempty"`
	// Details holds supporting lines (test output, decode errors).
	Details []string `json:"details,omitempty"`
	// Suppressed holds the reason of the suppression entry that matched.
	Suppressed string `json:"suppressed,omitempty"`
}

// Report is the result of one compat subcommand.
type Report struct {
	// Command is the subcommand: "api", "wire" or "toolchain".
	Command string `json:"command"`
	// Base and Head are the versions as given on the command line.
	Base string `json:"base"`
	Head string `json:"head"`
	// Verdict summarises the result: "major", "minor" or "patch" for api;
	// "compatible" or "incompatible" otherwise.
	Verdict string `json:"verdict"`
	// Reasons lists every reason behind the verdict.
	Reasons []string `json:"reasons,omitempty"`
	// Findings holds the differences found, most severe first.
	Findings []Finding `json:"findings"`
	// Notes holds remarks that are not findings: unused suppression
	// entries, types that could not be compared, skipped work.
	Notes []string `json:"notes,omitempty"`
	// Rules are the rules findings may refer to, in ID order.
	Rules []Rule `json:"-"`
}

// Incompatible reports whether any unsuppressed finding is an error or a
// warning: the condition for exit code 1.
func (r *Report) Incompatible() bool {
	for _, f := range r.Findings {
		if f.Suppressed == "" && (f.Level == LevelError || f.Level == LevelWarning) {
			return true
		}
	}
	return false
}

// levelRank orders levels for sorting, most severe first.
func levelRank(l Level) int {
	switch l {
	case LevelError:
		return 0
	case LevelWarning:
		return 1
	}
	return 2
}

// lossRank puts silent data loss above loud decode errors: a loud error is
// noticed in the first canary, silent loss only when the data is gone.
func lossRank(loss string) int {
	switch loss {
	case "silent":
		return 0
	case "loud":
		return 1
	}
	return 2
}

// Sort orders findings deterministically: suppressed last, then by
// level, loss (silent first), direction (FULL first), group, symbol and
// rule.
func (r *Report) Sort() {
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(boolRank(a.Suppressed != ""), boolRank(b.Suppressed != "")),
			cmp.Compare(levelRank(a.Level), levelRank(b.Level)),
			cmp.Compare(lossRank(a.Loss), lossRank(b.Loss)),
			cmp.Compare(directionRank(a.Direction), directionRank(b.Direction)),
			cmp.Compare(a.Group, b.Group),
			cmp.Compare(a.Symbol, b.Symbol),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// directionRank puts FULL first: no deploy order makes it safe.
func directionRank(d Direction) int {
	switch d {
	case Full:
		return 0
	case Backward:
		return 1
	case Forward:
		return 2
	}
	return 3
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Counts returns the number of unsuppressed findings per level.
func (r *Report) Counts() map[Level]int {
	n := map[Level]int{}
	for _, f := range r.Findings {
		if f.Suppressed == "" {
			n[f.Level]++
		}
	}
	return n
}
