package engine

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/upshift-dev/upshift/internal/govet"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite"
)

// analyzeGoVet runs a round through go vet with the changed files as an
// overlay. Round 1 vets the run's patterns; a later round vets the
// packages of the files the round before it changed (as the in-process
// engine does), and the go command brings their dependencies and facts
// from its build cache: the go command's own cost of a round over every
// package, hashing and looking up each one, is what later rounds save.
func (e *engine) analyzeGoVet(ctx context.Context, round int, patterns []string, last *roundChanges) (*analyzed, error) {
	names := make([]string, len(e.opts.Analyzers))
	for i, a := range e.opts.Analyzers {
		names[i] = a.Name
	}
	for {
		e.progress("round %d: go vet", round)
		res, err := govet.Run{
			Dir: e.opts.Dir, Tool: e.opts.Tool, Analyzers: names, Flags: e.opts.Flags,
			Tags: e.opts.Tags, BuildFlags: e.opts.BuildFlags,
			Fixes: true, FixTier: string(tier.Behavior), Overlay: e.content,
			// Round 1 also learns what go vet does not tell: the files the
			// build configuration leaves out, and the suppression
			// directives.
			Engine:   round == 1,
			Progress: func(n int) { e.progress("round %d: go vet: %d packages done", round, n) },
		}.Do(ctx, patterns)
		if err != nil {
			return nil, err
		}
		if len(res.Errors) > 0 {
			var texts []string
			for _, err := range res.Errors {
				texts = append(texts, err.Text)
			}
			if round == 1 {
				return nil, &LoadError{Errors: texts}
			}
			bad := e.vetCulprits(ctx, res.Errors, last.before)
			if len(bad) == 0 {
				return nil, fmt.Errorf("fixed code does not type-check, and no changed file is to blame:\n%s", strings.Join(texts, "\n"))
			}
			e.rollbackAll(bad, last)
			continue
		}
		if res.Packages == 0 {
			return nil, &LoadError{Errors: []string{"no packages match " + strings.Join(e.opts.Patterns, " ")}}
		}
		if err := failureError(res.Failures); err != nil {
			return nil, err
		}
		an := &analyzed{
			covers:  e.covered(round, patterns),
			touched: e.changedDirs,
		}
		unused := map[string]bool{}
		for _, f := range res.Findings {
			if f.Category == "suppression" {
				unused[posKey(f.Pos)] = true
			}
			fd, err := e.fromVet(f)
			if err != nil {
				return nil, err
			}
			an.found = append(an.found, fd)
		}
		if round == 1 {
			e.graph = res.Graph
			for _, f := range res.Ignored {
				e.excluded[f] = true
			}
			e.recordSuppressed(unused, res.Directives)
		}
		return an, nil
	}
}

