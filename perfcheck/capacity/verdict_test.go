package capacity

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func search(capacity float64, at, fail Step) Search {
	at.Rate, at.Pass = capacity, true
	fail.Pass = false
	return Search{Capacity: capacity, AtCapacity: &at, FirstFail: &fail, Steps: []Step{at, fail}}
}

func TestAttribute(t *testing.T) {
	c := DefaultCriteria()
	cases := []struct {
		name  string
		s     Search
		want  Bound
		words []string
	}{
		{"rss over budget", search(400, Step{GCShare: 0.05, PeakRSS: 200 << 20},
			Step{Rate: 440, Fail: FailMemory, Why: "peak RSS 260MiB over the 256MiB budget", PeakRSS: 260 << 20, AllocPerRequest: 1 << 20}),
			BoundMemory, []string{"440 req/s", "peak RSS", "1.0MiB allocated per request"}},
		{"gc share", search(388, Step{CPU: 0.7, GCShare: 0.47, GCCycles: 291, AllocPerRequest: 4 << 20},
			Step{Rate: 400, Fail: FailLatency, Why: "p99 1s over the SLO 100ms", CPU: 0.9, GCShare: 0.34}),
			BoundMemory, []string{"GC took 47%", "388 req/s", "4.0MiB allocated"}},
		{"cpu", search(2400, Step{CPU: 0.93, GCShare: 0.04, CPUPerRequest: 390 * time.Microsecond},
			Step{Rate: 2500, Fail: FailLatency, Why: "p99", CPU: 0.97, GCShare: 0.05}),
			BoundCPU, []string{"0.97 of its 1 CPU", "2500 req/s"}},
		{"cpu starved by neighbours", search(3200, Step{CPU: 0.45, CPUWait: 0.3},
			Step{Rate: 3300, Fail: FailLatency, Why: "p99", CPU: 0.45, CPUWait: 0.5}),
			BoundCPU, []string{"waited 0.50", "other processes"}},
		{"latency with cpu to spare", search(90, Step{CPU: 0.1},
			Step{Rate: 100, Fail: FailLatency, Why: "p99 300ms over the SLO 100ms", CPU: 0.12}),
			BoundLatency, []string{"CPU to spare", "0.12 of 1 CPU"}},
		{"capped", Search{Capacity: 5000, Capped: true}, BoundNone, []string{"at least"}},
	}
	for _, tc := range cases {
		got := Attribute(tc.s, c, 1)
		if got.Bound != tc.want {
			t.Errorf("%s: bound %s (%s); want %s", tc.name, got.Bound, got.Why, tc.want)
		}
		for _, w := range tc.words {
			if !strings.Contains(got.Why, w) {
				t.Errorf("%s: %q does not mention %q", tc.name, got.Why, w)
			}
		}
	}
	// Two CPUs: 0.97 of one core is not saturation.
	if got := Attribute(cases[2].s, c, 2); got.Bound != BoundLatency {
		t.Errorf("with 2 CPUs, 0.97 busy is not CPU-bound: got %s", got.Bound)
	}
}

func TestDecide(t *testing.T) {
	base := search(1000, Step{}, Step{Rate: 1100})
	up := search(1150, Step{}, Step{Rate: 1200})
	flat := search(1004, Step{}, Step{Rate: 1100})
	work := func(n float64) *Work { return &Work{Backend: "valgrind", Unit: "instructions", PerRequest: n} }
	mem := Constraint{BoundMemory, "GC took 40%"}

	v, err := Decide(base, up, 0.10, work(1e6), work(8e5), mem)
	if err != nil || !v.Pass || v.Story != "" || !strings.Contains(v.Summary, "+15.0%") {
		t.Errorf("improvement: %+v, %v", v, err)
	}
	v, err = Decide(base, flat, 0.10, work(1e6), work(8.82e5), mem)
	if err != nil || v.Pass {
		t.Fatalf("flat capacity passed a +10%% target: %+v, %v", v, err)
	}
	for _, w := range []string{"instructions/request fell 11.8%", "capacity changed +0.4%", "bound by memory/GC", "GC took 40%"} {
		if !strings.Contains(v.Story, w) {
			t.Errorf("story %q lacks %q", v.Story, w)
		}
	}
	// More work per request: no story, just the miss.
	if v, _ := Decide(base, flat, 0.10, work(1e6), work(1.2e6), mem); v.Pass || v.Story != "" {
		t.Errorf("more instructions: %+v", v)
	}
	// Figures of different backends are never compared.
	tc := &Work{Backend: "taskclock", Unit: "ns", PerRequest: 1}
	if v, _ := Decide(base, flat, 0.10, work(1e6), tc, mem); v.Story != "" {
		t.Errorf("compared across backends: %q", v.Story)
	}
	// A negative target tolerates a loss.
	if v, _ := Decide(base, search(960, Step{}, Step{Rate: 1000}), -0.05, nil, nil, mem); !v.Pass {
		t.Errorf("-4%% failed a -5%% target: %+v", v)
	}
	if _, err := Decide(Search{Capacity: 5000, Capped: true}, up, 0, nil, nil, mem); err == nil {
		t.Error("a capped base was compared")
	}
}

