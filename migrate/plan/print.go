package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

func writeJSON(w io.Writer, p *Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// writeText prints the plan as text, or as Markdown when md is set: the
// same sections, with headings and list items.
func writeText(w io.Writer, p *Plan, md bool) error {
	var b strings.Builder
	head := func(s string) {
		if md {
			fmt.Fprintf(&b, "\n## %s\n\n", s)
		} else {
			fmt.Fprintf(&b, "\n%s\n", s)
		}
	}
	item := func(format string, args ...any) {
		if md {
			b.WriteString("- ")
		} else {
			b.WriteString("  ")
		}
		fmt.Fprintf(&b, format+"\n", args...)
	}
	code := func(s string) string {
		if md {
			return "`" + s + "`"
		}
		return s
	}
	none := func() { item("none") }
	if md {
		fmt.Fprintf(&b, "# upshift plan: %s %s -> %s\n", p.Module, p.From, p.To)
	} else {
		fmt.Fprintf(&b, "upshift plan: %s %s -> %s\n", p.Module, p.From, p.To)
	}
	if p.Toolchain != "" {
		fmt.Fprintf(&b, "toolchain line: %s\n", p.Toolchain)
	}

	head(fmt.Sprintf("GODEBUG defaults that flip (%d)", len(p.Godebug)))
	if len(p.Godebug) == 0 {
		none()
	}
	for _, g := range p.Godebug {
		state := "reaches no code found"
		if len(g.Reached) > 0 {
			state = "reaches " + strings.Join(g.Reached, ", ")
		}
		pin := ""
		if g.Pinned {
			pin = " [pinned in go.mod]"
		}
		item("%s (%s): %s; keep with %s; %s%s", code(g.Name), g.Changed, g.Description, code(g.Line), state, pin)
	}

	head(fmt.Sprintf("pins and loop files of the neutral bump (%d, %d)", len(p.Pins), len(p.LoopFiles)))
	if p.PinNote != "" {
		item("no pins: %s", p.PinNote)
	}
	for _, pin := range p.Pins {
		item("pin %s", code(pin))
	}
	for _, lf := range p.LoopFiles {
		item("keep %s at go1.21: loops at lines %s change meaning", lf.File, joinInts(lf.Lines))
	}
	if len(p.Pins) == 0 && len(p.LoopFiles) == 0 && p.PinNote == "" {
		none()
	}

	head(fmt.Sprintf("findings at %s (%d)", p.To, len(p.Findings)))
	if len(p.Findings) == 0 {
		none()
	}
	for _, f := range p.Findings {
		how := string(f.Class)
		if f.Fix != "" {
			how += ": " + f.Fix
		}
		if f.Reason != "" {
			how += ": " + f.Reason
		}
		item("%s: %s: %s [%s]", f.Position, f.Analyzer, f.Message, how)
	}

	head(fmt.Sprintf("dependencies (%d to note, %d move(s))", len(p.Dependencies), len(p.Moves)))
	if len(p.Dependencies) == 0 && len(p.Moves) == 0 {
		none()
	}
	for _, d := range p.Dependencies {
		var notes []string
		if d.Blocks {
			notes = append(notes, "needs go "+d.GoVersion+": blocks")
		}
		if d.Deprecated != "" {
			notes = append(notes, "deprecated: "+d.Deprecated)
		}
		if d.Retracted != "" {
			notes = append(notes, "retracted: "+d.Retracted)
		}
		if d.Update != "" {
			notes = append(notes, "update "+d.Update)
		}
		item("%s@%s: %s", d.Path, d.Version, strings.Join(notes, "; "))
	}
	for _, m := range p.Moves {
		ind := ""
		if m.Indirect {
			ind = " (indirect)"
		}
		item("move %s -> %s%s: %s (upshift fix -move)", m.From, m.To, ind, m.Summary)
	}

	head("stages upshift migrate will run")
	for _, s := range p.Stages {
		item("%d %s: %s; verified by: %s", s.N, s.Name, s.Does, s.Verify)
	}

	head(fmt.Sprintf("manual work (%d)", len(p.Manual)))
	if len(p.Manual) == 0 {
		none()
	}
	for _, m := range p.Manual {
		item("%s", m)
	}

	head(fmt.Sprintf("blocking (%d)", len(p.Blocking)))
	if len(p.Blocking) == 0 {
		none()
	}
	for _, s := range p.Blocking {
		item("%s", s)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
