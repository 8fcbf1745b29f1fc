// Package registry is the one list of upshift's analyzers. Everything that
// needs the analyzers derives them from here: `upshift vet`, `upshift fix`,
// `upshift explain`, the go vet tool protocol, the SARIF rule table and the
// README check. Adding an analyzer is one folder under analyzers/ and one
// line in checks below (README.md, "Adding an analyzer").
package registry

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/bytestring"
	"github.com/upshift-dev/upshift/analyzers/godebug"
	"github.com/upshift-dev/upshift/analyzers/iterchange"
	"github.com/upshift-dev/upshift/analyzers/loopvar"
	"github.com/upshift-dev/upshift/analyzers/maporder"
	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/sortties"
	"github.com/upshift-dev/upshift/analyzers/wiredrift"
	"github.com/upshift-dev/upshift/rewrite/movefix"
)

// checks lists every analyzer's metadata, which carries the analyzer, its
// rule ID, its fix tier and its docs, in documentation order.
var checks = []meta.Check{
	maporder.Check,
	bytestring.Check,
	wiredrift.Check,
	iterchange.Check,
	godebug.Check,
	loopvar.Check,
	sortties.Check,
}

// Checks returns the metadata of every analyzer, in documentation order.
func Checks() []meta.Check {
	return append([]meta.Check(nil), checks...)
}

// Analyzers returns every upshift analyzer, in documentation order.
func Analyzers() []*analysis.Analyzer {
	return AnalyzersOf(checks)
}

// ToolOnly returns the analyzers that upshift's vet tool serves besides
// the checks: codemods a command configures for one run through their
// flags (fix -move's movefix.Analyzer, -move.spec), so that they too run
// through go vet, one process per package. They do nothing unless
// configured, and are no checks: upshift vet, explain, SARIF and the
// README do not list them, and go vet runs them only when selected or
// when it runs every analyzer.
func ToolOnly() []*analysis.Analyzer {
	return []*analysis.Analyzer{movefix.Analyzer}
}

// AnalyzersOf returns the analyzers of a list of checks, in its order.
func AnalyzersOf(cs []meta.Check) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(cs))
	for i, c := range cs {
		out[i] = c.Analyzer
	}
	return out
}

// Lookup finds a check by analyzer name or by rule ID, the ID in any case
// (UP1001, up1001).
func Lookup(nameOrID string) (meta.Check, bool) {
	for _, c := range checks {
		if c.Name == nameOrID || strings.EqualFold(c.ID, nameOrID) {
			return c, true
		}
	}
	return meta.Check{}, false
}

// Markdown renders the analyzer table of README.md from the registry:
// name, rule ID, what the check finds, and its fix tier.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| analyzer | ID | finds | fix tier |\n|---|---|---|---|\n")
	for _, c := range checks {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.Name, c.ID, c.Finds, c.Tier)
	}
	return b.String()
}