func sampleReport() *Report {
	base := search(3200, Step{Achieved: 3200, P99: 3 * time.Millisecond, CPU: 0.8, PeakRSS: 12 << 20, CPUPerRequest: 110 * time.Microsecond},
		Step{Rate: 3400, Achieved: 3000, Fail: FailLatency, Why: "p99 300ms over the SLO 100ms", P99: 300 * time.Millisecond, CPU: 0.95})
	head := search(400, Step{Achieved: 400, P99: 20 * time.Millisecond, CPU: 0.7, GCShare: 0.45, PeakRSS: 50 << 20},
		Step{Rate: 420, Fail: FailMemory, Why: "peak RSS 260MiB over the 256MiB budget", P99: time.Second, PeakRSS: 260 << 20})
	r := &Report{
		Base: Side{Label: "base", Spec: "testdata/sample/baseline", Search: base, Work: &Work{Backend: "valgrind", Unit: "instructions", PerRequest: 468000, Describe: "cachegrind"}},
		Head: Side{Label: "head", Spec: "testdata/<migrated>", Search: head, Work: &Work{Backend: "valgrind", Unit: "instructions", PerRequest: 1358000, Describe: "cachegrind"}},
		CPUs: 1, CPUSet: "CPU 1", Memory: 256 << 20, SLO: 100 * time.Millisecond, MaxErrorRate: 0.001, Window: 3 * time.Second, Warmup: time.Second,
	}
	r.Base.Bound = Attribute(base, DefaultCriteria(), 1)
	r.Head.Bound = Attribute(head, DefaultCriteria(), 1)
	v, err := Decide(base, head, 0, r.Base.Work, r.Head.Work, r.Head.Bound)
	if err != nil {
		panic(err)
	}
	r.Verdict = v
	return r
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, w := range []string{"FAIL: capacity 3200 -> 400 req/s (-87.5%)", "head bound by memory/GC", "base bound by CPU",
		"instructions/request (valgrind)", "0.468M", "steps (head", "peak RSS 260MiB"} {
		if !strings.Contains(out, w) {
			t.Errorf("text report lacks %q:\n%s", w, out)
		}
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Head.Search.Capacity != 400 || back.Head.Bound.Bound != BoundMemory || back.Verdict.Pass || back.Base.Work.PerRequest != 468000 {
		t.Errorf("round trip lost data: %+v", back)
	}
}

func TestWriteReportFiles(t *testing.T) {
	dir := t.TempDir()
	r := sampleReport()
	svgPath := filepath.Join(dir, "chart.svg")
	if err := r.WriteFile(svgPath); err != nil {
		t.Fatal(err)
	}
	svg, _ := os.ReadFile(svgPath)
	checkXML(t, svg)
	if n := strings.Count(string(svg), "<circle"); n != 4 {
		t.Errorf("chart has %d points; want 4 (2 steps per side)", n)
	}
	if !strings.Contains(string(svg), "testdata/&lt;migrated&gt;") {
		t.Error("spec not escaped in the SVG")
	}
	htmlPath := filepath.Join(dir, "report.html")
	os.WriteFile(htmlPath, []byte("old"), 0o644)
	if err := r.WriteFile(htmlPath); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(htmlPath)
	for _, w := range []string{"<svg", "FAIL", "bound by <b>memory/GC</b>", "<td>3200</td>"} {
		if !strings.Contains(string(page), w) {
			t.Errorf("HTML report lacks %q", w)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := r.WriteFile(filepath.Join(dir, "r.png")); err == nil {
		t.Error(".png accepted")
	}
}

func checkXML(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
	}
}

func TestNiceCeil(t *testing.T) {
	for in, want := range map[float64]float64{26880: 30000, 1000: 1000, 1001: 1200, 0.7: 0.8, 420: 500} {
		if got := niceCeil(in); math.Abs(got-want) > 1e-9 {
			t.Errorf("niceCeil(%v) = %v; want %v", in, got, want)
		}
	}
}
