package counter

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Valgrind tools the backend can run.
const (
	Cachegrind = "cachegrind"
	Callgrind  = "callgrind"
)

// valgrindGODEBUG are the runtime settings without which Go programs are
// not reliably counted under valgrind: asynchronous preemption signals
// crash callgrind intermittently, and valgrind 3.19 does not implement
// RDTSCP, which the runtime's cputicks uses when CPUID advertises it
// (SIGILL under lock contention).
var valgrindGODEBUG = []string{"asyncpreemptoff=1", "cpu.rdtscp=off"}

// Valgrind is the valgrind backend: it counts the instructions (Ir) a
// child process executes. Counts are exact and reproducible when the
// child's work is deterministic: ASLR is switched off with setarch -R,
// GOMAXPROCS=1 keeps idle scheduler threads from spinning, and the
// settings in valgrindGODEBUG are forced. GOGC is left to the caller:
// GOGC=off gives the most stable counts.
type Valgrind struct {
	// Tool is Cachegrind (the default; the cheapest way to count) or
	// Callgrind (needed for measurement windows and profiles).
	Tool string
	// Windowed counts only what the child brackets with the client
	// requests of package clientreq; it implies Callgrind. Where the
	// requests are not implemented (GOARCH other than amd64) the whole
	// process is counted and the Reading says so.
	Windowed bool
	// OutDir keeps the tool's output files, named <tool>.out.<pid>, in
	// this directory. When empty they go to a temporary directory that
	// is removed.
	OutDir string
	// ExtraArgs are passed to valgrind before the program.
	ExtraArgs []string

	version string
}

// Name implements Backend.
func (v *Valgrind) Name() string { return ValgrindName }

// Events implements Backend.
func (v *Valgrind) Events() []Event { return []Event{EventInstructions} }

// Describe implements Backend.
func (v *Valgrind) Describe() string {
	ver := v.version
	if ver == "" {
		ver = "valgrind"
	}
	return fmt.Sprintf("%s %s --cache-sim=no, instructions (Ir) of the whole process; setarch -R, GOMAXPROCS=1, GODEBUG=%s", ver, v.tool(), strings.Join(valgrindGODEBUG, ","))
}

func (v *Valgrind) tool() string {
	if v.Windowed || v.Tool == Callgrind {
		return Callgrind
	}
	return Cachegrind
}

// Probe implements Backend: valgrind must be on PATH and run.
func (v *Valgrind) Probe(ctx context.Context) error {
	path, err := exec.LookPath("valgrind")
	if err != nil {
		return fmt.Errorf("%w: valgrind is not installed (apt-get install valgrind): %v", ErrUnavailable, err)
	}
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return fmt.Errorf("%w: %s --version: %v", ErrUnavailable, path, err)
	}
	v.version = strings.TrimSpace(string(out))
	return nil
}

