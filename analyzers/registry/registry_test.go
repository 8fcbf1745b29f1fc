package registry

import (
	"bytes"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/analyzers/meta"
	"github.com/upshift-dev/upshift/internal/tier"
)

// TestEntries checks what everything derived from the registry relies on:
// each check carries its analyzer under the same name, names and rule IDs
// are unique (an ID is never reused), and the docs are complete.
func TestEntries(t *testing.T) {
	names := map[string]bool{}
	ids := map[string]bool{"UP1000": true} // the directive check of upshift vet
	idForm := regexp.MustCompile(`^UP[0-9]{4}$`)
	for _, c := range checks {
		if c.Analyzer == nil {
			t.Errorf("check %s has no analyzer", c.Name)
			continue
		}
		if c.Analyzer.Name != c.Name {
			t.Errorf("check %s carries analyzer %s", c.Name, c.Analyzer.Name)
		}
		if names[c.Name] {
			t.Errorf("analyzer name %s is registered twice", c.Name)
		}
		names[c.Name] = true
		if !idForm.MatchString(c.ID) {
			t.Errorf("%s: rule ID %q is not of the form UP1234", c.Name, c.ID)
		}
		if ids[c.ID] {
			t.Errorf("%s: rule ID %s is already taken", c.Name, c.ID)
		}
		ids[c.ID] = true
		switch c.Tier {
		case tier.Safe, tier.Behavior, tier.None:
		default:
			t.Errorf("%s: unknown fix tier %q", c.Name, c.Tier)
		}
		if c.Title != meta.Title(c.Analyzer.Doc) || c.Title == "" || len(c.Title) > 60 ||
			strings.HasSuffix(c.Title, ".") || strings.ToLower(c.Title[:1]) != c.Title[:1] {
			t.Errorf("%s: title %q must start the analyzer's doc, lowercase, no period, at most 60 characters", c.Name, c.Title)
		}
		if c.URL != c.Analyzer.URL {
			t.Errorf("%s: URL %q differs from the analyzer's %q", c.Name, c.URL, c.Analyzer.URL)
		}
		if c.Why == "" || c.Before == "" || c.After == "" || c.URL == "" || c.Since == "" {
			t.Errorf("%s: metadata incomplete (why, before, after, URL, since): %+v", c.Name, c)
		}
		if c.Severity != "warning" && c.Severity != "error" {
			t.Errorf("%s: severity %q", c.Name, c.Severity)
		}
	}
	if len(Analyzers()) != len(checks) {
		t.Errorf("Analyzers() has %d entries for %d checks", len(Analyzers()), len(checks))
	}
}

// stableIDs are the rule IDs already published: an analyzer keeps its ID
// for ever, and a retired ID is never given to another check.
var stableIDs = map[string]string{
	"maporder": "UP1001", "bytestring": "UP1002", "wiredrift": "UP1003",
	"iterchange": "UP1004", "godebug": "UP1005", "loopvar": "UP1006",
	"sortties": "UP1007",
}

func TestStableIDs(t *testing.T) {
	for _, c := range checks {
		if want, ok := stableIDs[c.Name]; ok && c.ID != want {
			t.Errorf("%s changed its rule ID from %s to %s", c.Name, want, c.ID)
		}
	}
	for name, id := range stableIDs {
		for _, c := range checks {
			if c.ID == id && c.Name != name {
				t.Errorf("rule ID %s of %s was given to %s", id, name, c.Name)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	for _, c := range checks {
		for _, key := range []string{c.Name, c.ID, strings.ToLower(c.ID)} {
			got, ok := Lookup(key)
			if !ok || got.Name != c.Name {
				t.Errorf("Lookup(%q) = %s, %v; want %s", key, got.Name, ok, c.Name)
			}
		}
	}
	if _, ok := Lookup("nosuch"); ok {
		t.Error("Lookup(nosuch) succeeded")
	}
}

var update = flag.Bool("update", false, "rewrite README.md's analyzer table from the registry")

// TestReadmeTable checks that README.md's analyzer table is the one the
// registry renders; -update rewrites it.
func TestReadmeTable(t *testing.T) {
	const path = "../../README.md"
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	begin := regexp.MustCompile(`<!-- analyzers:begin[^\n]*-->\n`).FindIndex(readme)
	end := bytes.Index(readme, []byte("<!-- analyzers:end -->"))
	if begin == nil || end < begin[1] {
		t.Fatalf("%s has no <!-- analyzers:begin --> ... <!-- analyzers:end --> block", path)
	}
	got, want := string(readme[begin[1]:end]), Markdown()
	if got == want {
		return
	}
	if *update {
		out := append(append(append([]byte(nil), readme[:begin[1]]...), want...), readme[end:]...)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's analyzer table is stale: run go test ./analyzers/registry -run TestReadmeTable -update\ngot:\n%s\nwant:\n%s", got, want)
}

// TestToolOnly: the codemods the vet tool serves besides the checks are
// configured by flags, documented like the checks, and never taken for a
// check: no check or the directive check has their name, and Lookup (upshift
// explain) does not find them.
func TestToolOnly(t *testing.T) {
	for _, a := range ToolOnly() {
		if _, ok := Lookup(a.Name); ok || a.Name == "directive" {
			t.Errorf("tool-only analyzer %s has the name of a check", a.Name)
		}
		for _, c := range checks {
			if c.Analyzer == a {
				t.Errorf("tool-only analyzer %s is also check %s", a.Name, c.Name)
			}
		}
		if title := meta.Title(a.Doc); title == "" || len(title) > 60 || strings.HasSuffix(title, ".") {
			t.Errorf("%s: title %q: lowercase, no period, at most 60 characters", a.Name, title)
		}
		n := 0
		a.Flags.VisitAll(func(*flag.Flag) { n++ })
		if n == 0 {
			t.Errorf("%s has no flag to configure it", a.Name)
		}
	}
}
