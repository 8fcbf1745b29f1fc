package capacity

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestSettingsConfig: the defaults make perf capacity's Config, and an
// error names the setting the way the caller's name function spells it.
func TestSettingsConfig(t *testing.T) {
	s := DefaultSettings()
	s.Pkg, s.Backend, s.SLO, s.Memory, s.Target = "./cmd/api", "none", "p99=50ms", "512MiB", "-5%"
	c, err := s.Config(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Pkg != "./cmd/api" || c.Budget != (Budget{CPUs: 1, Memory: 512 << 20}) || c.Target != -0.05 || c.Trials != 6 || c.Confidence != 0.95 ||
		c.Search.Criteria.SLO != 50*time.Millisecond || c.Search.Start != 100 || c.Search.Max != 50000 || c.Search.Tolerance != 0.05 ||
		c.Load.Paths[0] != "/" || c.Load.Window != 3*time.Second || c.Load.Timeout != 2*time.Second || c.Work.Backend != "none" {
		t.Errorf("config %+v", c)
	}
	s.CPUs = 0
	yaml := func(setting string) string { return "perf." + strings.ToUpper(setting) }
	if _, err := s.Config(context.Background(), yaml); err == nil || err.Error() != "perf.CPUS must be at least 1" {
		t.Errorf("error %v, want it to name perf.CPUS", err)
	}
	s.CPUs, s.StartRate, s.MaxRate = 1, 10, 5
	if _, err := s.Config(context.Background(), nil); err == nil || err.Error() != "-start-rate must be positive and at most -max-rate" {
		t.Errorf("error %v", err)
	}
	for in, want := range map[string]float64{"5%": 0.05, "0.5": 0.005, " 12% ": 0.12} {
		if got, err := ParsePercent(in); err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"-1%", "lots", "NaN", "Inf%"} {
		if _, err := ParsePercent(in); err == nil {
			t.Errorf("ParsePercent(%q): no error", in)
		}
	}
}
