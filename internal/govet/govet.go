// Package govet runs `go vet -json` with an upshift binary as its vet tool
// and reads back what the tool processes found: the go command loads,
// type-checks and analyzes each package in a process of its own, in
// parallel, passes facts between them in vetx files and serves unchanged
// packages from its build cache. upshift vet and upshift fix are built on
// it; the tool side is vetcmd.ServeTool.
package govet

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// The environment of a vet tool process. The go command passes its own
// environment on to the tool, so upshift tells the tool processes it
// starts what they need through these variables; those that change what
// the tool reports are part of the tool's -V=full line, which the go
// command keys its vet cache on.
const (
	// EnvFixTier is the highest fix tier the tool builds (safe, the
	// default, or behavior).
	EnvFixTier = "UPSHIFT_FIX_TIER"
	// EnvFixes=1 makes the tool build its fixes without -fix or -diff:
	// `upshift vet -format json` and `upshift fix` read them from the JSON.
	EnvFixes = "UPSHIFT_VET_FIXES"
	// EnvLog names a file each tool process appends the package it
	// analyzed to: what was not served from the go build cache.
	EnvLog = "UPSHIFT_VET_LOG"
	// FactsOnlyMark follows a tab on the log lines of dependencies the
	// tool analyzed only for facts (the vet config's VetxOnly).
	FactsOnlyMark = "facts"
	// EnvEngine=1 makes the tool's EngineAnalyzer report what upshift
	// fix needs beside the findings (Result.Ignored, Result.Directives),
	// so that go vet's cache keeps it with them and no `go list` of the
	// whole module has to find it again.
	EnvEngine = "UPSHIFT_VET_ENGINE"
	// EngineAnalyzer is the name of the tool's analyzer that reports it.
	EngineAnalyzer = "upshiftengine"
	// The categories of EngineAnalyzer's reports: a .go file the build
	// configuration leaves out (the message is its path), and a
	// //upshift:ignore directive with a reason (the message is the
	// analyzers it names, comma-separated, a tab, and the reason).
	CategoryIgnored   = "ignored-file"
	CategoryDirective = "directive"
	// CategoryPackage reports a package once: its path, a tab, its
	// directory, a tab, and the paths it imports, space-separated.
	CategoryPackage = "package"
)

// Run is one run of `go vet -json` with an upshift binary as its tool.
type Run struct {
	// Dir is the module directory the go command runs in.
	Dir string
	// Tool is the vet tool binary; it must serve the analyzers named in
	// Analyzers (vetcmd.ServeTool). Empty, the go command's own vet runs
	// (Analyzers then name its analyzers: printf, tests, ...).
	Tool string
	// Analyzers are the analyzers to run, by name.
	Analyzers []string
	// Flags are analyzer flags, "-name.flag=value", passed on as they are.
	Flags []string
	// Tags are build tags ("a,b"); empty for none.
	Tags string
	// BuildFlags are further go command flags (-modfile=...).
	BuildFlags []string
	// Env holds further environment variables for the go command
	// (KEY=value), on top of this process's environment.
	Env []string
	// Fixes asks the tool for suggested fixes up to FixTier.
	Fixes   bool
	FixTier string
	// Engine runs EngineAnalyzer too: Result.Ignored and
	// Result.Directives are filled in.
	Engine bool
	// Overlay replaces the content of files (absolute paths) for this run
	// only, through the go command's -overlay: the files on disk are not
	// touched. Positions in the result name the original files.
	Overlay map[string][]byte
	// Progress, when set, is called after each package with the number
	// of packages done so far.
	Progress func(done int)
}

// Result is what one go vet run found.
type Result struct {
	Findings []Finding
	// Failures are analyzer errors, one per analyzer and package.
	Failures []Failure
	// Errors are the go command's messages when a package did not build
	// or load.
	Errors []Error
	// Packages is how many packages go vet reported on; Analyzed lists
	// the IDs of those a tool process analyzed: the rest came from the go
	// build cache. FactsOnly counts the dependencies a tool process
	// analyzed only for the facts their importers need.
	Packages  int
	Analyzed  []string
	FactsOnly int
	// Ignored are the .go files of the analyzed packages that the build
	// configuration leaves out, and Directives the //upshift:ignore
	// directives with a reason in their files (generated files aside):
	// with Run.Engine only, and unsorted, a package's test variants
	// repeating them.
	Ignored    []string
	Directives []Directive
	// Graph holds each analyzed package (test variants merged into their
	// package): its directory and imports. With Run.Engine only.
	Graph map[string]*Package
}

