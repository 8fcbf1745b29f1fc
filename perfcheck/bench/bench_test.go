package bench

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/perfcheck/counter"
)

// These benchmarks measure the measurement: run them with -benchtime=1x.
//
//	go test -run '^$' -bench 'InstructionVariation|SmallestDetected' -benchtime 1x -timeout 3h ./perfcheck/bench
//
// Each perf bench run takes minutes; select variants with a sub-benchmark
// pattern such as -bench 'SmallestDetected/gc=false/extra=0\.[12]%'.

func valgrindOrSkip(b *testing.B) *counter.Valgrind {
	v := &counter.Valgrind{}
	if err := v.Probe(context.Background()); err != nil {
		b.Skipf("valgrind backend unavailable, skipping: %v", err)
	}
	return v
}

// BenchmarkInstructionVariation counts one benchmark of the testdata
// module 10 times under valgrind, as perf bench does (runs of 2 and N+2
// iterations, N calibrated to about 1e8 instructions), and reports the
// coefficient of variation of instructions/op, with GC off and on.
// Goals: below 0.1% with GC off, below 1% with GC on.
func BenchmarkInstructionVariation(b *testing.B) {
	v := valgrindOrSkip(b)
	ctx := context.Background()
	dir, err := filepath.Abs("testdata/benchmod/base")
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(b.TempDir(), "base.test")
	cmd := exec.Command("go", "test", "-c", "-o", bin, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	tb := &testBinary{importPath: "example.com/benchmod", dir: dir, path: bin}
	s := &side{label: "base", spec: dir}
	for _, name := range []string{"Hash", "Format", "Buffer"} {
		for _, gc := range []bool{false, true} {
			b.Run(fmt.Sprintf("bench=%s/gc=%v", name, gc), func(b *testing.B) {
				r := &runner{cfg: Config{GC: gc}, backend: v, procs: 1}
				per, _, err := r.countPerOp(ctx, s, tb, name, 1000)
				if err != nil {
					b.Fatal(err)
				}
				n := calibrate(per[counter.EventInstructions], calibrationCount)
				for range b.N {
					var xs []float64
					for range 10 {
						per, _, err := r.countPerOp(ctx, s, tb, name, n)
						if err != nil {
							b.Fatal(err)
						}
						xs = append(xs, per[counter.EventInstructions])
					}
					mean, sd := meanStddev(xs)
					b.ReportMetric(100*sd/mean, "cv-%")
					b.ReportMetric(mean, "instructions/op")
					b.ReportMetric(float64(n), "N")
					b.Logf("%s gc=%v N=%d instructions/op: %s", name, gc, n, formatAll(xs))
				}
			})
		}
	}
}

// BenchmarkSmallestDetectedRegression runs perf bench (10 rounds,
// valgrind) between the testdata module and variants that do 0.1% to 2%
// more hashing rounds, and reports whether each regression was
// significant after Holm-Bonferroni (significant=1) and whether the
// confidence bound of the change is above zero (gated=1, i.e. a
// regression at -threshold 0%).
func BenchmarkSmallestDetectedRegression(b *testing.B) {
	v := valgrindOrSkip(b)
	base, err := filepath.Abs("testdata/benchmod/base")
	if err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(base, "work.go"))
	if err != nil {
		b.Fatal(err)
	}
	for _, gc := range []bool{false, true} {
		for _, extra := range []int{1, 2, 3, 5, 10, 20} {
			b.Run(fmt.Sprintf("gc=%v/extra=%.1f%%", gc, float64(extra)/10), func(b *testing.B) {
				head := b.TempDir()
				if err := os.CopyFS(head, os.DirFS(base)); err != nil {
					b.Fatal(err)
				}
				variant := strings.Replace(string(src), "const Rounds = 1000", fmt.Sprintf("const Rounds = %d", 1000+extra), 1)
				if err := os.WriteFile(filepath.Join(head, "work.go"), []byte(variant), 0o644); err != nil {
					b.Fatal(err)
				}
				for range b.N {
					rep, err := Run(context.Background(), Config{
						Dir: base, Base: base, Head: head, Bench: "^BenchmarkHash$", Count: 10,
						Threshold: 0, Backend: v, GC: gc,
					})
					if err != nil {
						b.Fatal(err)
					}
					for _, c := range rep.Comparisons {
						if c.Unit != "instructions/op" {
							continue
						}
						b.ReportMetric(boolMetric(c.Significant), "significant")
						b.ReportMetric(boolMetric(c.Regression), "gated")
						b.ReportMetric(100*c.Delta, "delta-%")
						b.ReportMetric(100*c.DeltaLo, "bound-%")
						b.Logf("extra %.1f%% gc=%v: delta %+.3f%% [%+.3f%%, %+.3f%%] p(Holm)=%.2g", float64(extra)/10, gc, 100*c.Delta, 100*c.DeltaLo, 100*c.DeltaHi, c.PAdjusted)
					}
				}
			})
		}
	}
}

func boolMetric(v bool) float64 {
	if v {
		return 1
	}
	return 0
}

func meanStddev(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}

func formatAll(xs []float64) string {
	var parts []string
	for _, x := range xs {
		parts = append(parts, fmt.Sprintf("%.2f", x))
	}
	return strings.Join(parts, " ")
}