// Run implements Backend.
func (v *Valgrind) Run(ctx context.Context, c Command) (Reading, error) {
	r := Reading{Backend: ValgrindName}
	tool := v.tool()
	windowed := v.Windowed
	if windowed && !WindowsSupported() {
		windowed = false
		r.Notes = append(r.Notes, fmt.Sprintf("measurement windows are not implemented on GOARCH=%s: counted the whole process", runtime.GOARCH))
	}
	outDir := v.OutDir
	if outDir == "" {
		tmp, err := os.MkdirTemp("", "upshift-valgrind-")
		if err != nil {
			return Reading{}, fmt.Errorf("valgrind: %w", err)
		}
		defer os.RemoveAll(tmp)
		outDir = tmp
	}
	logFile := filepath.Join(outDir, tool+".log")
	args := []string{
		"--tool=" + tool,
		"--log-file=" + logFile,
		fmt.Sprintf("--%s-out-file=%s", tool, filepath.Join(outDir, tool+".out.%p")),
		"--cache-sim=no",
	}
	if windowed {
		args = append(args, "--instr-atstart=no")
	}
	args = append(args, v.ExtraArgs...)
	args = append(args, c.Path)
	args = append(args, c.Args...)

	prog, err := exec.LookPath("valgrind")
	if err != nil {
		return Reading{}, fmt.Errorf("%w: valgrind is not installed: %v", ErrUnavailable, err)
	}
	if setarch, err := exec.LookPath("setarch"); err == nil {
		args = append([]string{machine(), "-R", prog}, args...)
		prog = setarch
	} else {
		r.Notes = append(r.Notes, "setarch not found: ASLR stays on, counts vary more")
	}
	env := MergeEnv(c.Env, "GOMAXPROCS=1")
	env = AddGODEBUG(env, valgrindGODEBUG...)

	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env, cmd.Dir = env, c.Dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Stdin, c.Stdout, c.Stderr
	if err := cmd.Run(); err != nil {
		return Reading{}, fmt.Errorf("running %s under valgrind %s: %w%s", c.Path, tool, err, logTail(logFile))
	}
	files, err := filepath.Glob(filepath.Join(outDir, tool+".out.*"))
	if err != nil || len(files) == 0 {
		return Reading{}, fmt.Errorf("valgrind %s wrote no output file in %s%s", tool, outDir, logTail(logFile))
	}
	var total uint64
	for _, f := range files {
		n, err := ReadValgrindTotal(f)
		if err != nil {
			return Reading{}, err
		}
		total += n
	}
	r.Counts = []Count{{Event: EventInstructions, Value: float64(total), Raw: total}}
	return r, nil
}

// WindowsSupported reports whether this build can issue the valgrind
// client requests that delimit measurement windows.
func WindowsSupported() bool { return runtime.GOARCH == "amd64" }

// ReadValgrindTotal returns the total instruction count (Ir) recorded in
// a cachegrind or callgrind output file.
func ReadValgrindTotal(path string) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("reading valgrind output: %w", err)
	}
	defer f.Close()
	col := -1
	var summary, totals string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "events:"):
			col = -1
			for i, e := range strings.Fields(strings.TrimPrefix(line, "events:")) {
				if e == "Ir" {
					col = i
				}
			}
		case strings.HasPrefix(line, "summary:"):
			summary = strings.TrimPrefix(line, "summary:")
		case strings.HasPrefix(line, "totals:"):
			totals = strings.TrimPrefix(line, "totals:")
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("reading valgrind output %s: %w", path, err)
	}
	if col < 0 {
		return 0, fmt.Errorf("valgrind output %s: no Ir event in its events: line", path)
	}
	line := totals
	if line == "" {
		line = summary
	}
	fields := strings.Fields(line)
	if col >= len(fields) {
		return 0, fmt.Errorf("valgrind output %s: no summary or totals line", path)
	}
	n, err := strconv.ParseUint(fields[col], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("valgrind output %s: bad total %q: %w", path, fields[col], err)
	}
	return n, nil
}

func machine() string {
	out, err := exec.Command("uname", "-m").Output()
	if err != nil {
		return runtime.GOARCH
	}
	return strings.TrimSpace(string(out))
}

// logTail returns the last lines of valgrind's log, to explain a failure.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return ""
	}
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return "\nvalgrind log (tail):\n" + string(bytes.Join(lines, []byte("\n")))
}

// MergeEnv returns env with each KEY=value of set replacing any earlier
// setting of KEY.
func MergeEnv(env []string, set ...string) []string {
	out := make([]string, 0, len(env)+len(set))
	drop := map[string]bool{}
	for _, kv := range set {
		k, _, _ := strings.Cut(kv, "=")
		drop[k] = true
	}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] {
			out = append(out, kv)
		}
	}
	return append(out, set...)
}

// AddGODEBUG returns env with settings appended to GODEBUG, after any the
// caller had, so that they take precedence.
func AddGODEBUG(env []string, settings ...string) []string {
	var have []string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GODEBUG="); ok && v != "" {
			have = append(have, v)
		}
	}
	return MergeEnv(env, "GODEBUG="+strings.Join(append(have, settings...), ","))
}
