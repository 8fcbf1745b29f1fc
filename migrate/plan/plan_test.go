package plan

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/analyzers/vetcmd"
	"github.com/upshift-dev/upshift/internal/command"
)

var update = flag.Bool("update", false, "rewrite the want sections of the txtar cases")

// formats are the outputs each case holds a golden section for.
var formats = []string{"text", "markdown", "json"}

// TestEndToEnd runs `upshift plan` on each testdata case: the comment
// holds "args: ..." and "exit: N"; the want.FORMAT sections hold the
// expected output of each -format. The case's other files are the module.

// TestMain makes the test binary the vet tool that plan runs through go
// vet, as the upshift binary is.
func TestMain(m *testing.M) {
	vetcmd.ServeTool(vetcmd.Suite{Checks: registry.Checks()})
	os.Exit(m.Run())
}

func TestEndToEnd(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*.txtar")
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, name := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(name)
			if err != nil {
				t.Fatal(err)
			}
			var args []string
			wantExit := 0
			for _, line := range strings.Split(string(ar.Comment), "\n") {
				if v, ok := strings.CutPrefix(line, "args:"); ok {
					args = strings.Fields(v)
				}
				if v, ok := strings.CutPrefix(line, "exit:"); ok {
					wantExit, _ = strconv.Atoi(strings.TrimSpace(v))
				}
			}
			dir := t.TempDir()
			want := map[string]string{}
			for _, f := range ar.Files {
				if v, ok := strings.CutPrefix(f.Name, "want."); ok {
					want[v] = string(f.Data)
					continue
				}
				p := filepath.Join(dir, f.Name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got := map[string]string{}
			for _, format := range formats {
				var stdout, stderr bytes.Buffer
				env := command.Env{Stdout: &stdout, Stderr: &stderr, Dir: dir}
				code := Main(context.Background(), env, append(append([]string{}, args...), "-format", format))
				if code != wantExit {
					t.Errorf("-format %s: exit %d, want %d; stderr:\n%s", format, code, wantExit, stderr.String())
				}
				got[format] = stdout.String()
				if !*update && got[format] != want[format] {
					t.Errorf("-format %s: output differs\ngot:\n%s\nwant:\n%s", format, got[format], want[format])
				}
			}
			if *update {
				var files []txtar.File
				for _, f := range ar.Files {
					if !strings.HasPrefix(f.Name, "want.") {
						files = append(files, f)
					}
				}
				for _, format := range formats {
					files = append(files, txtar.File{Name: "want." + format, Data: []byte(got[format])})
				}
				ar.Files = files
				if err := os.WriteFile(name, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestBadInput checks that bad flags and inputs fail with exit 2 and a
// message naming what is wrong, and print no plan.
func TestBadInput(t *testing.T) {
	mod := t.TempDir()
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/m\n\ngo 1.24\n"), 0o644)
	os.WriteFile(filepath.Join(mod, "m.go"), []byte("package m\n"), 0o644)
	notMod := t.TempDir()
	for _, tc := range []struct {
		name, dir string
		args      []string
		want      string
	}{
		{"not a module", notMod, nil, "no go.mod in " + notMod + " (not a Go module)"},
		{"bad format", mod, []string{"-format", "yaml"}, `unknown -format "yaml"`},
		{"bad version", mod, []string{"-to", "one.two"}, `-to "one.two": want a Go version`},
		{"older than go line", mod, []string{"-to", "1.21"}, "-to 1.21 is older than the go line"},
		{"newer than toolchain", mod, []string{"-to", "1.99"}, "-to 1.99 is newer than the installed Go toolchain"},
		{"unknown flag", mod, []string{"-frobnicate"}, "flag provided but not defined: -frobnicate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), command.Env{Stdout: &stdout, Stderr: &stderr, Dir: tc.dir}, tc.args)
			if code != command.ExitError {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q does not say %q", stderr.String(), tc.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("printed a plan on failure: %q", stdout.String())
			}
		})
	}
}
