package migratecmd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
)

// Outcome values of a test.
const (
	pass = "pass"
	fail = "fail"
	skip = "skip"
)

// Tests is the outcome of one go test run: by test ("pkg TestName", with
// subtests as "pkg TestName/sub"), and by package for packages that failed
// without a failing test (a build failure, a panic in TestMain) as
// "pkg [package]".
type Tests struct {
	Outcome map[string]string
	// Output holds the last lines printed by each failing test.
	Output map[string]string
}

// Failing returns the failing tests, sorted.
func (t Tests) Failing() []string {
	var out []string
	for k, v := range t.Outcome {
		if v == fail {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Count returns the number of tests with outcome o.
func (t Tests) Count(o string) int {
	n := 0
	for _, v := range t.Outcome {
		if v == o {
			n++
		}
	}
	return n
}

// NewFailures returns the tests failing in t that did not fail in the
// baseline: the only failures a stage is blamed for.
func (t Tests) NewFailures(baseline map[string]bool) []string {
	var out []string
	for _, k := range t.Failing() {
		if !baseline[k] {
			out = append(out, k)
		}
	}
	return out
}

// goEnv is the environment of the go commands the migration runs: no
// workspace (the module alone is migrated) and the local toolchain (no
// download in the middle of a stage).
func goEnv() []string {
	return append(os.Environ(), goEnvExtra...)
}

// goEnvExtra is what goEnv sets on top of this process's environment.
var goEnvExtra = []string{"GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod"}

// goBuild builds every package of patterns; the error holds the output.
func goBuild(ctx context.Context, dir string, patterns []string) error {
	cmd := exec.CommandContext(ctx, "go", append([]string{"build"}, patterns...)...)
	cmd.Dir = dir
	cmd.Env = goEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build %s: %v\n%s", strings.Join(patterns, " "), err, tailLines(string(out), 20))
	}
	return nil
}

// runTests runs go test -json over patterns in dir and collects each
// test's outcome. Failing tests are not an error; output that is not
// go test's JSON is.
func runTests(ctx context.Context, dir string, patterns []string, short bool) (Tests, error) {
	return runTestsArgs(ctx, dir, nil, patterns, short)
}

// runTestsArgs is runTests with further go test flags.
func runTestsArgs(ctx context.Context, dir string, flags, patterns []string, short bool) (Tests, error) {
	args := append([]string{"test", "-json"}, flags...)
	if short {
		args = append(args, "-short")
	}
	cmd := exec.CommandContext(ctx, "go", append(args, patterns...)...)
	cmd.Dir = dir
	cmd.Env = goEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	if ctx.Err() != nil {
		return Tests{}, ctx.Err()
	}
	t, err := parseTestJSON(out)
	if err != nil {
		return Tests{}, err
	}
	// Build errors go to stderr as text when GODEBUG gotestjsonbuildtext=1
	// (the neutral bump pins it) or with toolchains before go1.24.
	t.addBuildText(stderr.String())
	if len(t.Outcome) == 0 && runErr != nil {
		return Tests{}, fmt.Errorf("go test %s: %v\n%s", strings.Join(patterns, " "), runErr, tailLines(stderr.String(), 20))
	}
	return t, nil
}

// testEvent is one line of go test -json (cmd/test2json). Build output
// (Action build-output) names the package being built in ImportPath.
type testEvent struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
}

// builtPackage names the package whose test build an ID of the go
// command's build output belongs to: "p [p.test]", "p_test [p.test]",
// "[p]" (a vet step), "p.test" and "p_test" are all package p.
func builtPackage(id string) string {
	id = strings.TrimSpace(id)
	if i := strings.Index(id, " ["); i >= 0 {
		return strings.TrimSuffix(strings.TrimSuffix(id[i+2:], "]"), ".test")
	}
	if strings.HasPrefix(id, "[") {
		id = strings.TrimSuffix(strings.TrimPrefix(id, "["), "]")
	}
	return strings.TrimSuffix(strings.TrimSuffix(id, ".test"), "_test")
}

// addBuildText puts the go command's build errors printed as text (a "#
// pkg" line, then the errors) in front of the output of packages that
// failed without a failing test.
func (t Tests) addBuildText(stderr string) {
	byPkg := map[string]*strings.Builder{}
	var cur *strings.Builder
	for _, line := range strings.Split(stderr, "\n") {
		if rest, ok := strings.CutPrefix(line, "# "); ok {
			pkg := builtPackage(rest)
			if byPkg[pkg] == nil {
				byPkg[pkg] = &strings.Builder{}
			}
			cur = byPkg[pkg]
			continue
		}
		if cur != nil && strings.TrimSpace(line) != "" {
			cur.WriteString(line + "\n")
		}
	}
	for pkg, b := range byPkg {
		key := pkg + " [package]"
		if t.Outcome[key] == fail {
			t.Output[key] = tailLines(b.String()+t.Output[key], 12)
		}
	}
}

// parseTestJSON reads go test -json output.
func parseTestJSON(data []byte) (Tests, error) {
	t := Tests{Outcome: map[string]string{}, Output: map[string]string{}}
	output := map[string]*strings.Builder{}
	failedTest := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue // build output printed as text by older toolchains
		}
		var e testEvent
		if err := json.Unmarshal(line, &e); err != nil {
			return Tests{}, fmt.Errorf("reading go test -json output: %v: %s", err, line)
		}
		key := e.Package + " " + e.Test
		switch {
		case e.Action == "build-output":
			key = builtPackage(e.ImportPath) + " [package]"
		case e.Test == "":
			key = e.Package + " [package]"
		}
		switch e.Action {
		case "output", "build-output":
			b := output[key]
			if b == nil {
				b = &strings.Builder{}
				output[key] = b
			}
			b.WriteString(e.Output)
		case pass, skip:
			if e.Test != "" {
				t.Outcome[key] = e.Action
			}
		case fail:
			if e.Test != "" {
				t.Outcome[key] = fail
				failedTest[e.Package] = true
			} else if !failedTest[e.Package] {
				t.Outcome[key] = fail
			}
		}
	}
	if err := sc.Err(); err != nil {
		return Tests{}, err
	}
	for k, v := range t.Outcome {
		if v == fail {
			if b := output[k]; b != nil {
				t.Output[k] = tailLines(b.String(), 12)
			}
		}
	}
	return t, nil
}

func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
