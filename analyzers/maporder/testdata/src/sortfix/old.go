package sortfix

import (
	"fmt"
	"io"
	"time"
)

// Old has no version (no go.mod, no build line): sort.Strings.
func Old(w io.Writer, m map[string]int) {
	switch {
	case len(m) > 0:
		for k, v := range m { // want `writes to w`
			fmt.Fprintln(w, k, v)
		}
	}
}

// OldInts sorts with sort.Ints.
func OldInts(m map[int]string) string {
	s := ""
	for k := range m { // want `the string s built by concatenation`
		s += fmt.Sprint(k)
	}
	return s
}

// OldDurations sorts with sort.Slice.
func OldDurations(w io.Writer, m map[time.Duration]string) {
	for d, name := range m { // want `writes to w`
		fmt.Fprintln(w, d, name)
	}
}

// Captured: before go1.22 the closure would see the shared v; no rewrite.
func Captured(w io.Writer, m map[string]int) {
	var fs []func()
	for k, v := range m { // want `writes to w`
		fmt.Fprintln(w, k)
		fs = append(fs, func() { fmt.Fprintln(w, v) })
	}
	for _, f := range fs {
		f()
	}
}

// Metrics writes counters then gauges: both loops get their keys sorted,
// each in a slice of its own.
type Metrics struct {
	counters map[string]int
	gauges   map[string]float64
}

// WriteTo writes one line per metric.
func (g *Metrics) WriteTo(w io.Writer) (count int64, err error) {
	for name, c := range g.counters { // want `writes to w`
		n, err := fmt.Fprintf(w, "%s %d\n", name, c)
		if err != nil {
			return count, err
		}
		count += int64(n)
	}
	for name, v := range g.gauges { // want `writes to w`
		n, err := fmt.Fprintf(w, "%s %f\n", name, v)
		if err != nil {
			return count, err
		}
		count += int64(n)
	}
	return count, nil
}
