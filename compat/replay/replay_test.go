package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/internal/command"
)

func run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	env := command.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Dir: dir}
	code := Main(context.Background(), env, args)
	return code, out.String(), errs.String()
}

func needServices(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and starts services")
	}
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("starts services with process groups on unix")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// The test pair: head renames a field and prints a number another way
// (both reported), stops sorting a list (order-only); the timestamp,
// random ID and map-ordered list both versions have are noise.
func TestReplayPair(t *testing.T) {
	dir := needServices(t)
	code, out, errs := run(t, dir, "-base", "svc/base", "-head", "svc/head", "-pkg", ".", "-traffic", "traffic.jsonl", "-format", "json")
	if code != command.ExitFindings {
		t.Fatalf("exit %d, want 1; stderr:\n%s\nstdout:\n%s", code, errs, out)
	}
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not the JSON report: %v\n%s", err, out)
	}
	var diffs, noise []string
	for _, d := range rep.Differences {
		diffs = append(diffs, d.Endpoint+" "+d.Path+" "+string(d.Kind))
	}
	for _, n := range rep.Noise {
		noise = append(noise, n.Endpoint+" "+n.Path+" "+string(n.Kind))
	}
	wantDiffs := []string{
		"GET /tags $ order",
		"GET /user $.balance number-format",
		"GET /user $.full_name renamed",
	}
	if !slices.Equal(diffs, wantDiffs) {
		t.Errorf("differences:\n%s\nwant:\n%s", strings.Join(diffs, "\n"), strings.Join(wantDiffs, "\n"))
	}
	// The request ID and timestamp differ in every request; the roles'
	// map order differs in most (a 6-element map has few orders), and
	// with 11 requests the chance that it never did is below 1e-9.
	wantNoise := []string{
		"GET /user $.request_id value",
		"GET /user $.roles order",
		"GET /user $.served_at value",
	}
	if !slices.Equal(noise, wantNoise) {
		t.Errorf("noise:\n%s\nwant:\n%s", strings.Join(noise, "\n"), strings.Join(wantNoise, "\n"))
	}
	if rep.Requests != 18 || rep.Endpoints["GET /user"] != 11 {
		t.Errorf("requests %d, endpoints %v", rep.Requests, rep.Endpoints)
	}
	for _, d := range rep.Differences {
		switch d.Kind {
		case KindNumberFormat:
			if d.Base != "1250000" || d.Head != "1.25e+06" || d.Example != "/user?id=1" || d.Count != 10 || d.Of != 11 {
				t.Errorf("number-format difference %+v", d)
			}
		case KindOrder:
			if !strings.Contains(d.Hint, "maporder") {
				t.Errorf("order difference without the maporder hint: %+v", d)
			}
		}
	}

	// The same report as text and HTML.
	var text, page bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"3 differences", "$.full_name  renamed", `head: "fullName"`, "Noise (the two base copies disagree", "$.served_at"} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("text lacks %q:\n%s", w, text.String())
		}
	}
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "<code>$.balance</code>") {
		t.Errorf("HTML lacks the balance row")
	}
}

// A head that dies mid-replay is an error (exit 2) with its last output.
func TestReplayCrash(t *testing.T) {
	dir := needServices(t)
	code, out, errs := run(t, dir, "-base", "svc/base", "-head", "svc/crash", "-pkg", ".", "-traffic", "traffic.jsonl")
	if code != command.ExitError || out != "" {
		t.Fatalf("exit %d, stdout %q; want 2 and nothing", code, out)
	}
	for _, w := range []string{"request 1 (GET /user?id=1)", "head service exit status 3", "nil pointer dereference loading the profile"} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
}

func TestReplayFlags(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "t.jsonl")
	os.WriteFile(good, []byte(`{"method":"GET","url":"/"}`+"\n"), 0o644)
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"method":"GET","url":"/"}`+"\n"+`{"method":"GET","url":"http://example.com/x"}`+"\n"), 0o644)

	code, _, errs := run(t, dir, "-h")
	if code != command.ExitOK || !strings.Contains(errs, "Exit status") || !strings.Contains(errs, "Examples:") {
		t.Errorf("-h: exit %d\n%s", code, errs)
	}
	ok := []string{"-base", "a", "-head", "b", "-pkg", "."}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-base", "a", "-head", "b", "-pkg", "."}, "-base, -head, -pkg and -traffic are required"},
		{append(ok, "-traffic", good, "-format", "xml"), "-format must be text, json or html"},
		{append(ok, "-traffic", good, "-concurrency", "0"), "-concurrency must be at least 1"},
		{append(ok, "-traffic", good, "extra"), "unexpected arguments"},
		{append(ok, "-traffic", filepath.Join(dir, "missing.jsonl")), "missing.jsonl: no such file"},
		{append(ok, "-traffic", bad), "bad.jsonl:2: url \"http://example.com/x\" must be a path starting with /"},
		{append(ok, "-traffic", good, "-max-requests", "0"), "-max-requests must be at least 1"},
		{append(ok, "-traffic", good), "base: version \"a\""},
	}
	for _, tc := range cases {
		code, out, errs := run(t, dir, tc.args...)
		if code != command.ExitError || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, errs, tc.want)
		}
	}
}
