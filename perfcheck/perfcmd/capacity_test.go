package perfcmd

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/upshift-dev/upshift/internal/command"
)

func TestCapacityFlags(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := run(t, dir, "-h")
	assert.Equal(t, command.ExitOK, code)
	assert.Contains(t, out, "capacity")

	code, _, errs := run(t, dir, "capacity", "-h")
	assert.Equal(t, command.ExitOK, code)
	for _, w := range []string{"Examples:", "-slo", "-mem", "-cpus", "-report", "Exit status", "INCONCLUSIVE", "-trials", "-traffic"} {
		assert.Contains(t, errs, w)
	}

	ok := []string{"capacity", "-base", "a", "-head", "b", "-pkg", "."}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"capacity", "-head", "b", "-pkg", "."}, "-base, -head and -pkg are required"},
		{[]string{"capacity", "-base", "a", "-head", "b"}, "-base, -head and -pkg are required"},
		{append(ok, "-slo", "p50=10ms"), `-slo: only the p99 latency can be gated`},
		{append(ok, "-slo", "p99=soon"), `-slo: want p99=DUR`},
		{append(ok, "-mem", "lots"), `-mem: want a positive size`},
		{append(ok, "-mem", "100KiB"), `-mem: size "100KiB" is below 1MiB`},
		{append(ok, "-target", "more"), `-target: want a percentage change`},
		{append(ok, "-cpus", "0"), "-cpus must be at least 1"},
		{append(ok, "-duration", "10ms"), "-duration must be at least 500ms"},
		{append(ok, "-path", "items"), `-path "items" must start with /`},
		{append(ok, "-metrics", "metrics"), `-metrics "metrics" must start with /`},
		{append(ok, "-format", "xml"), "-format must be text or json"},
		{append(ok, "-report", "chart.png"), "want a .html or .svg file"},
		{append(ok, "-backend", "pmu"), "not supported by perf capacity"},
		{append(ok, "-backend", "abacus"), `unknown backend "abacus"`},
		{append(ok, "-tolerance", "0%"), "-tolerance"},
		{append(ok, "-start-rate", "500", "-max-rate", "100"), "-start-rate must be positive and at most -max-rate"},
		{append(ok, "extra"), "unexpected arguments"},
		{append(ok, "-traffic", "nosuch.jsonl"), "-traffic: open"},
		{append(ok, "-trials", "0"), "-trials must be between 1 and 50"},
		{append(ok, "-confidence", "40%"), "-confidence: want a percentage from 50% to 99.9%"},
		{append(ok, "-nosuchflag"), "nosuchflag"},
	}
	for _, tc := range cases {
		code, _, errs := run(t, dir, tc.args...)
		assert.Equal(t, command.ExitError, code, "%v", tc.args)
		assert.Contains(t, errs, tc.want, "%v", tc.args)
	}
}

// A version that does not exist is an error (exit 2) before anything is
// built or started.
func TestCapacityBadVersion(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := run(t, dir, "capacity", "-backend", "none", "-base", filepath.Join(dir, "nope"), "-head", dir, "-pkg", ".")
	assert.Equal(t, command.ExitError, code)
	assert.Contains(t, errs, "base")
	assert.Contains(t, errs, "nope")
}

// A service that exits at start-up is exit 2, with its last output.
func TestCapacityCrashingService(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts services")
	}
	svc, err := filepath.Abs("../capacity/testdata/svc")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, svc, "capacity", "-backend", "none", "-base", "base", "-head", "crash", "-pkg", ".", "-path", "/work", "-ready-timeout", "5s")
	assert.Equal(t, command.ExitError, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, "head service exit status 3")
	assert.Contains(t, errs, "catalog: loading config.txt: no such file or directory")
}
