// Package suite lists upshift's analyzers in one place: the vet command, the
// go vet protocol and the docs all read this list.
package suite

import (
	"golang.org/x/tools/go/analysis"

	"github.com/upshift-dev/upshift/analyzers/bytestring"
	"github.com/upshift-dev/upshift/analyzers/godebug"
	"github.com/upshift-dev/upshift/analyzers/iterchange"
	"github.com/upshift-dev/upshift/analyzers/loopvar"
	"github.com/upshift-dev/upshift/analyzers/maporder"
	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/analyzers/wiredrift"
)

// Analyzers returns every upshift analyzer, in documentation order.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		maporder.Analyzer,
		bytestring.Analyzer,
		wiredrift.Analyzer,
		iterchange.Analyzer,
		godebug.Analyzer,
		loopvar.Analyzer,
	}
}

// Checks returns the metadata of every analyzer, in the order of Analyzers.
func Checks() []meta.Check {
	return []meta.Check{
		maporder.Check,
		bytestring.Check,
		wiredrift.Check,
		iterchange.Check,
		godebug.Check,
		loopvar.Check,
	}
}
