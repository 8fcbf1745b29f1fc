package capacity

import (
	"strings"
	"testing"
)

func trialsOf(noise Noise, changes ...float64) []Trial {
	var ts []Trial
	for _, c := range changes {
		ts = append(ts, Trial{Base: 1000, Head: 1000 * (1 + c), Change: c, Valid: true, Noise: noise})
	}
	return ts
}

func TestDecideTrials(t *testing.T) {
	quiet := Noise{OtherCPU: 0.05, Steal: 0, Wait: 0.01, MHzSpread: 0, Windows: 10}
	hog := Noise{OtherCPU: 0.9, Steal: 0, Wait: 0.3, MHzSpread: -1, Windows: 10}
	cases := []struct {
		name    string
		trials  []Trial
		target  float64
		want    Outcome
		reasons []string
	}{
		{"better, quiet", trialsOf(quiet, 0.22, 0.18, 0.25, 0.2, 0.19, 0.21), 0, OutcomePass, nil},
		{"better, hog", trialsOf(hog, 0.22, 0.05, 0.25, 0.2, 0.01, 0.21), 0, OutcomePass, nil},
		{"regression, quiet", trialsOf(quiet, -0.2, -0.18, -0.22, -0.25, -0.19, -0.2), 0, OutcomeFail, nil},
		// Head lost in every pair: noise does not do that.
		{"regression, hog", trialsOf(hog, -0.2, -0.05, -0.22, -0.3, -0.1, -0.2), 0, OutcomeFail, []string{"every trial pair"}},
		// A neighbour squeezed a real +19% towards 0: short of a +10%
		// target, but not a regression. Quiet, that is a FAIL; noisy, no.
		{"short of target, quiet", trialsOf(quiet, 0.05, 0.04, 0.06, 0.02, 0.03, 0.05), 0.10, OutcomeFail, nil},
		{"short of target, hog", trialsOf(hog, 0.05, 0.04, 0.06, 0.02, 0.03, 0.05), 0.10, OutcomeInconclusive, []string{"noisy", "other processes used 0.90 CPU", "waited 0.30"}},
		{"straddles", trialsOf(quiet, 0.05, -0.04, 0.06, -0.02, 0.03, 0.01), 0, OutcomeInconclusive, []string{"contains the target"}},
		{"too few", trialsOf(quiet, 0.2, 0.2, 0.2), 0, OutcomeInconclusive, []string{"3 valid trials", "need >= 6 samples"}},
		{"no base", []Trial{{Valid: false}, {Valid: false}}, 0, OutcomeInconclusive, []string{"no trial measured a base capacity"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := DecideTrials(tc.trials, tc.target, 0.95)
			if v.Outcome != tc.want {
				t.Errorf("outcome %s (%s; %s), want %s", v.Outcome, v.Summary, v.Reason, tc.want)
			}
			if v.Pass != (v.Outcome == OutcomePass) {
				t.Errorf("Pass %v with outcome %s", v.Pass, v.Outcome)
			}
			for _, w := range tc.reasons {
				if !strings.Contains(v.Reason, w) && !strings.Contains(v.NoiseWhy, w) {
					t.Errorf("reason %q lacks %q", v.Reason, w)
				}
			}
			if v.Outcome == OutcomeInconclusive && v.Advice == "" {
				t.Errorf("INCONCLUSIVE without advice")
			}
		})
	}
}

func TestMachineParsers(t *testing.T) {
	m, err := parseProcStat([]byte("cpu  70524 10 19336 130458 224 5 125 621 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Busy.Milliseconds() != (70524+10+19336+5+125)*10 || m.Steal.Milliseconds() != 6210 {
		t.Errorf("parsed %+v", m)
	}
	if _, err := parseProcStat([]byte("intr 1 2 3\n")); err == nil {
		t.Error("a file without the cpu line parsed")
	}
	lo, hi, ok := parseCPUMHz([]byte("processor\t: 0\ncpu MHz\t\t: 2596.130\nprocessor\t: 1\ncpu MHz\t\t: 1800.5\n"))
	if !ok || lo != 1800.5 || hi != 2596.130 {
		t.Errorf("MHz %v %v %v", lo, hi, ok)
	}
	if _, _, ok := parseCPUMHz([]byte("processor\t: 0\nBogoMIPS\t: 48.00\n")); ok {
		t.Error("cpuinfo without MHz (arm64) reported a clock")
	}
	n := noiseOf([]Step{{OtherCPU: 0.5, Steal: 0.1, CPUWait: 0.2, MHzLo: 2000, MHzHi: 2400}, {OtherCPU: -1, Steal: -1, CPUWait: 0}})
	if n.OtherCPU != 0.5 || n.Steal != 0.1 || n.Wait != 0.1 || n.Windows != 2 || n.MHzSpread < 0.16 || n.MHzSpread > 0.17 {
		t.Errorf("noise %+v", n)
	}
	if why := n.noisy(); !strings.Contains(why, "other processes used 0.50 CPU") || !strings.Contains(why, "stole 0.10") || !strings.Contains(why, "clock moved by 17%") {
		t.Errorf("noisy() = %q", why)
	}
}

func TestWriteTextTrials(t *testing.T) {
	r := sampleReport()
	noise := Noise{OtherCPU: 0.9, Steal: -1, Wait: 0.3, MHzSpread: -1, Windows: 8}
	r.Trials = trialsOf(noise, 0.05, 0.04, 0.06, 0.02, 0.03, 0.05)
	r.Trials[0].First = "interleaved"
	r.Base.Capacities = []float64{1000, 1000, 1000, 1000, 1000, 1000}
	r.Base.Interval = &Interval{Center: 1000, Lo: 990, Hi: 1010, Confidence: 0.97}
	r.Verdict = DecideTrials(r.Trials, 0.10, 0.95)
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, w := range []string{"capacity (trial 1)", "interleaved", "+5.0%", "0.90", "?", "base capacity: median 1000 req/s [990, 1010]",
		"INCONCLUSIVE: capacity change +4.5% [+2.0%, +6.0%]", "why: the machine was noisy", "what to do: rerun when the machine is quiet"} {
		if !strings.Contains(out, w) {
			t.Errorf("text lacks %q:\n%s", w, out)
		}
	}
	var page strings.Builder
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "<b>INCONCLUSIVE</b>") || !strings.Contains(page.String(), "What to do:") {
		t.Errorf("HTML lacks the outcome and advice")
	}
}
