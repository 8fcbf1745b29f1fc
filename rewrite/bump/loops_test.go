package bump

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/internal/command"
)

// snippet is one generated loop: a function body fragment that prints what
// it computed, and whether its meaning changes at go1.22.
type snippet struct {
	decl    string // top-level declarations it needs
	body    string // statements, run from the package's Run
	changes bool
}

// snippets returns loop shapes with their values drawn from r: those whose
// variables outlive an iteration (their output changes at go1.22) and
// ordinary loops (it does not).
func snippets(r *rand.Rand, id int) []snippet {
	vals := func() string {
		n := 2 + r.IntN(3)
		var vs []string
		for range n {
			vs = append(vs, fmt.Sprint(r.IntN(100)))
		}
		return strings.Join(vs, ", ")
	}
	return []snippet{
		{body: fmt.Sprintf(`var ps%[1]d []*int
	for _, v := range []int{%[2]s} {
		ps%[1]d = append(ps%[1]d, &v)
	}
	for _, p := range ps%[1]d {
		fmt.Print(*p, " ")
	}
	fmt.Println()`, id, vals()), changes: true},
		{body: fmt.Sprintf(`var fs%[1]d []func() int
	for i := 0; i < %[2]d; i++ {
		fs%[1]d = append(fs%[1]d, func() int { return i * %[3]d })
	}
	for _, f := range fs%[1]d {
		fmt.Print(f(), " ")
	}
	fmt.Println()`, id, 2+r.IntN(3), 1+r.IntN(9)), changes: true},
		{body: fmt.Sprintf(`func() {
		for k, v := range []string{"a", "b", "c"} {
			defer func() { fmt.Print(k, v, %[1]d, " ") }()
		}
	}()
	fmt.Println()`, r.IntN(100)), changes: true},
		{decl: fmt.Sprintf(`type counter%[1]d struct{ n int }

func (c *counter%[1]d) get() int { return c.n }
`, id), body: fmt.Sprintf(`var gets%[1]d []func() int
	for _, c := range []counter%[1]d{%[2]s} {
		gets%[1]d = append(gets%[1]d, c.get)
	}
	for _, g := range gets%[1]d {
		fmt.Print(g(), " ")
	}
	fmt.Println()`, id, "{"+strings.ReplaceAll(vals(), ", ", "}, {")+"}"), changes: true},
		{body: fmt.Sprintf(`var ss%[1]d [][]int
	for _, a := range [][2]int{{%[2]d, 1}, {%[3]d, 2}} {
		ss%[1]d = append(ss%[1]d, a[:])
	}
	fmt.Println(ss%[1]d)`, id, r.IntN(50), r.IntN(50)), changes: true},
		{body: fmt.Sprintf(`sum%[1]d := 0
	for _, v := range []int{%[2]s} {
		sum%[1]d += v
	}
	fmt.Println(sum%[1]d)`, id, vals())},
	}
}

// genModule writes a module with a go line below 1.22 whose main package
// and one library package hold a few drawn loops, in files with and
// without build constraints. It reports whether any loop changes meaning.
func genModule(t *testing.T, r *rand.Rand) (string, bool) {
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	goLine := []string{"1.20", "1.21"}[r.IntN(2)]
	write("go.mod", "module example.com/gen\n\ngo "+goLine+"\n")
	headers := []string{"", "//go:build !plan9\n\n", "// +build !plan9\n\n", "// Copyright notice.\n\n"}
	changes := false
	id := 0
	var calls []string
	for fi, pkg := range []string{"main", "lib", "lib"} {
		var decls, bodies []string
		for range 1 + r.IntN(3) {
			all := snippets(r, id)
			s := all[r.IntN(len(all))]
			id++
			decls = append(decls, s.decl)
			bodies = append(bodies, s.body)
			changes = changes || s.changes
		}
		fn := fmt.Sprintf("Run%d", fi)
		src := headers[r.IntN(len(headers))] + "package " + pkg + "\n\nimport \"fmt\"\n\n" +
			strings.Join(decls, "\n") + "\nfunc " + fn + "() {\n\t" + strings.Join(bodies, "\n\t") + "\n}\n"
		if pkg == "main" {
			write(fmt.Sprintf("run%d.go", fi), src)
			calls = append(calls, fn+"()")
		} else {
			write(fmt.Sprintf("lib/run%d.go", fi), src)
			calls = append(calls, "lib."+fn+"()")
		}
	}
	write("main.go", "package main\n\nimport \"example.com/gen/lib\"\n\nfunc main() {\n\t"+strings.Join(calls, "\n\t")+"\n}\n")
	return dir, changes
}

func goRun(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go run in %s: %s", dir, out)
	return string(out)
}

func copyTree(t *testing.T, from string) string {
	to := t.TempDir()
	require.NoError(t, os.CopyFS(to, os.DirFS(from)))
	return to
}

