package compatcmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/internal/txtarmod"
)

// depsModule unpacks a txtar module and downloads its requirements into
// the shared module cache (a no-op when they are there, so the test runs
// offline once the cache is warm).
func depsModule(t *testing.T, name string) string {
	t.Helper()
	dir := txtarmod.Extract(t, filepath.Join("testdata", "deps", name))
	cmd := exec.Command("go", "mod", "download")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go mod download: %s", out)
	return dir
}

func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	return run(t, dir, args...)
}

func TestDepsGolden(t *testing.T) {
	dir := depsModule(t, "svc.txtar")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"errors.text", []string{"-module", "github.com/pkg/errors", "-to", "errors"}},
		{"errors.json", []string{"-module", "github.com/pkg/errors", "-to", "errors", "-format", "json"}},
		{"errors.sarif", []string{"-module", "github.com/pkg/errors", "-to", "errors", "-format", "sarif"}},
		{"yaml.text", []string{"-module", "gopkg.in/yaml.v2", "-to", "gopkg.in/yaml.v3@v3.0.1", "./..."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runIn(t, dir, append([]string{"deps"}, tc.args...)...)
			assert.Equal(t, 1, code, "stderr: %s", errs)
			checkGolden(t, "deps/"+tc.name, out)
		})
	}
}

func TestDepsErrors(t *testing.T) {
	dir := depsModule(t, "svc.txtar")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-to", "errors"}, "-module is required"},
		{[]string{"-module", "github.com/pkg/errors"}, "-to is required"},
		{[]string{"-module", "example.com/absent", "-to", "errors"}, "-module example.com/absent: not required by"},
		{[]string{"-module", "github.com/pkg/errors", "-to", "errors@v1.0.0"}, "takes no version"},
		{[]string{"-module", "github.com/pkg/errors", "-to", "errors", "-format", "xml"}, `unknown format "xml"`},
		{[]string{"-module", "github.com/pkg/errors", "-to", "errors", "./nosuchdir"}, "upshift compat deps:"},
	} {
		code, out, errs := runIn(t, dir, append([]string{"deps"}, tc.args...)...)
		assert.Equal(t, 2, code, "%v: stdout %s", tc.args, out)
		assert.Contains(t, errs, tc.want, "%v", tc.args)
		assert.Empty(t, out, "%v", tc.args)
	}
}

// TestDepsSameVersion: moving a module to the version it is at is an
// error, not an empty report.
func TestDepsSameVersion(t *testing.T) {
	dir := depsModule(t, "svc.txtar")
	code, out, errs := runIn(t, dir, "deps", "-module", "gopkg.in/yaml.v2", "-to", "gopkg.in/yaml.v2@v2.4.0")
	assert.Equal(t, 2, code, "same version is an error: %s %s", out, errs)
	assert.Contains(t, errs, "already at v2.4.0")
}

// TestDepsSuppress: a suppression entry silences its finding and drops it
// from the verdict's reasons.
func TestDepsSuppress(t *testing.T) {
	dir := depsModule(t, "svc.txtar")
	sup := filepath.Join(dir, "deps.suppress")
	require.NoError(t, os.WriteFile(sup, []byte("DEP104 gopkg.in/yaml.v2.Marshal  the output is only parsed back\n"), 0o644))
	code, out, errs := runIn(t, dir, "deps", "-module", "gopkg.in/yaml.v2", "-to", "gopkg.in/yaml.v3@v3.0.1", "-suppress", sup, "-format", "json")
	assert.Equal(t, 1, code, errs)
	r := decode(t, out)
	var suppressed, dep104 int
	for _, f := range r.Findings {
		if f.Rule == "DEP104" {
			dep104++
			if f.Suppressed != "" {
				suppressed++
			}
		}
	}
	assert.Equal(t, 1, dep104)
	assert.Equal(t, 1, suppressed)
	assert.NotContains(t, r.Reasons, "DEP104 yaml-indent: 1 site(s)")
}

// TestDepsUnaffected: packages that do not import the module are not
// affected: exit 0.
func TestDepsUnaffected(t *testing.T) {
	dir := depsModule(t, "svc.txtar")
	code, out, errs := runIn(t, dir, "deps", "-module", "github.com/pkg/errors", "-to", "errors", "./version")
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, "verdict: unaffected")
	assert.Contains(t, out, "no package matched by the patterns imports github.com/pkg/errors")
}
