package migratecmd

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	c, err := ParseConfig(ConfigFile, []byte(`target: "1.26"
tier: behavior
moves: true
perf:
  mode: bench
  packages: [./internal/...]
  threshold: 0.02
  count: 3
exclude: [gen, vendor/x.go]
analyzers:
  maporder:
    strict: "true"
`))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{Target: "1.26", Tier: "behavior", Moves: true,
		Perf:      PerfConfig{Mode: "bench", Packages: []string{"./internal/..."}, Threshold: 0.02, Count: 3},
		Exclude:   []string{"gen", "vendor/x.go"},
		Analyzers: map[string]map[string]string{"maporder": {"strict": "true"}}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %+v\nwant %+v", c, want)
	}
	c, err = ParseConfig(ConfigFile, []byte(`perf:
  mode: capacity
  package: ./cmd/server
  paths: [/items, /users]
  traffic: testdata/prod.jsonl
  slo: p99=50ms
  cpus: 2
  memory: 512MiB
  target: "-2%"
  trials: 8
  window: 2s
  warmup: 500ms
  start_rate: 50
  max_rate: 2000
  tolerance: 10%
  backend: taskclock
`))
	if err != nil {
		t.Fatal(err)
	}
	wantPerf := PerfConfig{Mode: "capacity", Package: "./cmd/server", Paths: []string{"/items", "/users"}, Traffic: "testdata/prod.jsonl",
		SLO: "p99=50ms", CPUs: 2, Memory: "512MiB", Target: "-2%", Trials: 8, Window: "2s", Warmup: "500ms",
		StartRate: 50, MaxRate: 2000, Tolerance: "10%", Backend: "taskclock"}
	if !reflect.DeepEqual(c.Perf, wantPerf) {
		t.Errorf("got %+v\nwant %+v", c.Perf, wantPerf)
	}
	if c, err := ParseConfig(ConfigFile, nil); err != nil || !reflect.DeepEqual(c, &Config{}) {
		t.Errorf("empty file: %+v, %v", c, err)
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"target: 1.26\ntargte: 1.25\n", `.upshift.yaml:2:1: unknown key "targte"`},
		{"perf:\n  mode: bench\n  treshold: 0.1\n", `.upshift.yaml:3:3: unknown key "treshold"`},
		{"perf:\n  count: many\n", ".upshift.yaml:2:3: cannot unmarshal"},
		{"moves: sometimes\n", ".upshift.yaml:1:1: cannot unmarshal !!str `sometimes` into bool"},
		{"tier: reckless\n", `.upshift.yaml: tier "reckless": want safe or behavior`},
		{"perf:\n  mode: fast\n", `perf.mode "fast": want off, bench or capacity`},
		{"perf:\n  slo: p50=10ms\n", `.upshift.yaml: perf.slo: only the p99 latency can be gated`},
		{"perf:\n  slo: soon\n", `.upshift.yaml: perf.slo: want p99=DUR`},
		{"perf:\n  memory: lots\n", `.upshift.yaml: perf.memory: want a positive size such as 256MiB`},
		{"perf:\n  memory: 100KiB\n", `.upshift.yaml: perf.memory: size "100KiB" is below 1MiB`},
		{"perf:\n  target: less\n", `.upshift.yaml: perf.target: want a percentage change such as +10%, 0% or -5%`},
		{"perf:\n  cpus: -1\n", `.upshift.yaml: perf.cpus must be at least 1`},
		{"perf:\n  trials: 51\n", `.upshift.yaml: perf.trials must be between 1 and 50`},
		{"perf:\n  window: 100ms\n", `.upshift.yaml: perf.window must be at least 500ms`},
		{"perf:\n  window: long\n", `.upshift.yaml: perf.window: want a duration such as 3s or 500ms, not "long"`},
		{"perf:\n  warmup: -1s\n", `.upshift.yaml: perf.warmup must not be negative`},
		{"perf:\n  paths: [items]\n", `.upshift.yaml: perf.paths "items" must start with /`},
		{"perf:\n  tolerance: 0%\n", `.upshift.yaml: perf.tolerance: want a positive percentage`},
		{"perf:\n  start_rate: 500\n  max_rate: 100\n", `.upshift.yaml: perf.start_rate must be positive and at most perf.max_rate`},
		{"perf:\n  backend: abacus\n", ""},
		{"perf:\n  cpus: two\n", ".upshift.yaml:2:3: cannot unmarshal !!str `two` into int"},
		{"perf:\n  mode: capacity\n  pakage: .\n", `.upshift.yaml:3:3: unknown key "pakage"`},
		{"perf:\n  threshold: 5\n", "perf.threshold 5: want a fraction"},
		{"exclude: [/abs]\n", `exclude "/abs": want a path relative to the module root`},
		{"target: [\n", ".upshift.yaml: yaml:"},
	} {
		_, err := ParseConfig(ConfigFile, []byte(tc.in))
		if tc.want == "" {
			// The backend is checked when -perf capacity is chosen:
			// probing valgrind is not for every config read.
			if err != nil {
				t.Errorf("%q: %v", tc.in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
	}
}

// TestSchemaMatchesConfig checks that upshift.schema.json and Config
// describe the same keys with the same kinds of value, at every level.
func TestSchemaMatchesConfig(t *testing.T) {
	var schema map[string]any
	if err := json.Unmarshal(Schema, &schema); err != nil {
		t.Fatalf("upshift.schema.json: %v", err)
	}
	compare(t, "", schema, reflect.TypeOf(Config{}))
}

func compare(t *testing.T, path string, schema map[string]any, typ reflect.Type) {
	t.Helper()
	switch typ.Kind() {
	case reflect.Struct:
		if schema["type"] != "object" || schema["additionalProperties"] != false {
			t.Errorf("%s: schema should be a closed object (unknown keys are errors)", path)
		}
		props, _ := schema["properties"].(map[string]any)
		var fields []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			name := strings.Split(f.Tag.Get("yaml"), ",")[0]
			fields = append(fields, name)
			sub, ok := props[name].(map[string]any)
			if !ok {
				t.Errorf("%s%s: in Config, not in the schema", path, name)
				continue
			}
			if sub["description"] == nil {
				t.Errorf("%s%s: schema property has no description", path, name)
			}
			compare(t, path+name+".", sub, f.Type)
		}
		for name := range props {
			if !slices.Contains(fields, name) {
				t.Errorf("%s%s: in the schema, not in Config", path, name)
			}
		}
	case reflect.String:
		if schema["type"] != "string" && schema["enum"] == nil {
			t.Errorf("%s: Go string, schema %v", path, schema)
		}
	case reflect.Bool:
		if schema["type"] != "boolean" {
			t.Errorf("%s: Go bool, schema type %v", path, schema["type"])
		}
	case reflect.Float64:
		if schema["type"] != "number" {
			t.Errorf("%s: Go float64, schema type %v", path, schema["type"])
		}
	case reflect.Int:
		if schema["type"] != "integer" {
			t.Errorf("%s: Go int, schema type %v", path, schema["type"])
		}
	case reflect.Slice:
		items, _ := schema["items"].(map[string]any)
		if schema["type"] != "array" || items == nil {
			t.Errorf("%s: Go slice, schema %v", path, schema)
			return
		}
		compare(t, path+"[]", items, typ.Elem())
	case reflect.Map:
		add, _ := schema["additionalProperties"].(map[string]any)
		if schema["type"] != "object" || add == nil {
			t.Errorf("%s: Go map, schema %v", path, schema)
			return
		}
		compare(t, path+"*", add, typ.Elem())
	default:
		t.Errorf("%s: no schema rule for Go kind %s", path, typ.Kind())
	}
}

func TestLedgerRoundTrip(t *testing.T) {
	change := -0.25
	s := Stage{N: 4, Name: "unpin", Pass: 12, Fail: 1, Skip: 2, NewFailures: nil, Findings: 3, FindingsBy: "maporder 1, godebug 2",
		Pins: []string{"randseednop", "asynctimerchan"}, Perf: "bench: 2 benchmark(s)", InstrPerOp: 1234, Applied: 7, Capacity: 2345, CapacityChange: &change,
		KeptPins: []string{"randseednop: finding svc.go:22: rand.Seed", "asynctimerchan: test p TestTimer fails without it"},
		LeftOut:  []string{"maporder a.go:3: m (breaks p TestA)"}, Notes: []string{"a note"}}
	msg := s.message("go1.20", "go1.26")
	got, ok := parseStage("abc", msg)
	if !ok {
		t.Fatalf("no stage in\n%s", msg)
	}
	s.Commit, s.Verified, s.Notes = "abc", true, nil
	if !reflect.DeepEqual(got, s) {
		t.Errorf("round trip:\n got %+v\nwant %+v\nmessage:\n%s", got, s, msg)
	}
	// A capacity stage without a change (the baseline's figure).
	c := Stage{N: 0, Name: "baseline", Pins: []string{}, Perf: "capacity", Capacity: 180}
	if got, _ := parseStage("abc", c.message("go1.20", "go1.26")); got.Capacity != 180 || got.CapacityChange != nil || got.Perf != "capacity" {
		t.Errorf("capacity without change: %+v", got)
	}
	if _, ok := parseStage("def", "fix a typo\n\nSigned-off-by: x\n"); ok {
		t.Error("a user's commit parsed as a stage")
	}
	if k := leftKey("maporder a.go:3: m (breaks p TestA)"); k != "maporder\x00a.go\x00m" {
		t.Errorf("leftKey = %q", k)
	}
}

func TestParseTestJSON(t *testing.T) {
	out := `{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"    a_test.go:3: boom\n"}
{"Action":"fail","Package":"p","Test":"TestA"}
{"Action":"pass","Package":"p","Test":"TestB"}
{"Action":"skip","Package":"p","Test":"TestC"}
{"Action":"fail","Package":"p"}
{"Action":"build-output","ImportPath":"q.test","Output":"q.go:1: syntax error\n"}
{"Action":"fail","Package":"q"}
`
	tests, err := parseTestJSON([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"p TestA": fail, "p TestB": pass, "p TestC": skip, "q [package]": fail}
	if !reflect.DeepEqual(tests.Outcome, want) {
		t.Errorf("outcomes %v, want %v", tests.Outcome, want)
	}
	if !strings.Contains(tests.Output["p TestA"], "boom") {
		t.Errorf("output of TestA: %q", tests.Output["p TestA"])
	}
	if nf := tests.NewFailures(map[string]bool{"p TestA": true}); !slices.Equal(nf, []string{"q [package]"}) {
		t.Errorf("new failures %v", nf)
	}
	if !strings.Contains(tests.Output["q [package]"], "q.go:1: syntax error") {
		t.Errorf("build output of q: %q", tests.Output["q [package]"])
	}
}

// TestBuildErrorsAsText: with gotestjsonbuildtext=1 (pinned by the
// bump), the test build's vet errors come as text on stderr; they are the
// failing package's output, its external test package's included.
func TestBuildErrorsAsText(t *testing.T) {
	tests, err := parseTestJSON([]byte(`{"Action":"output","Package":"example.com/m/a","Output":"FAIL\texample.com/m/a [build failed]\n"}
{"Action":"fail","Package":"example.com/m/a"}
{"Action":"pass","Package":"example.com/m/b","Test":"TestB"}
`))
	if err != nil {
		t.Fatal(err)
	}
	tests.addBuildText(`# example.com/m/a_test
# [example.com/m/a_test]
a/x_test.go:9:27: (*testing.common).Errorf format %q has arg want of wrong type int
# example.com/m/c
c/c.go:3:1: not failing here
`)
	got := tests.Output["example.com/m/a [package]"]
	if !strings.HasPrefix(got, "a/x_test.go:9:27: (*testing.common).Errorf format %q has arg want of wrong type int\nFAIL") {
		t.Errorf("output of a:\n%s", got)
	}
	if _, ok := tests.Output["example.com/m/c [package]"]; ok {
		t.Error("output recorded for a package that did not fail")
	}
}
