package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Suppression is one entry of a suppression file: findings of Rule on
// Symbol are accepted for Reason.
type Suppression struct {
	Rule   string
	Symbol string
	Reason string
	// File and Line locate the entry, for unused-entry notes.
	File string
	Line int
	used bool
}

// ParseSuppressions reads a suppression file. Each non-blank line that
// does not start with '#' is
//
//	RULEID symbol  reason text
//
// A symbol ending in '*' matches every symbol with that prefix. An entry
// without a reason is an error: a suppression nobody can explain later is a
// hidden breaking change.
func ParseSuppressions(r io.Reader, name string) ([]*Suppression, error) {
	var out []*Suppression
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 {
			return nil, fmt.Errorf("%s:%d: want \"RULEID symbol reason\", got %q: every suppression needs a reason", name, n, line)
		}
		rule, symbol := fields[0], fields[1]
		reason := strings.TrimSpace(line[strings.Index(line, symbol)+len(symbol):])
		out = append(out, &Suppression{Rule: rule, Symbol: symbol, Reason: reason, File: name, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return out, nil
}

func (s *Suppression) matches(f *Finding) bool {
	if s.Rule != f.Rule {
		return false
	}
	if prefix, ok := strings.CutSuffix(s.Symbol, "*"); ok {
		return strings.HasPrefix(f.Symbol, prefix)
	}
	return s.Symbol == f.Symbol
}

// Suppress marks the findings of r matched by an entry with the entry's
// reason, and adds a note for every entry that matched nothing (a stale
// entry would silently hide a future break of the same symbol).
func (r *Report) Suppress(entries []*Suppression) {
	for i := range r.Findings {
		f := &r.Findings[i]
		for _, s := range entries {
			if s.matches(f) {
				f.Suppressed = s.Reason
				s.used = true
				break
			}
		}
	}
	for _, s := range entries {
		if !s.used {
			r.Notes = append(r.Notes, fmt.Sprintf("%s:%d: unused suppression %s %s", s.File, s.Line, s.Rule, s.Symbol))
		}
	}
}
