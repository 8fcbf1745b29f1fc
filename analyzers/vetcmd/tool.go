package vetcmd

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/upshift-dev/upshift/analyzers/registry"
	"github.com/upshift-dev/upshift/analyzers/suppress"
	"github.com/upshift-dev/upshift/internal/command"
	"github.com/upshift-dev/upshift/internal/govet"
	"github.com/upshift-dev/upshift/internal/tier"
	"github.com/upshift-dev/upshift/rewrite"
)

// ServeTool speaks the go command's vet tool protocol when this process
// was started as a -vettool (go vet, go fix, or `upshift vet` through go
// vet) and exits; otherwise it returns at once. It runs the suite's
// analyzers, the codemods commands configure by flag (registry.ToolOnly:
// fix -move) and the directive check on the one package the go command
// describes in a .cfg file, with facts in the go command's vetx files.
func ServeTool(s Suite) {
	args := os.Args[1:]
	if len(args) == 1 && args[0] == "-V=full" {
		os.Exit(printToolID(os.Stdout, fixTier(), os.Getenv(govet.EnvFixes) == "1", os.Getenv(govet.EnvEngine) == "1"))
	}
	if !invokedByGoVet(args) {
		return
	}
	rewrite.SetWanted(wantsFixes(args))
	// go fix applies every fix it is given: build the safe tier only,
	// unless the user asks for more.
	rewrite.SetMaxTier(fixTier())
	if strings.HasSuffix(args[len(args)-1], ".cfg") {
		tuneGC()
	}
	if log := os.Getenv(govet.EnvLog); log != "" && strings.HasSuffix(args[len(args)-1], ".cfg") {
		logPackage(log, args[len(args)-1])
	}
	unitchecker.Main(s.served()...) // exits
}

// served lists what the tool process serves: the suite's analyzers, the
// codemods commands configure through flags (registry.ToolOnly, unless
// the suite has an analyzer of the same name), the directive check and
// the fix engine's report (engineAnalyzer).
func (s Suite) served() []*analysis.Analyzer {
	out := s.Analyzers()
	have := map[string]bool{DirectiveCheck.Name: true, govet.EngineAnalyzer: true}
	for _, a := range out {
		have[a.Name] = true
	}
	for _, a := range registry.ToolOnly() {
		if !have[a.Name] {
			out = append(out, a)
		}
	}
	return append(out, directiveAnalyzer(s), engineAnalyzer)
}

// invokedByGoVet reports whether go vet runs us as its -vettool: it asks
// for -V=full and -flags, then passes a *.cfg file describing one package.
func invokedByGoVet(args []string) bool {
	if len(args) == 0 {
		return false
	}
	if args[0] == "-flags" || strings.HasPrefix(args[0], "-V") {
		return true
	}
	return strings.HasSuffix(args[len(args)-1], ".cfg")
}

// wantsFixes reports whether anyone reads the fixes: -fix (go fix, go vet
// -fix) applies them and -diff shows them, and upshift's own commands ask
// through the environment. Go 1.26's go vet passes -json on every run and
// prints the diagnostics itself, so -json alone does not mean that anyone
// reads the fixes; the analyzers then skip building them.
func wantsFixes(args []string) bool {
	if os.Getenv(govet.EnvFixes) == "1" {
		return true
	}
	for _, a := range args {
		name, value, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "fix" || name == "diff") && value != "false" {
			return true
		}
	}
	return false
}

// fixTier is the highest tier of fix the vet tool builds: safe, or
// behavior when UPSHIFT_FIX_TIER=behavior.
func fixTier() tier.Tier {
	if os.Getenv(govet.EnvFixTier) == string(tier.Behavior) {
		return tier.Behavior
	}
	return tier.Safe
}

// printToolID answers the go command's -V=full: "upshift version
// VERSION+CONTENTHASH fixtier=TIER[ fixes][ engine]". A release-style
// line (no "devel") is used whole as the tool's cache key, so results
// built for one tier, without fixes, or without the engine's reports, are
// never reused where they would be wrong.
func printToolID(w io.Writer, t tier.Tier, fixes, engine bool) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "upshift: %v\n", err)
		return command.ExitError
	}
	sum, err := exeHash(exe)
	if err != nil {
		fmt.Fprintf(os.Stderr, "upshift: reading %s: %v\n", exe, err)
		return command.ExitError
	}
	extra := ""
	if fixes {
		extra = " fixes"
	}
	if engine {
		extra += " engine"
	}
	fmt.Fprintf(w, "%s version %s+%s fixtier=%s%s\n", filepath.Base(os.Args[0]), command.Version, sum, t, extra)
	return command.ExitOK
}

