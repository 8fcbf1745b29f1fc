package compatcmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/compat/report"
)

func TestAPIGolden(t *testing.T) {
	dir := makeRepo(t, loadArchive(t, "api/basic.txtar"))
	for _, tc := range []struct {
		name       string
		base, head string
		format     string
		code       int
	}{
		{"v1-v2.text", "v1", "v2", "text", 1},
		{"v1-v2.json", "v1", "v2", "json", 1},
		{"v1-v2.sarif", "v1", "v2", "sarif", 1},
		{"v2-v3.text", "v2", "v3", "text", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errs := run(t, dir, "api", "-base", tc.base, "-head", tc.head, "-format", tc.format)
			assert.Equal(t, tc.code, code, "stderr: %s", errs)
			checkGolden(t, "api/"+tc.name, out)
		})
	}
}

// decode parses a JSON report.
func decode(t *testing.T, out string) *report.Report {
	t.Helper()
	var r report.Report
	require.NoError(t, json.Unmarshal([]byte(out), &r), "output: %s", out)
	return &r
}

// findRule returns the unsuppressed findings of rule.
func findRule(r *report.Report, rule string) []report.Finding {
	var out []report.Finding
	for _, f := range r.Findings {
		if f.Rule == rule && f.Suppressed == "" {
			out = append(out, f)
		}
	}
	return out
}

// twoRevs builds a repository with commits v1 and v2 from file maps.
func twoRevs(t *testing.T, v1, v2 map[string]string) string {
	t.Helper()
	files := map[string]map[string]string{"v1": v1, "v2": v2}
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "config", "user.email", "test@example.com")
	git(t, dir, "config", "user.name", "test")
	for _, rev := range []string{"v1", "v2"} {
		for name, data := range files[rev] {
			full := filepath.Join(dir, name)
			if data == "DELETE" {
				require.NoError(t, os.Remove(full))
				continue
			}
			require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
			require.NoError(t, os.WriteFile(full, []byte(data), 0o644))
		}
		git(t, dir, "add", "-A")
		git(t, dir, "commit", "-q", "-m", rev)
		git(t, dir, "tag", rev)
	}
	return dir
}

const libMod = "module example.com/lib\n\ngo 1.22\n"

func TestAPIRemovedIsMajor(t *testing.T) {
	dir := twoRevs(t,
		map[string]string{"go.mod": libMod, "lib.go": "package lib\n\n// A stays.\nfunc A() {}\n\n// B goes.\nfunc B() {}\n\n// T loses a field.\ntype T struct {\n\tX int\n\tY int\n}\n"},
		map[string]string{"lib.go": "package lib\n\n// A stays.\nfunc A() {}\n\n// T loses a field.\ntype T struct {\n\tX int\n}\n"},
	)
	code, out, errs := run(t, dir, "api", "-base", "v1", "-head", "v2", "-format", "json")
	require.Equal(t, 1, code, errs)
	r := decode(t, out)
	assert.Equal(t, "major", r.Verdict)
	removed := findRule(r, "API001")
	require.Len(t, removed, 2)
	assert.Equal(t, "example.com/lib.B", removed[0].Symbol)
	assert.Equal(t, &report.Position{File: "lib.go", Line: 7, Column: 6}, removed[0].Base)
	assert.Equal(t, "example.com/lib.T.Y", removed[1].Symbol)
	assert.Equal(t, 12, removed[1].Base.Line)
}

func TestAPIAdditiveIsMinor(t *testing.T) {
	dir := twoRevs(t,
		map[string]string{"go.mod": libMod, "lib.go": "package lib\n\n// A stays.\nfunc A() {}\n\n// T gains a field.\ntype T struct{ X int }\n"},
		map[string]string{"lib.go": "package lib\n\n// A stays.\nfunc A() {}\n\n// C is new.\nfunc C() {}\n\n// T gains a field.\ntype T struct{ X, Y int }\n"},
	)
	code, out, errs := run(t, dir, "api", "-base", "v1", "-head", "v2", "-format", "json")
	require.Equal(t, 0, code, errs)
	r := decode(t, out)
	assert.Equal(t, "minor", r.Verdict)
	assert.Len(t, findRule(r, "API101"), 2)

	// No change at all is a patch.
	code, out, _ = run(t, dir, "api", "-base", "v2", "-head", "v2", "-format", "json")
	require.Equal(t, 0, code)
	assert.Equal(t, "patch", decode(t, out).Verdict)
}