// Package is a package of Result.Graph.
type Package struct {
	Dir     string
	Imports []string
}

// Directive is an //upshift:ignore directive with a reason.
type Directive struct {
	Pos       token.Position
	Analyzers []string
	Reason    string
}

// Finding is one diagnostic, resolved to positions.
type Finding struct {
	Analyzer string
	// ID is the analyzer's stable ID, filled in by the caller.
	ID       string
	Package  string
	Category string
	Pos      token.Position
	End      token.Position
	Message  string
	Related  []Related
	// Fixes are the suggested fixes, when they were asked for.
	Fixes []Fix
}

// Related is a secondary position of a finding, such as the sink.
type Related struct {
	Pos     token.Position
	End     token.Position
	Message string
}

// Failure is an analyzer's error on one package.
type Failure struct{ Package, Analyzer, Err string }

// Error is one line of the go command's complaint about a package that
// does not load, build or type-check.
type Error struct {
	// Package is the package the go command named above the message.
	Package string
	// File is the absolute path of the file the message points into, if
	// it points into one.
	File string
	// Text is the message, "file:line:col: what", the file relative to
	// Dir when it lies inside it.
	Text string
	// Msg is what is wrong, without the position.
	Msg string
}

// Do runs go vet on the patterns and collects what it printed.
func (g Run) Do(ctx context.Context, patterns []string) (*Result, error) {
	tmp, err := os.MkdirTemp("", overlayPrefix)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	log := filepath.Join(tmp, "analyzed.log")
	args := []string{"vet", "-json"}
	if g.Tool != "" {
		args = append(args, "-vettool="+g.Tool)
	}
	if g.Tags != "" {
		args = append(args, "-tags="+g.Tags)
	}
	args = append(args, g.BuildFlags...)
	unmap := func(name string) string { return name }
	if len(g.Overlay) > 0 {
		file, back, err := writeOverlay(tmp, g.Overlay)
		if err != nil {
			return nil, err
		}
		args = append(args, "-overlay="+file)
		unmap = back
	}
	for _, name := range g.Analyzers {
		args = append(args, "-"+name)
	}
	if g.Engine {
		args = append(args, "-"+EngineAnalyzer)
	}
	args = append(args, g.Flags...)
	args = append(args, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = g.Dir
	cmd.Env = append(append(os.Environ(), g.Env...), EnvLog+"="+log, EnvFixes+"=", EnvEngine+"=", EnvFixTier+"="+g.FixTier)
	if g.Fixes {
		cmd.Env = append(cmd.Env, EnvFixes+"=1")
	}
	if g.Engine {
		cmd.Env = append(cmd.Env, EnvEngine+"=1")
	}
	// go vet's -json output goes to stdout, one object per package, in
	// the order packages finish.
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("running go vet: %w", err)
	}
	res := &Result{}
	dec := json.NewDecoder(bufio.NewReaderSize(stdout, 1<<16))
	var decodeErr error
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err != nil {
			if !errors.Is(err, io.EOF) {
				decodeErr = fmt.Errorf("reading go vet -json output: %w", err)
				io.Copy(io.Discard, stdout)
			}
			break
		}
		res.Packages++
		if err := res.add(tree, unmap); err != nil && decodeErr == nil {
			decodeErr = err
		}
		if g.Progress != nil {
			g.Progress(res.Packages)
		}
	}
	waitErr := cmd.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if decodeErr != nil {
		return nil, decodeErr
	}
	// Packages finish in any order: sort what is not sorted later.
	slices.SortFunc(res.Failures, func(a, b Failure) int {
		return strings.Compare(a.Package+"\x00"+a.Analyzer+"\x00"+a.Err, b.Package+"\x00"+b.Analyzer+"\x00"+b.Err)
	})
	res.Errors = goErrors(g.Dir, stderr.String(), unmap)
	slices.SortStableFunc(res.Errors, func(a, b Error) int { return strings.Compare(a.Package, b.Package) })
	if waitErr != nil && len(res.Errors) == 0 {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = waitErr.Error()
		}
		return nil, errors.New(msg)
	}
	if data, err := os.ReadFile(log); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			id, factsOnly := strings.CutSuffix(line, "\t"+FactsOnlyMark)
			switch {
			case id == "":
			case factsOnly:
				res.FactsOnly++
			default:
				res.Analyzed = append(res.Analyzed, id)
			}
		}
		slices.Sort(res.Analyzed)
	}
	return res, nil
}

