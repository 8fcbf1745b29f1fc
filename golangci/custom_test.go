package golangci

// The integration test: build a custom golangci-lint with this plugin the
// way `golangci-lint custom` does, from the module proxy, and run it on
// testdata/module. `golangci-lint custom` git-clones golangci-lint; this
// environment (and CI) reaches the module proxy only, so the test takes the
// same source from the proxy (`go mod download`) and repeats the rest of
// custom's steps on a writable copy: write cmd/golangci-lint/plugins.go
// with a blank import of the plugin, `go mod edit -replace` the plugin
// module to this checkout, `go mod tidy`, `go build ./cmd/golangci-lint`.
//
// The build takes minutes, so its binary is cached under
// os.UserCacheDir()/upshift-test, keyed by the golangci-lint version, the
// Go version and a hash of every file of this module the plugin compiles
// (plus go.mod and go.sum): a warm run reuses it and takes seconds, and a
// change to any analyzer rebuilds it.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// gclVersion is the golangci-lint release the test builds; README.md's
// .custom-gcl.yml names the same one.
const gclVersion = "v2.15.0"

var update = flag.Bool("update", false, "rewrite testdata/fixed from the custom golangci-lint's --fix")

var (
	gclOnce sync.Once
	gclPath string
	gclErr  error
	gclSkip string
	// lintCache is golangci-lint's cache for the runs of this process:
	// shared, so that runs after the first reuse the analysis of the
	// standard library (golangci-lint salts its keys with the linter
	// settings, so runs with other settings do not see each other's
	// results), and new, so that every `go test` analyzes again.
	lintCache string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "upshift-gcl-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	lintCache = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// customGCL returns the path of the custom golangci-lint, building it on
// the first call of the process when the cache has none. It skips the test
// under -short, and when the module proxy cannot be reached, except on CI
// (CI set), which must run it.
func customGCL(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a custom golangci-lint from the module proxy (minutes when not cached); run without -short")
	}
	gclOnce.Do(func() {
		// The build stops short of the test binary's -timeout (10m by
		// default), so that a slow cold build fails with a message
		// rather than a panic that leaves the go command running.
		ctx := context.Background()
		if deadline, ok := t.Deadline(); ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, deadline.Add(-time.Minute))
			defer cancel()
		}
		gclPath, gclSkip, gclErr = buildCustomGCL(ctx)
	})
	if gclSkip != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run the golangci-lint integration test: %s", gclSkip)
		}
		t.Skip(gclSkip)
	}
	if gclErr != nil {
		t.Fatal(gclErr)
	}
	return gclPath
}