// changedDirs returns the directories of the changed files, and of the
// packages that import theirs, directly or not, as package patterns: the
// packages the next round analyzes (with their tests). A fix can change
// what its package tells its importers (a fact, such as a function that
// now sorts its result), and so their findings; go vet serves from its
// cache every importer whose inputs, facts included, did not change.
func (e *engine) changedDirs(changed map[string][]byte) []string {
	dirs := map[string]bool{}
	for f := range changed {
		dirs[filepath.Dir(f)] = true
	}
	for _, d := range importerDirs(e.graph, dirs) {
		dirs[d] = true
	}
	set := map[string]bool{}
	for d := range dirs {
		set[dirPattern(e.opts.Dir, d)] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// importerDirs returns the directories of the packages of graph that
// import, directly or not, a package in one of dirs.
func importerDirs(graph map[string]*govet.Package, dirs map[string]bool) []string {
	importedBy := map[string][]string{}
	var start []string
	for _, path := range slices.Sorted(maps.Keys(graph)) {
		for _, imp := range graph[path].Imports {
			importedBy[imp] = append(importedBy[imp], path)
		}
		if dirs[graph[path].Dir] {
			start = append(start, path)
		}
	}
	var out []string
	for _, path := range reach(start, func(p string) []string { return importedBy[p] }) {
		if p := graph[path]; p != nil && !dirs[p.Dir] {
			out = append(out, p.Dir)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// reach returns the nodes reachable from start (start included), each
// once, following next.
func reach(start []string, next func(string) []string) []string {
	seen := map[string]bool{}
	var out []string
	for queue := start; len(queue) > 0; queue = queue[1:] {
		if n := queue[0]; !seen[n] {
			seen[n] = true
			out = append(out, n)
			queue = append(queue, next(n)...)
		}
	}
	return out
}

// dirPattern names a directory as a package pattern for the go command
// run in dir: "./rel" inside it, the absolute path outside.
func dirPattern(dir, pkgDir string) string {
	rel, err := filepath.Rel(dir, pkgDir)
	switch {
	case err != nil || strings.HasPrefix(rel, ".."):
		return pkgDir
	case rel == ".":
		return "."
	}
	return "./" + filepath.ToSlash(rel)
}

// covered reports which files a round analyzed: every file in round 1
// (the run's patterns), and in a later round the files of the directories
// it vetted.
func (e *engine) covered(round int, patterns []string) func(string) bool {
	if round == 1 {
		return func(string) bool { return true }
	}
	return func(file string) bool {
		return slices.Contains(patterns, dirPattern(e.opts.Dir, filepath.Dir(file)))
	}
}

// fromVet turns a finding read from go vet into the engine's form: byte
// offsets into the text that go vet analyzed (the overlay's, for a changed
// file), which the JSON does not carry for positions.
func (e *engine) fromVet(f govet.Finding) (found, error) {
	src, err := e.current(f.Pos.Filename)
	if err != nil {
		return found{}, err
	}
	pos := f.Pos
	pos.Offset = offsetOf(src, pos.Line, pos.Column)
	fd := found{analyzer: f.Analyzer, category: f.Category, message: f.Message, pos: pos}
	for _, r := range f.Related {
		if strings.HasPrefix(r.Message, rewrite.NoFixPrefix) {
			fd.noFix = r.Message
			break
		}
	}
	for _, fix := range f.Fixes {
		p := proposal{message: fix.Message}
		for _, ed := range fix.Edits {
			if filepath.Clean(ed.Filename) != pos.Filename {
				p.err = fmt.Errorf("fix edits another file than its finding; not supported")
				break
			}
			if ed.Start < 0 || ed.End < ed.Start || ed.End > len(src) {
				p.err = fmt.Errorf("fix edits bytes %d-%d of a %d-byte file", ed.Start, ed.End, len(src))
				break
			}
			p.edits = append(p.edits, edit{start: ed.Start, end: ed.End, text: ed.New})
		}
		sortEdits(p.edits)
		fd.fixes = append(fd.fixes, p)
	}
	return fd, nil
}

// offsetOf is the byte offset of a 1-based line and byte column in src.
func offsetOf(src []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	return min(off+max(col-1, 0), len(src))
}

// vetCulprits maps each file changed in the last round to the go vet error
// that blames it: an error inside the file, or else any error in a package
// that holds a changed file (an unused import elsewhere, a duplicate
// name).
func (e *engine) vetCulprits(ctx context.Context, errs []govet.Error, lastRound map[string][]byte) map[string]string {
	bad := map[string]string{}
	for _, err := range errs {
		if _, ok := lastRound[err.File]; ok {
			if _, seen := bad[err.File]; !seen {
				bad[err.File] = err.Msg
			}
		}
	}
	if len(bad) > 0 {
		return bad
	}
	for _, err := range errs {
		if err.Package == "" {
			continue
		}
		dir, lerr := e.packageDir(ctx, err.Package)
		if lerr != nil {
			continue
		}
		for f := range lastRound {
			if filepath.Dir(f) == dir {
				if _, seen := bad[f]; !seen {
					bad[f] = err.Msg
				}
			}
		}
	}
	if len(bad) > 0 {
		return bad
	}
	// The error is in a package no fix touched that imports one that a
	// fix changed (an exported variable's type changed with its
	// initializer): the changed files of its dependencies are to blame.
	for _, err := range errs {
		deps := dependencyDirs(e.graph, err.Package)
		for f := range lastRound {
			if deps[filepath.Dir(f)] {
				if _, seen := bad[f]; !seen {
					bad[f] = "it breaks " + err.Package + ": " + err.Text
				}
			}
		}
	}
	return bad
}

// dependencyDirs returns the directories of the packages of graph that
// package path (or its external test package) imports, directly or not.
func dependencyDirs(graph map[string]*govet.Package, path string) map[string]bool {
	dirs := map[string]bool{}
	imports := func(p string) []string {
		if g := graph[p]; g != nil {
			return g.Imports
		}
		return nil
	}
	for _, p := range reach([]string{path, path + "_test"}, imports) {
		if g := graph[p]; g != nil && p != path && p != path+"_test" {
			dirs[g.Dir] = true
		}
	}
	return dirs
}

// packageDir returns the directory of a package: from round 1's package
// graph, else (a package go vet did not analyze) from the go command.
func (e *engine) packageDir(ctx context.Context, path string) (string, error) {
	if p := e.graph[path]; p != nil {
		return p.Dir, nil
	}
	args := append([]string{"list", "-e", "-f", "{{.Dir}}"}, e.opts.BuildFlags...)
	cmd := exec.CommandContext(ctx, "go", append(args, "--", path)...)
	cmd.Dir = e.opts.Dir
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}