func TestAPISuppress(t *testing.T) {
	dir := makeRepo(t, loadArchive(t, "api/basic.txtar"))
	sup := filepath.Join(t.TempDir(), "suppress.txt")
	require.NoError(t, os.WriteFile(sup, []byte(`# accepted breaks
API001 example.com/lib.Old        deprecated since v0.9, announced
API002 example.com/lib.Client.*   Client is documented as unstable
API010 example.com/lib/gone       package moved to another module
API004 example.com/lib.Nothing    stale entry
`), 0o644))
	code, out, errs := run(t, dir, "api", "-base", "v1", "-head", "v2", "-suppress", sup, "-format", "json")
	require.Equal(t, 1, code, errs)
	r := decode(t, out)
	var suppressed []string
	for _, f := range r.Findings {
		if f.Suppressed != "" {
			suppressed = append(suppressed, f.Rule+" "+f.Symbol+" "+f.Suppressed)
		}
	}
	assert.ElementsMatch(t, []string{
		"API001 example.com/lib.Old deprecated since v0.9, announced",
		"API002 example.com/lib.Client.Timeout Client is documented as unstable",
		"API010 example.com/lib/gone package moved to another module",
	}, suppressed)
	require.Len(t, r.Notes, 1)
	assert.Contains(t, r.Notes[0], "suppress.txt:5: unused suppression API004 example.com/lib.Nothing")
	for _, reason := range r.Reasons {
		assert.NotContains(t, reason, "example.com/lib.Old", "suppressed findings are not reasons")
	}

	// Suppressing every break turns the verdict into minor and exit 0.
	require.NoError(t, os.WriteFile(sup, []byte(`API001 example.com/lib.Old  ok
API002 example.com/lib.*  ok
API004 example.com/lib.Limit  ok
API006 example.com/lib.Store.Delete  nobody implements Store outside
API010 example.com/lib/gone  ok
API011 example.com/lib/util  ok
`), 0o644))
	code, out, errs = run(t, dir, "api", "-base", "v1", "-head", "v2", "-suppress", sup, "-format", "json")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "minor", decode(t, out).Verdict)

	// An entry without a reason is an error.
	require.NoError(t, os.WriteFile(sup, []byte("API001 example.com/lib.Old\n"), 0o644))
	code, _, errs = run(t, dir, "api", "-base", "v1", "-head", "v2", "-suppress", sup)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "suppress.txt:1:")
	assert.Contains(t, errs, "needs a reason")
}

func TestAPIBadInput(t *testing.T) {
	dir := makeRepo(t, loadArchive(t, "api/basic.txtar"))
	broken := twoRevs(t,
		map[string]string{"go.mod": libMod, "lib.go": "package lib\n\nfunc A() {}\n"},
		map[string]string{"lib.go": "package lib\n\nfunc A() { undefinedName() }\n"},
	)
	noMod := makeRepo(t, loadArchive(t, "toolchain/broken.txtar")) // v0 has no go.mod
	for _, tc := range []struct {
		name string
		dir  string
		args []string
		want []string
	}{
		{"unknown revision", dir, []string{"api", "-base", "v9.9.9", "-head", "v2"}, []string{`base: version "v9.9.9"`, "not a directory and not a revision"}},
		{"unknown head", dir, []string{"api", "-base", "v1", "-head", "nope"}, []string{`head: version "nope"`}},
		{"does not build", broken, []string{"api", "-base", "v1", "-head", "v2"}, []string{`head "v2" does not build`, "lib.go:3:12: undefined: undefinedName"}},
		{"no base", dir, []string{"api"}, []string{"-base is required"}},
		{"base without go.mod", noMod, []string{"api", "-base", "v0", "-head", "v1"}, []string{`base "v0": no go.mod (not a Go module)`}},
		{"bad format", dir, []string{"api", "-base", "v1", "-format", "xml"}, []string{`unknown format "xml"`}},
		{"bad flag", dir, []string{"api", "-nope"}, []string{"flag provided but not defined: -nope"}},
		{"bad flag after an argument", dir, []string{"api", "-base", "v1", "extra", "-nope"}, []string{"flag provided but not defined: -nope"}},
		{"flags after an argument are flags", dir, []string{"api", "extra", "-base", "v1"}, []string{`unexpected arguments ["extra"]`}},
		{"missing suppression file", dir, []string{"api", "-base", "v1", "-suppress", "nope.txt"}, []string{"suppression file", "nope.txt"}},
		{"unknown subcommand", dir, []string{"apis"}, []string{`unknown subcommand "apis"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, errs := run(t, tc.dir, tc.args...)
			assert.Equal(t, 2, code)
			for _, w := range tc.want {
				assert.Contains(t, errs, w)
			}
		})
	}
	code, out, _ := run(t, dir, "api", "-h")
	assert.Equal(t, 0, code)
	assert.Empty(t, out)
	code, out, _ = run(t, dir, "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "usage: upshift compat")
}

// Directories work as versions too, and the working tree is the default
// head.
func TestAPIDirectories(t *testing.T) {
	dir := makeRepo(t, loadArchive(t, "api/basic.txtar"))
	old := t.TempDir()
	git(t, dir, "worktree", "add", "-q", filepath.Join(old, "v2"), "v2")
	code, out, errs := run(t, dir, "api", "-base", filepath.Join(old, "v2"), "-format", "json")
	require.Equal(t, 0, code, errs)
	r := decode(t, out)
	assert.Equal(t, "minor", r.Verdict)
	assert.Len(t, findRule(r, "API102"), 1)
}
