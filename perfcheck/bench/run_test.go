package bench

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/perfcheck/counter"
)

const sampleOutput = `goos: linux
goarch: amd64
pkg: example.com/benchmod
cpu: Some CPU @ 2.00GHz
BenchmarkHash-4          	  300000	      4071 ns/op	       0 B/op	       0 allocs/op
BenchmarkSizes/n=10-4    	 1000000	      13.5 ns/op	      16 B/op	       1 allocs/op	 2.5 widgets/op
BenchmarkRate-4          	 1000000	      10 ns/op	  100.00 MB/s
PASS
`

func TestParseOutput(t *testing.T) {
	rs, cfg, err := parseOutput([]byte(sampleOutput), 4)
	require.NoError(t, err)
	assert.Equal(t, fileConfig{"linux", "amd64", "Some CPU @ 2.00GHz", "example.com/benchmod"}, cfg)
	require.Len(t, rs, 3)
	assert.Equal(t, "Hash", rs[0].name)
	assert.Equal(t, 300000, rs[0].iters)
	assert.Equal(t, []string{"ns/op", "B/op", "allocs/op"}, rs[0].units)
	assert.Equal(t, 4071.0, rs[0].values["ns/op"])
	assert.Equal(t, "Sizes/n=10", rs[1].name, "the GOMAXPROCS suffix goes, sub-benchmark names stay")
	assert.Equal(t, 2.5, rs[1].values["widgets/op"])
	assert.Equal(t, 100.0, rs[2].values["MB/s"], "units stay as the benchmark wrote them")

	// At -test.cpu=1 testing adds no suffix: a trailing number is part
	// of the name.
	rs, _, err = parseOutput([]byte("BenchmarkSizes/n-10 \t 5\t 1 ns/op\n"), 1)
	require.NoError(t, err)
	assert.Equal(t, "Sizes/n-10", rs[0].name)
}

// TestExactPatternSelectsOneBenchmark runs a real test binary: the
// pattern must select exactly one (sub-)benchmark whatever its name holds.
func TestExactPatternSelectsOneBenchmark(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "sub.test")
	cmd := exec.Command("go", "test", "-c", "-o", bin, ".")
	cmd.Dir = "testdata/subbench"
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	for _, name := range []string{"Parse/a+b", "Parse/x_y", "Parse/(paren)", "Parse/n=10", "ParseAll"} {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(bin, "-test.run=^$", "-test.bench="+exactPattern(name), "-test.benchtime=3x", "-test.cpu=1")
			out, err := cmd.Output()
			require.NoError(t, err)
			rs, _, err := parseOutput(out, 1)
			require.NoError(t, err)
			require.Len(t, rs, 1, string(out))
			assert.Equal(t, name, rs[0].name)
			assert.Equal(t, 3, rs[0].iters)
		})
	}
}

func TestCalibrate(t *testing.T) {
	assert.Equal(t, 7143, calibrate(7000, 5e7))
	assert.Equal(t, 1, calibrate(1e9, 5e7))
	assert.Equal(t, int(1e8), calibrate(0.01, 5e7))
	assert.Equal(t, 1000, calibrate(0, 5e7))
	assert.Equal(t, 1000, calibrate(-3, 5e7), "noise can make a tiny benchmark's estimate negative")
}

func TestRunErrors(t *testing.T) {
	ctx := context.Background()
	mod, err := filepath.Abs("testdata/benchmod")
	require.NoError(t, err)

	_, err = Run(ctx, Config{Dir: mod, Base: "base", Head: "head", Bench: "NoSuchBenchmark", Count: 1})
	require.ErrorIs(t, err, ErrNoBenchmarks)

	broken := t.TempDir()
	require.NoError(t, os.CopyFS(broken, os.DirFS("testdata/benchmod/head")))
	require.NoError(t, os.WriteFile(filepath.Join(broken, "broken.go"), []byte("package work\n\nfunc Broken() int { return undefined }\n"), 0o644))
	_, err = Run(ctx, Config{Dir: mod, Base: "base", Head: broken, Count: 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "head")
	assert.Contains(t, err.Error(), "undefined: undefined", "the compiler's output is shown")

	_, err = Run(ctx, Config{Dir: mod, Base: "base", Head: "no-such-dir-or-revision", Count: 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no-such-dir-or-revision")
}

// TestRunTaskClock runs the whole pipeline quickly with the taskclock
// backend (time, not instructions), which works without hardware
// counters.
func TestRunTaskClock(t *testing.T) {
	tc := counter.NewTaskClock()
	if err := tc.Probe(context.Background()); err != nil {
		t.Skipf("task-clock unavailable: %v", err)
	}
	mod, err := filepath.Abs("testdata/benchmod")
	require.NoError(t, err)
	rep, err := Run(context.Background(), Config{
		Dir: mod, Base: "base", Head: "head", Bench: "Hash", Count: 2,
		Backend: tc, Iterations: 2000, BenchTime: "2000x", Threshold: 0.01,
	})
	require.NoError(t, err)
	assert.Equal(t, "taskclock", rep.Backend)
	assert.Equal(t, "task-clock-ns/op", rep.GateUnit)
	units := map[string]bool{}
	for _, c := range rep.Comparisons {
		units[c.Unit] = true
		assert.Equal(t, "Hash", c.Name)
		assert.Equal(t, 2, c.Base.N)
		assert.False(t, c.Significant, "2 runs per side can never be significant")
	}
	assert.True(t, units["task-clock-ns/op"])
	assert.True(t, units["ns/op"])
	assert.True(t, units["allocs/op"])
	assert.Equal(t, map[string]int{"example.com/benchmod.BenchmarkHash": 2000}, rep.Iterations)
}
