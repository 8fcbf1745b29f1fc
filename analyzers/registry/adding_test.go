package registry

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestAddingAnAnalyzer proves the README's "Adding an analyzer": applied to
// a copy of this repository, testdata/newanalyzer.diff (one new folder,
// analyzers/ioutil, and one registry line) is all it takes for the new
// analyzer to pass its own tests and the registry's, and to be run by
// `upshift vet` and described by `upshift explain`. The README table is
// regenerated the documented way.
func TestAddingAnAnalyzer(t *testing.T) {
	if testing.Short() {
		t.Skip("copies the repository and builds upshift")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git to apply the patch")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	patch, err := filepath.Abs("testdata/newanalyzer.diff")
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	files := run(t, root, "git", "ls-files", "--cached", "--others", "--exclude-standard")
	for _, f := range strings.Split(strings.TrimSpace(files), "\n") {
		src := filepath.Join(root, f)
		b, err := os.ReadFile(src)
		if err != nil {
			continue // deleted in the work tree
		}
		st, err := os.Stat(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(repo, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	stat := run(t, repo, "git", "apply", "--stat", patch)
	// One new folder, and in registry.go the entry and its import.
	for _, line := range strings.Split(strings.TrimSpace(stat), "\n") {
		f, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch {
		case strings.HasPrefix(f, "analyzers/ioutil/"), strings.Contains(line, "files changed"):
		case f == "analyzers/registry/registry.go" && regexp.MustCompile(`\|\s+2 \+\+?$`).MatchString(line):
		default:
			t.Fatalf("the example must be one new folder plus the registry line and its import; it changes:\n%s", stat)
		}
	}
	run(t, repo, "git", "apply", patch)
	run(t, repo, "go", "test", "./analyzers/registry", "-run", "TestReadmeTable", "-update")
	run(t, repo, "go", "test", "-short", "./analyzers/ioutil", "./analyzers/registry") // -short: not this test again

	sample := filepath.Join(repo, "sample")
	if err := os.MkdirAll(sample, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(sample, "go.mod"), []byte("module example.com/sample\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(sample, "main.go"), []byte("package main\n\nimport \"io/ioutil\"\n\nfunc main() {\n\tb, _ := ioutil.ReadFile(\"x\")\n\tprintln(len(b))\n}\n"), 0o644)
	bin := filepath.Join(t.TempDir(), "upshift")
	run(t, repo, "go", "build", "-o", bin, "./cmd/upshift")
	cmd := exec.Command(bin, "-C", sample, "vet", "./...")
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), "ioutil.ReadFile is deprecated since Go 1.16: use os.ReadFile (ioutil)") {
		t.Errorf("upshift vet with the new analyzer: exit %d (%v), want 1 and its finding:\n%s", code, err, out)
	}
	if out := run(t, repo, bin, "explain", "UP1900"); !strings.HasPrefix(out, "ioutil (UP1900): uses of the deprecated io/ioutil package") {
		t.Errorf("upshift explain UP1900:\n%s", out)
	}
}

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
