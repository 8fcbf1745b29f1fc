//go:build upshiftdeps

// Temporary: keeps planned dependencies in go.mod while packages are written
// in parallel. Removed once every dependency has a real importer.
package upshift

import (
	_ "github.com/aymanbagabas/go-udiff"
	_ "github.com/dave/dst/decorator"
	_ "github.com/google/pprof/profile"
	_ "github.com/stretchr/testify/assert"
	_ "github.com/tsenart/vegeta/v12/lib"
	_ "golang.org/x/exp/apidiff"
	_ "golang.org/x/mod/modfile"
	_ "golang.org/x/perf/benchfmt"
	_ "golang.org/x/perf/benchmath"
	_ "golang.org/x/sys/unix"
	_ "golang.org/x/term"
	_ "golang.org/x/tools/go/analysis/checker"
	_ "golang.org/x/tools/go/analysis/unitchecker"
	_ "golang.org/x/tools/go/packages"
	_ "golang.org/x/tools/txtar"
)