// exeHash returns the first 16 bytes of the SHA-256 of the executable,
// hex. The go command asks for the tool's ID on every go vet run, and
// hashing a 20 MB binary each time is most of a warm run's overhead, so
// the digest is kept in the user's cache directory keyed by the file's
// path, size and modification time; a rebuilt binary changes those.
func exeHash(exe string) (string, error) {
	st, err := os.Stat(exe)
	if err != nil {
		return "", err
	}
	stamp := fmt.Sprintf("%d %d", st.Size(), st.ModTime().UnixNano())
	var cache string
	if dir, err := os.UserCacheDir(); err == nil {
		key := sha256.Sum256([]byte(exe))
		cache = filepath.Join(dir, "upshift", "toolid-"+hex.EncodeToString(key[:8]))
		if data, err := os.ReadFile(cache); err == nil {
			if got, sum, ok := strings.Cut(strings.TrimSpace(string(data)), "="); ok && got == stamp && len(sum) == 32 {
				return sum, nil
			}
		}
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	sum := hex.EncodeToString(h.Sum(nil)[:16])
	if cache != "" && os.MkdirAll(filepath.Dir(cache), 0o755) == nil {
		// Written whole and renamed into place: a concurrent reader sees
		// the old entry or the new one. A failure only costs the next
		// run a hash.
		if tmp, err := os.CreateTemp(filepath.Dir(cache), "toolid-*"); err == nil {
			_, werr := tmp.WriteString(stamp + "=" + sum + "\n")
			if cerr := tmp.Close(); werr == nil && cerr == nil {
				if os.Rename(tmp.Name(), cache) != nil {
					os.Remove(tmp.Name())
				}
			} else {
				os.Remove(tmp.Name())
			}
		}
	}
	return sum, nil
}

// logPackage appends the import path the vet config names to the log file.
// One short O_APPEND write per process keeps lines whole when the go
// command runs tools in parallel. Failing to log never fails the analysis.
func logPackage(log, cfgFile string) {
	data, err := os.ReadFile(cfgFile)
	if err != nil {
		return
	}
	var cfg struct {
		ID       string
		VetxOnly bool
	}
	if json.Unmarshal(data, &cfg) != nil {
		return
	}
	f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	line := cfg.ID
	if cfg.VetxOnly {
		line += "\t" + govet.FactsOnlyMark
	}
	f.WriteString(line + "\n")
}

// engineAnalyzer reports, when upshift fix's engine runs go vet
// (govet.EnvEngine), what the engine needs beside the findings and go vet
// does not say: the package's directory and imports (a later round
// analyzes the importers of what the round before changed), each .go file
// of the package that the build configuration leaves out, and each
// //upshift:ignore directive with a reason (the findings it silences are
// recorded as skipped). Kept in go vet's cache
// with the findings, it spares a `go list` of the whole module. Anyone
// else running the tool gets nothing from it.
var engineAnalyzer = &analysis.Analyzer{
	Name: govet.EngineAnalyzer,
	Doc:  "reports the build-excluded files and the suppression directives of each package to upshift fix (internal; reports nothing unless " + govet.EnvEngine + "=1)",
	Run: func(pass *analysis.Pass) (any, error) {
		if os.Getenv(govet.EnvEngine) != "1" || len(pass.Files) == 0 {
			return nil, nil
		}
		var imports []string
		for _, imp := range pass.Pkg.Imports() {
			imports = append(imports, imp.Path())
		}
		dir := filepath.Dir(pass.Fset.File(pass.Files[0].Pos()).Name())
		pass.Report(analysis.Diagnostic{Pos: pass.Files[0].Package, Category: govet.CategoryPackage,
			Message: pass.Pkg.Path() + "\t" + dir + "\t" + strings.Join(imports, " ")})
		for _, f := range pass.IgnoredFiles {
			if strings.HasSuffix(f, ".go") {
				pass.Report(analysis.Diagnostic{Pos: pass.Files[0].Package, Category: govet.CategoryIgnored, Message: f})
			}
		}
		for _, file := range pass.Files {
			if suppress.IsGenerated(file) {
				continue
			}
			for _, d := range suppress.Parse(pass.Fset, file) {
				if len(d.Analyzers) > 0 && d.Reason != "" {
					pass.Report(analysis.Diagnostic{Pos: d.Pos, Category: govet.CategoryDirective,
						Message: strings.Join(d.Analyzers, ",") + "\t" + d.Reason})
				}
			}
		}
		return nil, nil
	},
}

// directiveAnalyzer reports //upshift:ignore directives that name no
// analyzer of the suite, or no analyzer at all. Directives naming a known
// analyzer are checked by that analyzer (suppress.Install): unused ones
// and those without a reason.
func directiveAnalyzer(s Suite) *analysis.Analyzer {
	known := map[string]bool{}
	for _, c := range s.Checks {
		known[c.Name] = true
	}
	return &analysis.Analyzer{
		Name: DirectiveCheck.Name,
		Doc:  DirectiveCheck.Title,
		URL:  DirectiveCheck.URL,
		Run: func(pass *analysis.Pass) (any, error) {
			for _, file := range pass.Files {
				reportDirectives(pass, file, known)
			}
			return nil, nil
		},
	}
}

func reportDirectives(pass *analysis.Pass, file *ast.File, known map[string]bool) {
	for _, d := range suppress.Parse(pass.Fset, file) {
		if len(d.Analyzers) == 0 {
			pass.Report(analysis.Diagnostic{Pos: d.Pos, Category: "suppression",
				Message: "//upshift:ignore needs an analyzer name and a reason"})
			continue
		}
		for _, name := range d.Analyzers {
			if known[name] {
				continue
			}
			msg := fmt.Sprintf("//upshift:ignore names unknown analyzer %q: it suppresses nothing", name)
			if name == "" {
				msg = "//upshift:ignore needs an analyzer name and a reason"
			}
			pass.Report(analysis.Diagnostic{Pos: d.Pos, Category: "suppression", Message: msg})
		}
	}
}
