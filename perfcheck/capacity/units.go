package capacity

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseSize parses a memory size such as 256MiB, 1GiB, 512MB, 64M or a
// plain number of bytes. K/M/G (with or without B) and KiB/MiB/GiB are
// binary, like GOMEMLIMIT; KB/MB/GB are decimal.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	mult := map[string]float64{
		"": 1, "B": 1,
		"K": 1 << 10, "KiB": 1 << 10, "KB": 1e3,
		"M": 1 << 20, "MiB": 1 << 20, "MB": 1e6,
		"G": 1 << 30, "GiB": 1 << 30, "GB": 1e9,
	}[unit]
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || mult == 0 || v <= 0 || math.IsInf(v, 0) {
		return 0, fmt.Errorf("want a positive size such as 256MiB, 1GiB or 512MB, not %q", s)
	}
	n := v * mult
	if n < 1<<20 {
		return 0, fmt.Errorf("size %q is below 1MiB: no Go service runs in that", s)
	}
	return int64(n), nil
}

// FormatBytes formats a byte count in binary units (GOMEMLIMIT syntax).
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 2, 64) + "GiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + "MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + "KiB"
	}
	return strconv.FormatInt(n, 10) + "B"
}

// FormatDuration rounds d to three significant digits for reports.
func FormatDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	case d >= 100*time.Microsecond:
		return d.Round(time.Microsecond).String()
	}
	return d.Round(100 * time.Nanosecond).String()
}

// ParseSLO parses -slo: "p99=DUR" (the only percentile gated), or a bare
// duration meaning p99.
func ParseSLO(s string) (time.Duration, error) {
	v := strings.TrimSpace(s)
	if k, d, ok := strings.Cut(v, "="); ok {
		if strings.TrimSpace(k) != "p99" {
			return 0, fmt.Errorf("only the p99 latency can be gated: want p99=DUR such as p99=100ms, not %q", s)
		}
		v = strings.TrimSpace(d)
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want p99=DUR with a positive duration such as p99=100ms, not %q", s)
	}
	return d, nil
}

// ParseTarget parses -target: a signed percentage such as +10%, -5% or
// 0, the required capacity change head/base - 1.
func ParseTarget(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= -100 {
		return 0, fmt.Errorf("want a percentage change such as +10%%, 0%% or -5%%, not %q", s)
	}
	return v / 100, nil
}