// Self returns this executable, to run as go vet's tool: upshift serves
// its own analyzers (vetcmd.ServeTool), and so does a test binary whose
// TestMain calls it.
func Self() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding the upshift binary to run as go vet's tool: %w", err)
	}
	return exe, nil
}

// ChangedFlags returns the flags of the analyzers whose value differs from
// the default, as go vet takes them (-name.flag=value): what a caller set
// on the analyzers in this process, passed on to the tool processes.
func ChangedFlags(analyzers []*analysis.Analyzer) []string {
	var out []string
	for _, a := range analyzers {
		a.Flags.VisitAll(func(f *flag.Flag) {
			if v := f.Value.String(); v != f.DefValue {
				out = append(out, "-"+a.Name+"."+f.Name+"="+v)
			}
		})
	}
	return out
}

// writeOverlay writes each replaced file's content under dir, keeping its
// base name (the go command wants .go files to stay .go files), and the
// overlay file that maps the originals to them. It returns the overlay
// file and a function that names the original of a written file.
//
// Each file goes to overlay/HASH/NAME, HASH a digest of its original's
// path. The go command keys its vet cache on content, not on where the
// content was read from: a later run that finds the same content cached
// gets back the positions of the run that stored it, in a temporary
// directory long gone. The digest in such a path still names the
// original.
func writeOverlay(dir string, overlay map[string][]byte) (string, func(string) string, error) {
	replace := map[string]string{}
	byHash := map[string]string{}
	for _, orig := range slices.Sorted(maps.Keys(overlay)) {
		h := pathHash(orig)
		sub := filepath.Join(dir, "overlay", h)
		if err := os.MkdirAll(sub, 0o700); err != nil {
			return "", nil, err
		}
		actual := filepath.Join(sub, filepath.Base(orig))
		if err := os.WriteFile(actual, overlay[orig], 0o600); err != nil {
			return "", nil, err
		}
		replace[orig] = actual
		byHash[h] = orig
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err != nil {
		return "", nil, err
	}
	file := filepath.Join(dir, "overlay.json")
	unmap := func(name string) string {
		hashDir := filepath.Dir(name)
		if filepath.Base(filepath.Dir(hashDir)) != "overlay" || !strings.HasPrefix(filepath.Base(filepath.Dir(filepath.Dir(hashDir))), overlayPrefix) {
			return name
		}
		if orig, ok := byHash[filepath.Base(hashDir)]; ok && filepath.Base(orig) == filepath.Base(name) {
			return orig
		}
		return name
	}
	return file, unmap, os.WriteFile(file, data, 0o600)
}

// overlayPrefix starts the name of each run's temporary directory.
const overlayPrefix = "upshift-vet-"

// pathHash is a short digest of a path, a directory name.
func pathHash(path string) string {
	sum := sha256.Sum256([]byte(path))
	return hex.EncodeToString(sum[:10])
}

// goErrors keeps the lines of the go command's stderr that say what is
// wrong, each with the package named in the "# pkg" header above it.
func goErrors(dir, stderr string, unmap func(string) string) []Error {
	var out []Error
	pkg := ""
	for _, line := range strings.Split(stderr, "\n") {
		line = strings.TrimRight(line, "\r")
		if rest, ok := strings.CutPrefix(line, "# "); ok {
			pkg = packagePath(rest)
			continue
		}
		if line == "" {
			continue
		}
		line = strings.TrimPrefix(line, "vet: ")
		e := Error{Package: pkg, Text: line, Msg: line}
		if at, msg, ok := strings.Cut(line, ": "); ok {
			if p := parsePosn(at); p.Line > 0 {
				file := p.Filename
				if !filepath.IsAbs(file) {
					file = filepath.Join(dir, file)
				}
				e.File = unmap(file)
				p.Filename = e.File
				if rel, err := filepath.Rel(dir, e.File); err == nil && !strings.HasPrefix(rel, "..") {
					p.Filename = rel
				}
				e.Text, e.Msg = p.String()+": "+msg, msg
			}
		}
		out = append(out, e)
	}
	return out
}

// The JSON the vet tool prints (golang.org/x/tools' analysisflags layout):
// package ID, then analyzer name, then either the diagnostics or
// {"error": "..."}.
type vetDiagnostic struct {
	Category       string   `json:"category"`
	Posn           string   `json:"posn"`
	End            string   `json:"end"`
	Message        string   `json:"message"`
	SuggestedFixes []Fix    `json:"suggested_fixes"`
	Related        []vetRel `json:"related"`
}

type vetRel struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

// Fix is a suggested fix as byte-offset edits of named files.
type Fix struct {
	Message string `json:"message"`
	Edits   []Edit `json:"edits"`
}

// Edit replaces the bytes [Start, End) of Filename with New.
type Edit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

func (res *Result) add(tree map[string]map[string]json.RawMessage, unmap func(string) string) error {
	// One object holds one package (and its test variants): visit it in
	// a fixed order so that equal input gives equal results.
	for _, id := range slices.Sorted(maps.Keys(tree)) {
		pkg := packagePath(id)
		byAnalyzer := tree[id]
		for _, analyzer := range slices.Sorted(maps.Keys(byAnalyzer)) {
			raw := byAnalyzer[analyzer]
			var failed struct{ Error string }
			if len(raw) > 0 && raw[0] == '{' {
				if err := json.Unmarshal(raw, &failed); err != nil {
					return fmt.Errorf("reading go vet -json output for %s: %w", id, err)
				}
				res.Failures = append(res.Failures, Failure{Package: pkg, Analyzer: analyzer, Err: failed.Error})
				continue
			}
			var diags []vetDiagnostic
			if err := json.Unmarshal(raw, &diags); err != nil {
				return fmt.Errorf("reading go vet -json output for %s: %w", id, err)
			}
			if analyzer == EngineAnalyzer {
				res.addEngine(diags, unmap)
				continue
			}
			for _, d := range diags {
				f := Finding{Analyzer: analyzer, Package: pkg, Category: d.Category,
					Pos: at(d.Posn, unmap), End: at(parseEnd(d.Posn, d.End), unmap), Message: d.Message, Fixes: d.SuggestedFixes}
				for _, r := range d.Related {
					f.Related = append(f.Related, Related{Pos: at(r.Posn, unmap), End: at(parseEnd(r.Posn, r.End), unmap), Message: r.Message})
				}
				for i := range f.Fixes {
					for j := range f.Fixes[i].Edits {
						f.Fixes[i].Edits[j].Filename = unmap(f.Fixes[i].Edits[j].Filename)
					}
				}
				res.Findings = append(res.Findings, f)
			}
		}
	}
	return nil
}

// addEngine reads EngineAnalyzer's reports.
func (res *Result) addEngine(diags []vetDiagnostic, unmap func(string) string) {
	for _, d := range diags {
		switch d.Category {
		case CategoryIgnored:
			res.Ignored = append(res.Ignored, d.Message)
		case CategoryDirective:
			names, reason, _ := strings.Cut(d.Message, "\t")
			res.Directives = append(res.Directives, Directive{Pos: at(d.Posn, unmap), Analyzers: strings.Split(names, ","), Reason: reason})
		case CategoryPackage:
			parts := strings.SplitN(d.Message, "\t", 3)
			if len(parts) != 3 {
				continue
			}
			if res.Graph == nil {
				res.Graph = map[string]*Package{}
			}
			p := res.Graph[parts[0]]
			if p == nil {
				p = &Package{Dir: parts[1]}
				res.Graph[parts[0]] = p
			}
			for _, imp := range strings.Fields(parts[2]) {
				if !slices.Contains(p.Imports, imp) {
					p.Imports = append(p.Imports, imp)
				}
			}
		}
	}
}

// packagePath drops the test variant's suffix from a package ID:
// "p [p.test]" is package p.
func packagePath(id string) string {
	if i := strings.Index(id, " ["); i >= 0 {
		return id[:i]
	}
	return id
}

// parseEnd returns an end position's text. The tool writes the start
// again when the analyzer gave no end: that is no end.
func parseEnd(posn, end string) string {
	if end == posn {
		return ""
	}
	return end
}

// at reads a position and names the original of an overlaid file.
func at(posn string, unmap func(string) string) token.Position {
	p := parsePosn(posn)
	if p.Filename != "" {
		p.Filename = unmap(p.Filename)
	}
	return p
}

// parsePosn reads "file:line:col" (or "file:line", or "file"), splitting
// from the right so that a Windows drive letter stays in the file name.
func parsePosn(s string) token.Position {
	if s == "" || s == "-" {
		return token.Position{}
	}
	p := token.Position{Filename: s}
	rest, last, ok := cutLast(s)
	if !ok {
		return p
	}
	n, err := strconv.Atoi(last)
	if err != nil {
		return p
	}
	if file, mid, ok := cutLast(rest); ok {
		if line, err := strconv.Atoi(mid); err == nil {
			return token.Position{Filename: filepath.Clean(file), Line: line, Column: n}
		}
	}
	return token.Position{Filename: filepath.Clean(rest), Line: n}
}

func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}
