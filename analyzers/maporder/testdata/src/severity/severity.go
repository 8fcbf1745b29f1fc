package severity

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"loglib"
)

// Keys is exported API: its result order is the caller's problem.
func Keys(m map[string]int) []string {
	var out []string
	for k := range m { // want `the returned slice out: .* \[high\]`
		out = append(out, k)
	}
	return out
}

// keysOf's only callers sort the result, make a set of it or look one
// element up: its map order is never seen.
func keysOf(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func sortedKeys(m map[string]int) []string {
	ks := keysOf(m)
	sort.Strings(ks)
	return ks
}

func keySet(m map[string]int) map[string]bool {
	set := map[string]bool{}
	for _, k := range keysOf(m) {
		set[k] = true
	}
	return set
}

func firstLong(m map[string]int) string {
	for _, k := range keysOf(m) {
		if len(k) > 10 {
			return k
		}
	}
	return ""
}

func count(m map[string]int) int {
	n := 0
	for _, k := range keysOf(m) {
		n += len(k)
	}
	return n
}

// namesErr returns two results; its caller sorts the slice.
func namesErr(m map[string]int) ([]string, error) {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out, nil
}

func sortedNames(m map[string]int) []string {
	names, err := namesErr(m)
	if err != nil {
		return nil
	}
	slices.Sort(names)
	return names
}

// listed's caller hands the result on out of the package.
func listed(m map[string]int) []string {
	var out []string
	for k := range m { // want `the returned slice out: .* \[high\]`
		out = append(out, k)
	}
	return out
}

// Listed exports what listed returns.
func Listed(m map[string]int) []string { return listed(m) }

// stored's caller keeps the result: medium.
func stored(m map[string]int) []string {
	var out []string
	for k := range m { // want `the returned slice out: .* \[medium\]`
		out = append(out, k)
	}
	return out
}

// Holder keeps names.
type Holder struct{ names []string }

// Fill stores what stored returns.
func (h *Holder) Fill(m map[string]int) { h.names = stored(m) }

// asValue is used as a function value: its callers are out of sight.
func asValue(m map[string]int) []string {
	var out []string
	for k := range m { // want `the returned slice out: .* \[medium\]`
		out = append(out, k)
	}
	return out
}

var _ = asValue

// MissingErr's Error text lists the keys in map order.
type MissingErr map[string]bool

func (e MissingErr) Error() string {
	var names []string
	for k := range e { // want `names joined by strings.Join: .* \[high\]`
		names = append(names, k)
	}
	return "missing: " + strings.Join(names, ", ")
}

// check puts the keys in an error.
func check(m map[string]int) error {
	var bad []string
	for k, v := range m { // want `bad passed to fmt.Errorf: .* \[high\]`
		if v < 0 {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("negative: %v", bad)
	}
	return errors.New("ok")
}

// logged only logs the keys: low, not shown at the default severity.
func logged(log loglib.Logger, m map[string]int) {
	var names []string
	for k := range m {
		names = append(names, k)
	}
	log.Info("loaded", "names", names)
}

// dump writes to a writer it does not know: a file or a response.
func dump(w io.Writer, m map[string]int) {
	for k, v := range m { // want `writes to w: .* \[high\]`
		fmt.Fprintf(w, "%s=%d\n", k, v)
	}
}

// render builds a string in memory: medium.
func render(m map[string]int) string {
	var b strings.Builder
	for k := range m { // want `writes to b: .* \[medium\]`
		b.WriteString(k)
	}
	return b.String()
}

// Attrs is written as one XML element per entry.
type Attrs map[string]string

func (a Attrs) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for k, v := range a { // want `values encoded to e: .* \[high\]`
		if err := e.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: k}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// Node holds attributes that write themselves.
type Node struct{ Attrs map[string]Attrs }

func (n Node) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	for k, a := range n.Attrs { // want `values encoded to e: .* \[high\]`
		if err := a.MarshalXML(e, xml.StartElement{Name: xml.Name{Local: k}}); err != nil {
			return err
		}
	}
	return nil
}

// nested reports both loops: sorting the outer one leaves the inner one
// in map order.
func Nested(m map[string]map[string]int) []string {
	var out []string
	for k, inner := range m { // want `the returned slice out`
		for k2 := range inner { // want `the returned slice out`
			out = append(out, k+k2)
		}
	}
	return out
}

// Options is filled from a parsed configuration.
type Options struct{ Port int }

// Process reports every bad line; the errors come back in map order
// because each line's handler appends to them through a pointer.
func (o *Options) Process(m map[string]any) []error {
	errs := make([]error, 0)
	for k, v := range m { // want `the returned slice errs: .* \[high\]`
		o.line(k, v, &errs)
	}
	return errs
}

func (o *Options) line(k string, v any, errs *[]error) {
	switch k {
	case "port":
		p, ok := v.(int)
		if !ok {
			*errs = append(*errs, fmt.Errorf("%s: not a number", k))
		}
		o.Port = p
	default:
		*errs = append(*errs, fmt.Errorf("unknown key %s", k))
	}
}

// AddrMap is a map type: the order of its Keys is no promise.
type AddrMap struct{ m map[string]int }

// Keys returns the map's keys, in no order.
func (a *AddrMap) Keys() []string {
	var out []string
	for k := range a.m {
		out = append(out, k)
	}
	return out
}

// Carrier holds propagation headers; its Keys, like maps.Keys, promise no
// order.
type Carrier struct{ h map[string]string }

// Keys lists the carrier's keys.
func (c Carrier) Keys() []string {
	keys := make([]string, 0, len(c.h))
	for k := range c.h {
		keys = append(keys, k)
	}
	return keys
}