// buildCustomGCL returns the cached binary or builds it. skip is set when
// golangci-lint's source cannot be had from the proxy.
func buildCustomGCL(ctx context.Context) (path, skip string, err error) {
	root, err := filepath.Abs("..")
	if err != nil {
		return "", "", err
	}
	key, err := pluginKey(ctx, root)
	if err != nil {
		return "", "", err
	}
	cacheRoot, err := os.UserCacheDir()
	if err != nil {
		return "", "", fmt.Errorf("no cache directory for the custom golangci-lint: %w", err)
	}
	cacheRoot = filepath.Join(cacheRoot, "upshift-test")
	name := "custom-gcl-" + gclVersion + "-" + key
	bin := filepath.Join(cacheRoot, name, "golangci-lint")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if _, err := os.Stat(bin); err == nil {
		now := time.Now()
		os.Chtimes(filepath.Dir(bin), now, now) // in use: see pruneCache
		return bin, "", nil
	}

	// golangci-lint's source, from the proxy (or the module cache).
	out, err := goCmd(ctx, root, "mod", "download", "-json", "github.com/golangci/golangci-lint/v2@"+gclVersion)
	var mod struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &mod); err != nil || jerr != nil || mod.Dir == "" {
		why := mod.Error
		if why == "" {
			why = fmt.Sprintf("%v: %s", err, out)
		}
		return "", fmt.Sprintf("golangci-lint %s is not in the module cache and the module proxy did not serve it (offline?): %s", gclVersion, why), nil
	}

	if err := os.MkdirAll(cacheRoot, 0o755); err != nil {
		return "", "", err
	}
	work, err := os.MkdirTemp(cacheRoot, "build-")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(work)
	repo := filepath.Join(work, "src")
	if err := copyTree(mod.Dir, repo); err != nil {
		return "", "", fmt.Errorf("copy golangci-lint source: %w", err)
	}
	// What `golangci-lint custom` writes for a plugin with a path.
	plugins := "package main\n\nimport (\n\t_ \"github.com/upshift-dev/upshift/golangci\"\n)\n"
	if err := os.WriteFile(filepath.Join(repo, "cmd", "golangci-lint", "plugins.go"), []byte(plugins), 0o644); err != nil {
		return "", "", err
	}
	steps := [][]string{
		{"mod", "edit", "-replace", "github.com/upshift-dev/upshift=" + root},
		{"mod", "tidy"},
		{"build", "-ldflags", "-s -w -X main.version=" + strings.TrimPrefix(gclVersion, "v") + "-custom-gcl-upshift-" + key,
			"-o", filepath.Join(work, filepath.Base(bin)), "./cmd/golangci-lint"},
	}
	for _, args := range steps {
		if out, err := goCmd(ctx, repo, args...); err != nil {
			if ctx.Err() != nil {
				return "", "", fmt.Errorf("building the custom golangci-lint (go %s) did not finish a minute before the test's -timeout; fill the cache once with go test -timeout 30m -run CustomGCL ./golangci", args[0])
			}
			if offline.Match(out) {
				return "", fmt.Sprintf("golangci-lint's dependencies could not be had from the module proxy (offline?): go %s: %s", strings.Join(args, " "), out), nil
			}
			return "", "", fmt.Errorf("custom golangci-lint: go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// Publish with a rename, so that a concurrent test process sees a
	// whole binary or none.
	final := filepath.Join(work, "out")
	if err := os.Mkdir(final, 0o755); err != nil {
		return "", "", err
	}
	if err := os.Rename(filepath.Join(work, filepath.Base(bin)), filepath.Join(final, filepath.Base(bin))); err != nil {
		return "", "", err
	}
	if err := os.Rename(final, filepath.Dir(bin)); err != nil {
		if _, statErr := os.Stat(bin); statErr != nil {
			return "", "", err
		}
	}
	pruneCache(cacheRoot)
	return bin, "", nil
}

// pruneCache removes the builds (and build directories left by killed
// runs) that no test has used for a day: each is some 55 MB. Younger ones
// stay, as another checkout on the machine may be using them.
func pruneCache(cacheRoot string) {
	entries, _ := os.ReadDir(cacheRoot)
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && time.Since(info.ModTime()) > 24*time.Hour {
			os.RemoveAll(filepath.Join(cacheRoot, e.Name()))
		}
	}
}

// offline matches the go command's errors for a module proxy it cannot
// reach or may not use.
var offline = regexp.MustCompile(`dial tcp|no such host|connection refused|i/o timeout|GOPROXY=off|module lookup disabled|TLS handshake timeout`)

// goCmd runs the go command in dir, outside any workspace and with the
// toolchain that runs the test (go test puts its bin first in PATH).
func goCmd(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.Bytes(), err
}

// pluginKey hashes what the custom binary is built from on this side: the
// Go version, go.mod, go.sum and every Go and embedded file of this
// module's packages that the plugin imports.
func pluginKey(ctx context.Context, root string) (string, error) {
	out, err := goCmd(ctx, root, "list", "-deps", "-f",
		`{{if .Module}}{{if eq .Module.Path "github.com/upshift-dev/upshift"}}{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{range .EmbedFiles}} {{.}}{{end}}{{"\n"}}{{end}}{{end}}`,
		"./golangci")
	if err != nil {
		return "", fmt.Errorf("go list ./golangci: %v\n%s", err, out)
	}
	files := []string{filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum")}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		for _, f := range fields[1:] {
			files = append(files, filepath.Join(fields[0], f))
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", runtime.Version())
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(root, f)
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// copyTree copies the directory src to dst, writable (the module cache is
// read-only).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

// gclIssue is one issue of golangci-lint's JSON output.
type gclIssue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename string
		Line     int
	}
	SuggestedFixes []json.RawMessage
}

// analyzer is the upshift analyzer that reported the issue: golangci-lint
// prefixes the text with it ("maporder: ...", and "maporder(related
// information): ..." for related positions, which it reports as issues of
// their own).
func (i gclIssue) analyzer() string {
	name, _, _ := strings.Cut(i.Text, ":")
	return name
}

// module copies testdata/module to a new directory and writes its
// .golangci.yml with the given upshift settings (YAML, indented under
// settings: by module).
func module(t *testing.T, settings string) string {
	t.Helper()
	config := "version: \"2\"\nlinters:\n  default: none\n  enable: [upshift]\n  settings:\n    custom:\n      upshift:\n        type: module\n        settings:\n"
	for line := range strings.Lines(settings) {
		config += "          " + line
	}
	return moduleWith(t, config)
}

// moduleWith copies testdata/module to a new directory with config as its
// .golangci.yml.
func moduleWith(t *testing.T, config string) string {
	t.Helper()
	dir := t.TempDir()
	if err := copyTree(filepath.Join("testdata", "module"), dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".golangci.yml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runGCL runs `golangci-lint run args...` in dir and returns its exit code,
// stdout and stderr.
func runGCL(t *testing.T, bin, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	// Three tests run golangci-lint at once; it refuses that unless told.
	cmd := exec.Command(bin, append([]string{"run", "--allow-parallel-runners"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+lintCache, "GOWORK=off")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// lint runs the custom golangci-lint in dir with JSON output and returns
// its issues; it fails unless golangci-lint exits 0 or 1.
func lint(t *testing.T, bin, dir string) []gclIssue {
	t.Helper()
	code, stdout, stderr := runGCL(t, bin, dir, "--output.json.path=stdout", "--show-stats=false", "./...")
	if code != 0 && code != 1 {
		t.Fatalf("golangci-lint exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	var report struct{ Issues []gclIssue }
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("golangci-lint JSON: %v\n%s", err, stdout)
	}
	if (code == 1) != (len(report.Issues) > 0) {
		t.Errorf("golangci-lint exit %d with %d issues", code, len(report.Issues))
	}
	return report.Issues
}

var wantComment = regexp.MustCompile(`// want ([a-z]+)$`)

// wanted reads the "// want NAME" comments of testdata/module: the
// findings ("file:line analyzer") golangci-lint must report.
func wanted(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "module", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if m := wantComment.FindStringSubmatch(line); m != nil {
				want = append(want, fmt.Sprintf("%s:%d %s", filepath.Base(f), i+1, m[1]))
			}
		}
	}
	slices.Sort(want)
	return want
}

// findings returns the upshift findings of issues as "file:line analyzer"
// (related-information issues left out), and per analyzer how many of
// them carry a fix. It fails when an issue carries more than one fix
// (golangci-lint's --fix would apply them all) or comes from another
// linter.
func findings(t *testing.T, issues []gclIssue) (got []string, fixed map[string]int) {
	t.Helper()
	fixed = map[string]int{}
	for _, i := range issues {
		if i.FromLinter != Name {
			t.Errorf("issue from linter %q: %s", i.FromLinter, i.Text)
		}
		if len(i.SuggestedFixes) > 1 {
			t.Errorf("%s:%d: %d fixes on one issue: %s", i.Pos.Filename, i.Pos.Line, len(i.SuggestedFixes), i.Text)
		}
		if strings.Contains(i.analyzer(), "(related information)") {
			if len(i.SuggestedFixes) > 0 {
				t.Errorf("%s:%d: related information carries a fix", i.Pos.Filename, i.Pos.Line)
			}
			continue
		}
		got = append(got, fmt.Sprintf("%s:%d %s", filepath.Base(i.Pos.Filename), i.Pos.Line, i.analyzer()))
		if len(i.SuggestedFixes) > 0 {
			fixed[i.analyzer()]++
		}
	}
	slices.Sort(got)
	return got, fixed
}

// TestCustomGCLFindings: every analyzer's finding is reported where the
// testdata says, each with at most one fix, and the tier setting decides
// which findings carry one.
func TestCustomGCLFindings(t *testing.T) {
	t.Parallel()
	bin := customGCL(t)
	want := wanted(t)
	for _, tc := range []struct {
		settings string
		fixed    map[string]int
	}{
		{"flags: {godebug: {to: go1.26}}\n", map[string]int{"godebug": 1}},
		{"tier: safe\nflags: {godebug.to: go1.26}\n", map[string]int{"godebug": 1}},
		{"tier: behavior\nflags: {godebug: {to: go1.26}}\n", map[string]int{"maporder": 1, "godebug": 1, "bytestring": 1, "loopvar": 1}},
	} {
		got, fixed := findings(t, lint(t, bin, module(t, tc.settings)))
		if !slices.Equal(got, want) {
			t.Errorf("settings %q: findings\n%s\nwant\n%s", tc.settings, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for name, n := range fixed {
			if n != tc.fixed[name] {
				t.Errorf("settings %q: %d fixes from %s, want %d", tc.settings, n, name, tc.fixed[name])
			}
		}
		for name, n := range tc.fixed {
			if fixed[name] != n {
				t.Errorf("settings %q: %d fixes from %s, want %d", tc.settings, fixed[name], name, n)
			}
		}
	}
	// A selection runs only the analyzers selected.
	got, _ := findings(t, lint(t, bin, module(t, "analyzers: [maporder, UP1002]\n")))
	want = slices.DeleteFunc(want, func(s string) bool {
		return !strings.HasSuffix(s, " maporder") && !strings.HasSuffix(s, " bytestring")
	})
	if !slices.Equal(got, want) {
		t.Errorf("analyzers [maporder, UP1002]: findings %v, want %v", got, want)
	}
}

// TestCustomGCLBadSettings: golangci-lint stops with the plugin's error
// for settings it does not know, naming the key.
func TestCustomGCLBadSettings(t *testing.T) {
	t.Parallel()
	bin := customGCL(t)
	for _, tc := range []struct{ settings, want string }{
		{"analyzer: [maporder]\n", `plugin(upshift): newPlugin upshift settings: decoding settings: json: unknown field "analyzer"`},
		{"tier: reckless\n", `upshift settings: tier "reckless": use safe or behavior`},
		{"flags: {godebug: {from: go1.20}}\n", "upshift settings: flags: godebug.from: analyzer godebug has no flag from"},
	} {
		dir := module(t, tc.settings)
		code, stdout, stderr := runGCL(t, bin, dir, "./...")
		if code != 3 || !strings.Contains(stderr, tc.want) {
			t.Errorf("settings %q: exit %d, stderr %q; want exit 3 and %q\nstdout: %s", tc.settings, code, stderr, tc.want, stdout)
		}
		if diff := changed(t, dir, filepath.Join("testdata", "module")); diff != "" {
			t.Errorf("settings %q: files changed: %s", tc.settings, diff)
		}
	}
}

// TestCustomGCLFix: --fix applies one fix per finding, up to the tier:
// the files after it are testdata/fixed/TIER, and a second run reports
// only the findings that had no fix.
func TestCustomGCLFix(t *testing.T) {
	t.Parallel()
	bin := customGCL(t)
	for _, tier := range []string{"safe", "behavior"} {
		settings := "tier: " + tier + "\nflags: {godebug: {to: go1.26}}\n"
		dir := module(t, settings)
		code, stdout, stderr := runGCL(t, bin, dir, "--fix", "./...")
		if code != 0 && code != 1 {
			t.Fatalf("tier %s: golangci-lint --fix exit %d\n%s\n%s", tier, code, stdout, stderr)
		}
		golden := filepath.Join("testdata", "fixed", tier)
		if *update {
			os.RemoveAll(golden)
			if err := copyTree(dir, golden); err != nil {
				t.Fatal(err)
			}
			os.Remove(filepath.Join(golden, ".golangci.yml"))
			continue
		}
		if diff := changed(t, dir, golden); diff != "" {
			t.Errorf("tier %s: after --fix: %s", tier, diff)
		}
		// What is left: the findings whose fixes were above the tier.
		issues := lint(t, bin, dir)
		got, fixed := findings(t, issues)
		var left []string
		for _, f := range wanted(t) {
			name := f[strings.LastIndex(f, " ")+1:]
			if tier == "safe" && (name == "bytestring" || name == "loopvar" || name == "maporder") {
				left = append(left, f)
			}
		}
		if !slices.Equal(got, left) {
			t.Errorf("tier %s: after --fix, findings %v, want %v", tier, got, left)
		}
		if len(fixed) != 0 {
			t.Errorf("tier %s: fixes left after --fix: %v", tier, fixed)
		}
	}
}

// TestCustomGCLReadme keeps README.md's golangci-lint section true: its
// .custom-gcl.yml builds the golangci-lint release this test builds, with
// this package as the plugin import, and its .golangci.yml, used as it
// stands, runs the selected analyzers.
func TestCustomGCLReadme(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	start := strings.Index(section, "### In golangci-lint (v2 module plugin)")
	if start < 0 {
		t.Fatal("README.md has no \"### In golangci-lint (v2 module plugin)\" section")
	}
	section = section[start:]
	if end := strings.Index(section[4:], "\n##"); end >= 0 {
		section = section[:end+4]
	}
	var custom, config string
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(section, -1) {
		switch {
		case strings.HasPrefix(m[1], "# .custom-gcl.yml\n"):
			custom = m[1]
		case strings.HasPrefix(m[1], "# .golangci.yml\n"):
			config = m[1]
		}
	}
	if custom == "" || config == "" {
		t.Fatal("README.md's golangci-lint section needs a ```yaml block starting # .custom-gcl.yml and one starting # .golangci.yml")
	}
	for _, want := range []string{
		"\nversion: " + gclVersion + " ",
		"\n  - module: github.com/upshift-dev/upshift\n",
		"\n    import: github.com/upshift-dev/upshift/golangci\n",
	} {
		if !strings.Contains(custom, want) {
			t.Errorf("README.md's .custom-gcl.yml lacks %q (the test builds golangci-lint %s with this package imported):\n%s", strings.TrimSpace(want), gclVersion, custom)
		}
	}

	bin := customGCL(t)
	dir := moduleWith(t, config)
	code, stdout, stderr := runGCL(t, bin, dir, "--output.json.path=stdout", "--show-stats=false", "./...")
	var report struct{ Issues []gclIssue }
	if err := json.Unmarshal([]byte(stdout), &report); code != 1 || err != nil {
		t.Fatalf("README's .golangci.yml: golangci-lint exit %d (want 1), JSON %v\nstdout: %s\nstderr: %s", code, err, stdout, stderr)
	}
	// It enables golangci-lint's standard linters too: keep upshift's.
	ours := slices.DeleteFunc(report.Issues, func(i gclIssue) bool { return i.FromLinter != Name })
	got, _ := findings(t, ours)
	want := slices.DeleteFunc(wanted(t), func(s string) bool {
		return !strings.HasSuffix(s, " maporder") && !strings.HasSuffix(s, " bytestring")
	})
	if !slices.Equal(got, want) {
		t.Errorf("README's .golangci.yml: upshift findings %v, want %v (analyzers: [maporder, bytestring])", got, want)
	}
}

// changed compares the Go files and go.mod of dir with those of want and
// describes the differences ("" when there are none).
func changed(t *testing.T, dir, want string) string {
	t.Helper()
	var diffs []string
	list := func(d string) []string {
		names, err := filepath.Glob(filepath.Join(d, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for i, n := range names {
			names[i] = filepath.Base(n)
		}
		return append(names, "go.mod")
	}
	got, exp := list(dir), list(want)
	if !slices.Equal(got, exp) {
		return fmt.Sprintf("files %v, want %v", got, exp)
	}
	for _, name := range got {
		a, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(want, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			diffs = append(diffs, fmt.Sprintf("%s:\n%s\nwant (%s):\n%s", name, a, filepath.Join(want, name), b))
		}
	}
	return strings.Join(diffs, "\n")
}
