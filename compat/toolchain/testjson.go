package toolchain

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
)

// Outcome is the result of one test or package under one toolchain.
type Outcome string

// The outcomes.
const (
	Pass      Outcome = "pass"
	Fail      Outcome = "fail"
	Skip      Outcome = "skip"
	BuildFail Outcome = "build failed"
	// Absent means the test or package did not run on that side.
	Absent Outcome = "absent"
)

// event is one line of `go test -json` (test2json), including the
// build-output and build-fail actions that go1.24 added.
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string
	FailedBuild string
}

// Result holds the outcomes of one `go test -json` run.
type Result struct {
	// Tests maps "pkg\x00Test" to the outcome; Packages maps import paths.
	Tests    map[string]Outcome
	Packages map[string]Outcome
	// Output holds the output of each test and package (build errors
	// included) under the same keys.
	Output map[string]*strings.Builder
}

func testKey(pkg, test string) string { return pkg + "\x00" + test }

// parseTestJSON reads the JSON stream of `go test -json` and, for
// toolchains before go1.24, the stderr where build errors went ("# pkg"
// headers followed by compiler output).
func parseTestJSON(stdout, stderr []byte) *Result {
	r := &Result{Tests: map[string]Outcome{}, Packages: map[string]Outcome{}, Output: map[string]*strings.Builder{}}
	out := func(key string) *strings.Builder {
		b := r.Output[key]
		if b == nil {
			b = &strings.Builder{}
			r.Output[key] = b
		}
		return b
	}
	buildOut := map[string]*strings.Builder{} // by ImportPath "pkg [pkg.test]"
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			continue
		}
		switch e.Action {
		case "build-output":
			b := buildOut[e.ImportPath]
			if b == nil {
				b = &strings.Builder{}
				buildOut[e.ImportPath] = b
			}
			b.WriteString(e.Output)
			continue
		case "build-fail":
			continue
		}
		if e.Package == "" {
			continue
		}
		if e.Test == "" {
			switch e.Action {
			case "output":
				out(e.Package).WriteString(e.Output)
				if strings.Contains(e.Output, "[build failed]") || strings.Contains(e.Output, "[setup failed]") {
					r.Packages[e.Package] = BuildFail
				}
			case "pass", "skip":
				r.Packages[e.Package] = Outcome(e.Action)
			case "fail":
				if e.FailedBuild != "" {
					r.Packages[e.Package] = BuildFail
					if b := buildOut[e.FailedBuild]; b != nil {
						out(e.Package).WriteString(b.String())
					}
				} else if r.Packages[e.Package] != BuildFail {
					r.Packages[e.Package] = Fail
				}
			}
			continue
		}
		key := testKey(e.Package, e.Test)
		switch e.Action {
		case "output":
			out(key).WriteString(e.Output)
		case "pass", "fail", "skip":
			r.Tests[key] = Outcome(e.Action)
		}
	}
	// Before go1.24, build errors are on stderr under "# pkg" or
	// "# pkg [pkg.test]" headers.
	var cur string
	for _, line := range strings.SplitAfter(string(stderr), "\n") {
		if rest, ok := strings.CutPrefix(line, "# "); ok {
			cur, _, _ = strings.Cut(strings.TrimSpace(rest), " ")
			continue
		}
		if cur != "" && r.Packages[cur] == BuildFail && line != "" {
			out(cur).WriteString(line)
		}
	}
	return r
}
