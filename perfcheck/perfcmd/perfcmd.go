// Package perfcmd implements `upshift perf`: instruction-count benchmarks
// comparing two versions (bench) and instruction profiles (profile).
package perfcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/perfcheck/bench"
	"github.com/upshift-dev/upshift/perfcheck/capacity"
	"github.com/upshift-dev/upshift/perfcheck/counter"
	"github.com/upshift-dev/upshift/perfcheck/profile"
)

// Subcommand is one `upshift perf` subcommand.
type Subcommand struct {
	// Name is the word after "perf"; Summary is its line in the usage.
	Name    string
	Summary string
	// Run runs the subcommand with the arguments after its name and
	// returns the exit code.
	Run func(ctx context.Context, env command.Env, args []string) int
}

// Subcommands lists the subcommands of `upshift perf`, in usage order.
// Subcommands of other perfcheck areas are added to this list; Main and
// the usage text pick them up from here.
func Subcommands() []Subcommand {
	return []Subcommand{
		{"bench", "compare benchmarks of two versions by instructions/op", Bench},
		{"profile", "record an instruction-count profile of a command (pprof)", Profile},
		{"capacity", "compare the capacity (max sustainable req/s) of two versions of a service", Capacity},
	}
}

// Main runs `upshift perf <subcommand> ...`; args exclude "perf".
func Main(ctx context.Context, env command.Env, args []string) int {
	subs := Subcommands()
	if len(args) == 0 {
		usage(env.Stderr, subs)
		return command.ExitError
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(env.Stdout, subs)
		return command.ExitOK
	}
	for _, s := range subs {
		if s.Name == args[0] {
			return s.Run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "upshift perf: unknown subcommand %q\n\n", args[0])
	usage(env.Stderr, subs)
	return command.ExitError
}

func usage(w io.Writer, subs []Subcommand) {
	fmt.Fprintln(w, "usage: upshift perf <subcommand> [flags] [arguments]")
	fmt.Fprintln(w, "\nSubcommands:")
	for _, s := range subs {
		fmt.Fprintf(w, "  %-9s %s\n", s.Name, s.Summary)
	}
	fmt.Fprintln(w, "\nRun 'upshift perf <subcommand> -h' for flags and examples.")
}

const benchUsage = `usage: upshift perf bench -base REV|DIR -head REV|DIR [flags] [packages]

Builds the benchmarks of both versions (a revision is exported to a
temporary directory; your checkout is never touched), runs them
interleaved (base, head, base, head, ...) in fresh processes, and measures
instructions/op with a counter backend next to ns/op, B/op and allocs/op.
Instructions/op is the difference between counted runs of 2 and N+2
iterations, divided by N, so start-up and setup cancel out.

The comparison is benchstat's (medians, confidence intervals, Mann-Whitney
U) with a Holm-Bonferroni correction across benchmarks; a regression counts
only when the confidence bound of the change is beyond -threshold.

Exit status: 0 no significant regression beyond the threshold, 1 a
regression, 2 an error (build failure, no benchmarks matched, ...).

Examples:
  upshift perf bench -base main -head HEAD ./...
  upshift perf bench -base v1.4.0 -head . -bench 'Parse|Encode' -threshold 2% -o bench.txt
  benchstat -col side bench.txt

Flags:
`

// Bench runs `upshift perf bench`.
func Bench(ctx context.Context, env command.Env, args []string) int {
	fs := flag.NewFlagSet("upshift perf bench", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	base := fs.String("base", "", "base version: git revision or directory (required)")
	head := fs.String("head", "", "head version: git revision or directory (required)")
	re := fs.String("bench", ".", "run only benchmarks matching this regexp (like go test -bench)")
	count := fs.Int("count", bench.DefaultCount, "rounds: samples per side (>= 6 for confidence intervals, 10 recommended)")
	threshold := fs.String("threshold", "1%", "tolerated regression of the gated unit, in percent")
	backendName := fs.String("backend", counter.AutoName, "instruction counter: auto, pmu, valgrind, taskclock (time, not instructions) or none (ns/op only)")
	format := fs.String("format", "text", "output format: text or json")
	out := fs.String("o", "", "also write all measurements in Go benchmark format to this file (benchstat -col side FILE)")
	iters := fs.Int("iterations", 0, "N: instructions/op = (count(N+2 iterations) - count(2 iterations)) / N (0: calibrate N so the difference is about 1e8 instructions)")
	benchtime := fs.String("benchtime", bench.DefaultBenchTime, "-test.benchtime of the native runs for ns/op, B/op and allocs/op")
	gc := fs.Bool("gc", false, "keep the garbage collector on in counted runs (counts include GC work, and vary more)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), benchUsage)
		fs.PrintDefaults()
	}
	if code, done := parse(fs, args); done {
		return code
	}
	if *base == "" || *head == "" {
		return env.Errorf("perf bench", "-base and -head are required (git revisions or directories)")
	}
	th, err := parseThreshold(*threshold)
	if err != nil {
		return env.Errorf("perf bench", "-threshold: %v", err)
	}
	if *format != "text" && *format != "json" {
		return env.Errorf("perf bench", "-format must be text or json, not %q", *format)
	}
	if *count < 1 {
		return env.Errorf("perf bench", "-count must be at least 1")
	}
	cfg := bench.Config{
		Dir: env.Dir, Base: *base, Head: *head, Packages: fs.Args(), Bench: *re,
		Count: *count, Threshold: th, Iterations: *iters, BenchTime: *benchtime, GC: *gc,
	}
	if env.Progress {
		cfg.Progress = env.Stderr
	}
	if *backendName != "none" {
		b, tried, err := counter.Select(ctx, *backendName)
		if err != nil {
			return env.Errorf("perf bench", "%v", err)
		}
		if env.Progress {
			for _, t := range tried {
				if t.Err != nil {
					fmt.Fprintf(env.Stderr, "upshift perf bench: backend %s unavailable: %v\n", t.Backend, t.Err)
				}
			}
		}
		cfg.Backend = b
	}
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		return env.Errorf("perf bench", "%v", err)
	}
	if *out != "" {
		if err := writeFile(abs(env, *out), rep.WriteBenchfmt); err != nil {
			return env.Errorf("perf bench", "%v", err)
		}
	}
	if *format == "json" {
		err = rep.WriteJSON(env.Stdout)
	} else {
		err = rep.WriteText(env.Stdout)
	}
	if err != nil {
		return env.Errorf("perf bench", "%v", err)
	}
	if rep.Regressions > 0 {
		return command.ExitFindings
	}
	return command.ExitOK
}

const profileUsage = `usage: upshift perf profile [-o FILE] [-window] [-gc] -- CMD ARGS...

Runs CMD under valgrind callgrind and writes its instructions by function
and source line as a pprof profile (sample type instructions/count):

  go tool pprof -top FILE

Counts do not depend on the machine's speed or load. The profile is flat
(cum equals flat). The command runs with GOMAXPROCS=1, without async
preemption and without ASLR, for reproducible counts.

Examples:
  upshift perf profile -o server.pprof -- ./server -load testdata/requests
  upshift perf profile -window -- go run ./cmd/replay   # only clientreq windows

With "go run [build flags] PKG ARGS", the program is built first (its
compile errors are shown) and the built program is profiled, not the go
command.

Flags:
`

// Profile runs `upshift perf profile`.
func Profile(ctx context.Context, env command.Env, args []string) int {
	fs := flag.NewFlagSet("upshift perf profile", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	out := fs.String("o", "instructions.pprof", "write the profile to this file")
	window := fs.Bool("window", false, "count only what the command brackets with perfcheck/counter/clientreq windows")
	gc := fs.Bool("gc", true, "leave the garbage collector on (-gc=false sets GOGC=off)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), profileUsage)
		fs.PrintDefaults()
	}
	if code, done := parse(fs, args); done {
		return code
	}
	argv := fs.Args()
	if len(argv) == 0 {
		return env.Errorf("perf profile", "no command given: upshift perf profile [flags] -- CMD ARGS...")
	}
	if gr, ok := parseGoRun(argv); ok {
		// Profile the program go run would start, not the go command:
		// build it first, with the build's errors shown as they are.
		goCmd, err := exec.LookPath(argv[0])
		if err != nil {
			return env.Errorf("perf profile", "command %q: %v", argv[0], err)
		}
		tmp, err := os.MkdirTemp("", "upshift-profile-build-")
		if err != nil {
			return env.Errorf("perf profile", "%v", err)
		}
		defer os.RemoveAll(tmp)
		bin, err := gr.build(ctx, goCmd, env.Dir, tmp)
		if err != nil {
			return env.Errorf("perf profile", "%v", err)
		}
		argv = append([]string{bin}, gr.args...)
	}
	path := argv[0]
	if strings.Contains(path, "/") {
		path = abs(env, path)
	} else if p, err := exec.LookPath(path); err == nil {
		path = p
	} else {
		return env.Errorf("perf profile", "command %q: %v", argv[0], err)
	}
	environ := os.Environ()
	if !*gc {
		environ = counter.MergeEnv(environ, "GOGC=off")
	}
	c := counter.Command{Path: path, Args: argv[1:], Env: environ, Dir: env.Dir, Stdin: env.Stdin, Stdout: env.Stdout, Stderr: env.Stderr}
	res, runErr := profile.Record(ctx, c, profile.Options{Windowed: *window})
	if res == nil {
		return env.Errorf("perf profile", "%v", runErr)
	}
	file := abs(env, *out)
	if err := writeFile(file, res.Profile.Write); err != nil {
		return env.Errorf("perf profile", "%v", err)
	}
	summarize(env.Stderr, res, file, *window)
	if runErr != nil {
		return env.Errorf("perf profile", "%v (profile written anyway)", runErr)
	}
	return command.ExitOK
}

// summarize prints the total and the top functions, so the user sees a
// result without opening pprof.
func summarize(w io.Writer, res *profile.Result, file string, window bool) {
	byFunc := map[string]int64{}
	var total int64
	for _, s := range res.Profile.Sample {
		for _, l := range s.Location[0].Line {
			byFunc[l.Function.Name] += s.Value[0]
		}
		total += s.Value[0]
	}
	names := make([]string, 0, len(byFunc))
	for n := range byFunc {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if byFunc[names[i]] != byFunc[names[j]] {
			return byFunc[names[i]] > byFunc[names[j]]
		}
		return names[i] < names[j]
	})
	fmt.Fprintf(w, "upshift perf profile: %d instructions (backend valgrind callgrind), written to %s\n", total, file)
	if total == 0 && window {
		fmt.Fprintln(w, "  note: nothing was counted: with -window only code inside clientreq windows counts")
	}
	for _, n := range res.Reading.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	for i, n := range names {
		if i == 10 {
			break
		}
		fmt.Fprintf(w, "  %6.2f%%  %14d  %s\n", 100*float64(byFunc[n])/float64(max(total, 1)), byFunc[n], n)
	}
	fmt.Fprintf(w, "open it with: go tool pprof -top %s\n", file)
}

// parse parses flags; done is true when the command is over (-h or a bad
// flag).
func parse(fs *flag.FlagSet, args []string) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return command.ExitOK, true
	case err != nil:
		return command.ExitError, true
	}
	return 0, false
}

// parseThreshold parses -threshold and the other percentages, as
// capacity.Settings does its own.
func parseThreshold(s string) (float64, error) { return capacity.ParsePercent(s) }

func abs(env command.Env, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(env.Dir, p)
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