// TestBumpKeepsLoopMeaning is the property the bump promises: on generated
// modules at go 1.20 or 1.21 with loops whose variables outlive an
// iteration, `bump -w 1.26` leaves `go run` printing the same. Raising the
// go line alone (go.mod only) changes the output, which shows the modules
// exercise the change.
func TestBumpKeepsLoopMeaning(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated modules")
	}
	seed := uint64(20261203)
	r := rand.New(rand.NewPCG(seed, seed))
	changedByGoLine := 0
	for i := range 5 {
		dir, changes := genModule(t, r)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			before := goRun(t, dir)

			naive := copyTree(t, dir)
			res, err := Plan(filepath.Join(naive, "go.mod"), "1.26", true)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(naive, "go.mod"), res.New, 0o644))
			if goRun(t, naive) != before {
				changedByGoLine++
			}

			code, _, stderr := runBump(t, dir, "-w", "1.26")
			require.Equal(t, command.ExitOK, code, stderr)
			after := goRun(t, dir)
			assert.Equal(t, before, after, "bump changed the program's output (seed %d, module %d)\n%s", seed, i, stderr)
			if changes {
				assert.Contains(t, stderr, "kept at go1.21")
			}
			// The files kept at go1.21 are still below go1.22, so the
			// loops stay visible (to upshift vet's loopvar analyzer too).
			loops, err := changingLoops(context.Background(), dir, "")
			require.NoError(t, err)
			assert.Equal(t, changes, len(loops) > 0)
			// A second bump has nothing to do.
			code, _, stderr = runBump(t, dir, "-w", "1.26")
			assert.Equal(t, command.ExitOK, code, stderr)
		})
	}
	assert.Positive(t, changedByGoLine, "no generated module changes meaning with the go line alone: the property is not exercised")
}

func TestKeepLoops(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"package a\n", "//go:build go1.21\n\npackage a\n"},
		{"// Package a does things.\npackage a\n", "//go:build go1.21\n\n// Package a does things.\npackage a\n"},
		{"//go:build linux || darwin\n\npackage a\n", "//go:build go1.21 && (linux || darwin)\n\npackage a\n"},
		{"// +build linux darwin\n// +build amd64\n\npackage a\n", "//go:build go1.21 && (linux || darwin) && amd64\n\npackage a\n"},
		{"//go:build linux\n// +build linux\n\npackage a\n", "//go:build go1.21 && linux\n\npackage a\n"},
		{"// Copyright.\n\n//go:build !windows\n\npackage a\n", "// Copyright.\n\n//go:build go1.21 && !windows\n\npackage a\n"},
	} {
		got, err := keepLoops([]byte(tc.in))
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(got), "%q", tc.in)
	}
}

// Files outside the build configuration (another GOOS) are kept at go1.21
// too, from their syntax: a bump must be neutral on every platform.
func TestLoopsInExcludedFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	write("go.mod", "module example.com/x\n\ngo 1.21\n")
	write("x.go", "package x\n\n// Sum adds.\nfunc Sum(xs []int) (s int) {\n\tfor _, v := range xs {\n\t\ts += v\n\t}\n\treturn s\n}\n")
	write("x_plan9.go", "package x\n\nfunc ptrs(xs []int) (out []*int) {\n\tfor _, v := range xs {\n\t\tout = append(out, &v)\n\t}\n\treturn out\n}\n")
	write("y_plan9.go", "package x\n\nfunc each(xs []T) {\n\tfor _, v := range xs {\n\t\tv.Touch()\n\t}\n}\n")
	res, err := PlanModule(context.Background(), dir, "1.26", true)
	require.NoError(t, err)
	var got []string
	for _, lf := range res.Loops {
		got = append(got, fmt.Sprintf("%s:%v", filepath.Base(lf.Path), lf.Lines))
		assert.True(t, strings.HasPrefix(string(lf.New), "//go:build go1.21 && plan9\n\n") || strings.HasPrefix(string(lf.New), "//go:build go1.21\n\n"), "%s", lf.New)
	}
	assert.Equal(t, []string{"x_plan9.go:[4]", "y_plan9.go:[4]"}, got)
}

// A directory whose every file is for another platform is skipped by go
// list ./...; its loops still keep their meaning.
func TestLoopsInExcludedDirectory(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "w"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "testdata"), 0o755))
	write := func(name, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	write("go.mod", "module example.com/w\n\ngo 1.21\n")
	write("main.go", "package main\n\nfunc main() {}\n")
	loop := "package w\n\nfunc f(xs []int) (o []*int) {\n\tfor _, v := range xs {\n\t\to = append(o, &v)\n\t}\n\treturn\n}\n"
	write("w/w_windows.go", loop)
	write("testdata/t.go", loop) // not part of the build
	res, err := PlanModule(context.Background(), dir, "1.26", true)
	require.NoError(t, err)
	require.Len(t, res.Loops, 1)
	assert.Equal(t, filepath.Join(dir, "w", "w_windows.go"), res.Loops[0].Path)
	assert.Equal(t, []int{4}, res.Loops[0].Lines)
}
