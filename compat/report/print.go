package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/sarif"
)

// Format is an output format of the compat subcommands.
type Format string

// The output formats.
const (
	FormatText  Format = "text"
	FormatJSON  Format = "json"
	FormatSARIF Format = "sarif"
)

// ParseFormat validates a -format flag value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatText, FormatJSON, FormatSARIF:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q (want text, json or sarif)", s)
}

// InfoURI is the documentation address written into SARIF logs.
const InfoURI = "https://github.com/upshift-dev/upshift/tree/main/compat"

// Options tune printing.
type Options struct {
	// PathPrefix is prepended to finding files in SARIF output so that
	// they are relative to the repository root (the module may live in a
	// subdirectory). Forward slashes; empty for a module at the root.
	PathPrefix string
}

// Print writes r to w in format f.
func Print(w io.Writer, f Format, r *Report, opts Options) error {
	switch f {
	case FormatJSON:
		return printJSON(w, r)
	case FormatSARIF:
		return printSARIF(w, r, opts)
	}
	return printText(w, r)
}

func printJSON(w io.Writer, r *Report) error {
	out := *r
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&out); err != nil {
		return fmt.Errorf("writing JSON report: %w", err)
	}
	return nil
}

func printSARIF(w io.Writer, r *Report, opts Options) error {
	rules := make([]sarif.Rule, 0, len(r.Rules))
	for _, ru := range r.Rules {
		rules = append(rules, sarif.Rule{
			ID: ru.ID, Name: ru.Name, ShortDescription: ru.Summary, Level: string(ru.Level),
			HelpURI: InfoURI + "/" + r.Command + "#" + strings.ToLower(ru.ID),
		})
	}
	var results []sarif.Result
	for _, f := range r.Findings {
		if f.Suppressed != "" {
			continue
		}
		msg := f.Message
		if f.Symbol != "" && !strings.Contains(msg, f.Symbol) {
			msg = f.Symbol + ": " + msg
		}
		if f.Direction != "" {
			msg += fmt.Sprintf(" [%s, %s loss]", f.Direction, f.Loss)
		}
		if f.Advice != "" {
			msg += ". " + f.Advice
		}
		res := sarif.Result{RuleID: f.Rule, Level: string(f.Level), Message: msg}
		// Code scanning shows results on the head commit, so the head
		// position is primary; the base one is context.
		primary, other, otherName := f.Head, f.Base, "base (before the change)"
		if primary == nil {
			primary, other, otherName = f.Base, nil, ""
		}
		if primary != nil {
			res.Locations = []sarif.Location{toSARIF(primary, opts.PathPrefix, "")}
		} else {
			res.Locations = []sarif.Location{{File: path.Join(opts.PathPrefix, "go.mod")}}
		}
		if other != nil {
			res.Related = []sarif.Location{toSARIF(other, opts.PathPrefix, otherName)}
		}
		results = append(results, res)
	}
	if err := sarif.Write(w, "upshift compat "+r.Command, command.Version, InfoURI, rules, results); err != nil {
		return fmt.Errorf("writing SARIF report: %w", err)
	}
	return nil
}

func toSARIF(p *Position, prefix, msg string) sarif.Location {
	return sarif.Location{File: path.Join(prefix, p.File), Line: p.Line, Column: p.Column, Message: msg}
}

// printText writes the human report: a verdict with its reasons, then the
// findings grouped by package, type or test package, most severe group
// first, each with its positions on both sides.
func printText(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "upshift compat %s: base %s, head %s\n", r.Command, r.Base, r.Head)
	fmt.Fprintf(&b, "verdict: %s\n", r.Verdict)
	for _, reason := range r.Reasons {
		fmt.Fprintf(&b, "  - %s\n", reason)
	}

	type group struct {
		name     string
		rank     int
		findings []Finding
		// context is true for groups of notes about no position in the
		// code (the GODEBUG defaults a go-line change flips): they
		// explain, so they come after what failed.
		context bool
	}
	var groups []*group
	byName := map[string]*group{}
	var suppressed []Finding
	for _, f := range r.Findings {
		if f.Suppressed != "" {
			suppressed = append(suppressed, f)
			continue
		}
		g := byName[f.Group]
		if g == nil {
			g = &group{name: f.Group, rank: 3, context: true}
			byName[f.Group] = g
			groups = append(groups, g)
		}
		g.rank = min(g.rank, levelRank(f.Level))
		g.context = g.context && f.Level == LevelNote && f.Base == nil && f.Head == nil
		g.findings = append(g.findings, f)
	}
	slices.SortStableFunc(groups, func(a, b *group) int {
		if a.context != b.context {
			if a.context {
				return 1
			}
			return -1
		}
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return strings.Compare(a.name, b.name)
	})
	for _, g := range groups {
		fmt.Fprintf(&b, "\n%s\n", g.name)
		for _, f := range g.findings {
			writeFinding(&b, f)
		}
	}
	if len(suppressed) > 0 {
		fmt.Fprintf(&b, "\nsuppressed\n")
		for _, f := range suppressed {
			fmt.Fprintf(&b, "  %-7s %s: %s (reason: %s)\n", f.Rule, f.Symbol, f.Message, f.Suppressed)
		}
	}
	if len(r.Notes) > 0 {
		fmt.Fprintf(&b, "\nremarks\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	n := r.Counts()
	fmt.Fprintf(&b, "\n%s, %s, %s", plural(n[LevelError], "error"), plural(n[LevelWarning], "warning"), plural(n[LevelNote], "note"))
	if len(suppressed) > 0 {
		fmt.Fprintf(&b, ", %d suppressed", len(suppressed))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("writing text report: %w", err)
	}
	return nil
}

func writeFinding(b *strings.Builder, f Finding) {
	head := fmt.Sprintf("  %-7s %-7s", f.Level, f.Rule)
	if f.Direction != "" {
		head += fmt.Sprintf(" %-8s %-6s", f.Direction, f.Loss)
	}
	msg := f.Message
	if f.Symbol != "" && !strings.Contains(msg, f.Symbol) {
		msg = shortSymbol(f.Symbol) + ": " + msg
	}
	fmt.Fprintf(b, "%s %s\n", head, msg)
	indent := "          "
	if f.Base != nil {
		fmt.Fprintf(b, "%sbase: %s\n", indent, f.Base)
	}
	if f.Head != nil {
		fmt.Fprintf(b, "%shead: %s\n", indent, f.Head)
	}
	if f.Advice != "" {
		fmt.Fprintf(b, "%s=> %s\n", indent, f.Advice)
	}
	for _, d := range f.Details {
		for _, line := range strings.Split(strings.TrimRight(d, "\n"), "\n") {
			fmt.Fprintf(b, "%s| %s\n", indent, line)
		}
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// shortSymbol drops the import path's directories from a symbol for text
// output ("example.com/m/store.Item.ID" becomes "store.Item.ID"): the
// group heading already names the package.
func shortSymbol(s string) string {
	if strings.ContainsAny(s, " ") {
		return s
	}
	if i := strings.LastIndex(s, "/"); i >= 0 && strings.Contains(s[i:], ".") {
		return s[i+1:]
	}
	return s
}

// RulesMarkdown renders a rule table as the "Rules" section of a README:
// one heading per rule ID, so that SARIF help links (README#<id>) land on
// the rule.
func RulesMarkdown(rules []Rule) string {
	var b strings.Builder
	b.WriteString("## Rules\n\nIDs are stable and never reused.\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "\n### %s\n\n`%s` (%s): %s.\n", r.ID, r.Name, r.Level, r.Summary)
	}
	return b.String()
}
