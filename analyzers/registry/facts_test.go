package registry

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// TestFactsRoundTrip runs every analyzer over real code (upshift's own
// packages and their dependencies, standard library included) and checks
// what the go vet protocol and Bazel's nogo require of facts: each fact
// gob-encodes, decodes to an equal value, and encodes to the same bytes
// every time (facts land in content-addressed caches). It also checks that
// every fact type is declared in its analyzer's FactTypes. (sortties'
// facts need exported functions that sort a parameter with ties, which
// upshift's code and the standard library lack; its own tests cover them.)
func TestFactsRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and analyzes upshift's packages")
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: "../..", Tests: false}
	pkgs, err := packages.Load(cfg, "./analyzers/...", "./rewrite/...")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("packages do not load")
	}
	graph, err := checker.Analyze(Analyzers(), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[*analysis.Analyzer]map[reflect.Type]bool{}
	for _, a := range Analyzers() {
		declared[a] = map[reflect.Type]bool{}
		for _, f := range a.FactTypes {
			declared[a][reflect.TypeOf(f)] = true
		}
	}
	counts := map[string]int{}
	for act := range graph.All() {
		if _, ok := declared[act.Analyzer]; !ok {
			continue
		}
		var facts []analysis.Fact
		for _, f := range act.AllObjectFacts() {
			facts = append(facts, f.Fact)
		}
		for _, f := range act.AllPackageFacts() {
			facts = append(facts, f.Fact)
		}
		for _, f := range facts {
			typ := reflect.TypeOf(f)
			if !declared[act.Analyzer][typ] {
				t.Errorf("%s exports a %v fact it does not declare", act.Analyzer.Name, typ)
				continue
			}
			counts[act.Analyzer.Name]++
			if err := roundTrip(f); err != nil {
				t.Errorf("%s fact %v: %v", act.Analyzer.Name, f, err)
			}
		}
	}
	for _, name := range []string{"maporder", "bytestring", "wiredrift", "loopvar"} {
		if counts[name] == 0 {
			t.Errorf("no %s facts on upshift's own code: the test checks nothing for it", name)
		}
	}
	t.Logf("facts checked per analyzer: %v", counts)
}

func roundTrip(f analysis.Fact) error {
	var first, second bytes.Buffer
	if err := gob.NewEncoder(&first).Encode(f); err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	if err := gob.NewEncoder(&second).Encode(f); err != nil {
		return fmt.Errorf("encoding again: %w", err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		return fmt.Errorf("two encodings differ: gob wrote a map in iteration order")
	}
	// Decoding must keep everything the encoding holds: the decoded fact
	// encodes to the same bytes. (gob decodes an empty slice as nil, so
	// reflect.DeepEqual would be too strict.)
	enc := append([]byte(nil), first.Bytes()...)
	back := reflect.New(reflect.TypeOf(f).Elem()).Interface()
	if err := gob.NewDecoder(&first).Decode(back); err != nil {
		return fmt.Errorf("decoding: %w", err)
	}
	var again bytes.Buffer
	if err := gob.NewEncoder(&again).Encode(back); err != nil {
		return fmt.Errorf("encoding the decoded fact: %w", err)
	}
	if !bytes.Equal(enc, again.Bytes()) {
		return fmt.Errorf("decodes to %v, which encodes differently", back)
	}
	return nil
}
