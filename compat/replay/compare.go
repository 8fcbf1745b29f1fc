package replay

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/upshift-dev/upshift/perfcheck/traffic"
)

// A Kind says how an answer differs.
type Kind string

// The kinds of difference.
const (
	KindStatus       Kind = "status"        // HTTP status (or a transport error)
	KindHeader       Kind = "header"        // a response header's value, or its presence
	KindMissing      Kind = "missing"       // a JSON field base has and head lacks
	KindAdded        Kind = "added"         // a JSON field head has and base lacks
	KindRenamed      Kind = "renamed"       // a JSON field gone while another with the same value appeared
	KindValue        Kind = "value"         // a JSON value of the same type
	KindType         Kind = "type"          // a JSON value of another type (number vs string)
	KindNumberFormat Kind = "number-format" // the same number written another way (1e+06 vs 1000000)
	KindOrder        Kind = "order"         // the same elements in another order, or an object's keys
	KindLength       Kind = "length"        // an array with another number of elements
	KindLines        Kind = "lines"         // lines of a text body
	KindBytes        Kind = "bytes"         // a binary body
	KindFormat       Kind = "format"        // a body that is JSON on one side only
)

// orderHint points order-only differences at the analyzer that finds
// their usual cause.
const orderHint = "same elements in another order: usually map iteration reaching the output; run upshift vet -only maporder"

// DefaultIgnoreHeaders are response headers never compared: they differ
// between any two responses (Date) or follow from the body (Content-Length).
var DefaultIgnoreHeaders = []string{"Date", "Expires", "Last-Modified", "Age", "Content-Length", "Connection", "Keep-Alive"}

// A response is one copy's answer to a request.
type response struct {
	status    int
	err       string // transport error: no status
	header    http.Header
	body      []byte
	truncated bool
}

func (r *response) statusText() string {
	if r.err != "" {
		return "no response (" + r.err + ")"
	}
	return strconv.Itoa(r.status) + " " + http.StatusText(r.status)
}

// comparePair returns the differences between responses a (base) and b.
// A status difference ends the comparison: two bodies for different
// statuses differ for that reason.
func comparePair(a, b *response, ignore map[string]bool) []rawDiff {
	if (a.err != "") != (b.err != "") || a.status != b.status {
		return []rawDiff{{path: "status", kind: KindStatus, base: a.statusText(), head: b.statusText()}}
	}
	if a.err != "" {
		return nil // both failed: nothing to compare
	}
	var out []rawDiff
	var names []string
	for k := range a.header {
		names = append(names, k)
	}
	for k := range b.header {
		if _, ok := a.header[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		if ignore[k] {
			continue
		}
		va, oka := a.header[k]
		vb, okb := b.header[k]
		ja, jb := strings.Join(va, ", "), strings.Join(vb, ", ")
		if !oka {
			ja = "(absent)"
		}
		if !okb {
			jb = "(absent)"
		}
		if ja != jb {
			out = append(out, rawDiff{path: "header " + k, kind: KindHeader, base: short(ja), head: short(jb)})
		}
	}
	return append(out, compareBodies(a, b)...)
}

func compareBodies(a, b *response) []rawDiff {
	ba, errA := decoded(a)
	bb, errB := decoded(b)
	if errA != nil || errB != nil {
		return []rawDiff{{path: "body", kind: KindBytes, base: errText(errA, ba), head: errText(errB, bb)}}
	}
	if bytes.Equal(ba, bb) {
		return nil
	}
	jsonish := isJSONType(a.header) || isJSONType(b.header)
	va, errA := parseJSON(ba)
	vb, errB := parseJSON(bb)
	switch {
	case errA == nil && errB == nil && (jsonish || isTextType(a.header) && isTextType(b.header)):
		return diffJSON(va, vb)
	case jsonish && (errA == nil) != (errB == nil):
		return []rawDiff{{path: "body", kind: KindFormat, base: jsonState(errA, ba), head: jsonState(errB, bb)}}
	case utf8.Valid(ba) && utf8.Valid(bb):
		return diffLines(string(ba), string(bb))
	}
	at := 0
	for at < len(ba) && at < len(bb) && ba[at] == bb[at] {
		at++
	}
	return []rawDiff{{path: "body", kind: KindBytes,
		base: fmt.Sprintf("%d bytes, first difference at byte %d", len(ba), at),
		head: fmt.Sprintf("%d bytes", len(bb))}}
}

// decoded returns the body without its gzip content coding, if any.
func decoded(r *response) ([]byte, error) {
	if !strings.EqualFold(r.header.Get("Content-Encoding"), "gzip") {
		return r.body, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.body))
	if err != nil {
		return r.body, fmt.Errorf("bad gzip body: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, 64<<20))
	if err != nil && !r.truncated {
		return r.body, fmt.Errorf("bad gzip body: %w", err)
	}
	return out, nil
}

func errText(err error, b []byte) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%d bytes", len(b))
}

func jsonState(err error, b []byte) string {
	if err == nil {
		return "JSON"
	}
	return "not JSON (" + err.Error() + "): " + short(string(b))
}

func mediaType(h http.Header) string {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt
}

func isJSONType(h http.Header) bool {
	mt := mediaType(h)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// isTextType: net/http labels a JSON body written without a Content-Type
// text/plain (content sniffing), so text bodies that parse as JSON on both
// sides are compared as JSON.
func isTextType(h http.Header) bool {
	mt := mediaType(h)
	return mt == "" || mt == "text/plain"
}

// maxLineDiffs bounds the line differences reported per response.
const maxLineDiffs = 20

// diffLines reports the changed line ranges of two text bodies, each at
// the line where it starts in base.
func diffLines(a, b string) []rawDiff {
	var out []rawDiff
	for _, e := range udiff.Lines(a, b) {
		if len(out) == maxLineDiffs {
			break
		}
		line := 1 + strings.Count(a[:e.Start], "\n")
		old := strings.TrimSuffix(a[e.Start:e.End], "\n")
		if old == "" {
			old = "(absent)"
		}
		nw := strings.TrimSuffix(e.New, "\n")
		if nw == "" {
			nw = "(absent)"
		}
		// One line of output per value: the hunk's line breaks as \n.
		out = append(out, rawDiff{path: "line " + strconv.Itoa(line), kind: KindLines,
			base: short(strings.ReplaceAll(old, "\n", `\n`)), head: short(strings.ReplaceAll(nw, "\n", `\n`))})
	}
	return out
}

// A Difference is a way head answers differently from base where the two
// base copies agree, aggregated over the requests to one endpoint.
type Difference struct {
	// Endpoint is the method and URL path without the query.
	Endpoint string `json:"endpoint"`
	// Path is where: a JSON path ($.items[2].name, with [*] when the
	// difference occurs at several indexes), "status", "header NAME",
	// "line N" of a text body, or "body".
	Path string `json:"path"`
	Kind Kind   `json:"kind"`
	// Base and Head are the first occurrence's values.
	Base string `json:"base"`
	Head string `json:"head"`
	// Count is the number of requests in which it occurred, Of the
	// number of requests to the endpoint.
	Count int `json:"count"`
	Of    int `json:"of"`
	// Example is the URL of the first request that showed it.
	Example string `json:"example"`
	// Hint says what usually causes this kind of difference.
	Hint string `json:"hint,omitempty"`
}

// Noise is a place where the two base copies disagreed: its differences
// are ignored for the endpoint.
type Noise struct {
	Endpoint string `json:"endpoint"`
	Path     string `json:"path"`
	Kind     Kind   `json:"kind"`
	// Count is the number of requests in which the base copies
	// disagreed there, Of the number of requests to the endpoint.
	Count int `json:"count"`
	Of    int `json:"of"`
	// Base and Head are the two base copies' values, first occurrence.
	Base1 string `json:"base1"`
	Base2 string `json:"base2"`
}

// collector gathers the per-request differences, learns the noise, and
// aggregates. Noise is learned over the whole traffic before anything is
// judged: a timestamp that happened to agree in one request is noise in
// all of them.
type collector struct {
	ignore    map[string]bool
	endpoints map[string]int
	requests  []collected
}

type collected struct {
	endpoint, url string
	bases, head   []rawDiff
}

func newCollector(ignore []string) *collector {
	c := &collector{ignore: map[string]bool{}, endpoints: map[string]int{}}
	for _, h := range ignore {
		c.ignore[http.CanonicalHeaderKey(h)] = true
	}
	return c
}

// add compares the three answers to req: base1 with base2 (noise) and
// base1 with head. Called in request order.
func (c *collector) add(req traffic.Request, base1, head, base2 *response) {
	c.endpoints[req.Endpoint()]++
	c.requests = append(c.requests, collected{
		endpoint: req.Endpoint(), url: req.URL,
		bases: comparePair(base1, base2, c.ignore),
		head:  comparePair(base1, head, c.ignore),
	})
}

type aggKey struct {
	endpoint, path string
	kind           Kind
}

// noiseSet holds an endpoint's noisy generalized paths. An order
// disagreement only makes order noise: a list the bases print in random
// order can still lose a field in head.
type noiseSet struct {
	any, order map[string]bool
}

func (n *noiseSet) covers(d rawDiff) bool {
	gp := generalize(d.path)
	if d.kind == KindOrder && n.order[gp] {
		return true
	}
	for p := range n.any {
		if p == gp || strings.HasPrefix(gp, p) && len(gp) > len(p) && (gp[len(p)] == '.' || gp[len(p)] == '[') {
			return true
		}
	}
	return false
}

// report builds the differences and noise.
func (c *collector) report() (diffs []Difference, noise []Noise) {
	sets := map[string]*noiseSet{}
	nidx := map[aggKey]int{}
	lastN := map[aggKey]int{}
	for i, r := range c.requests {
		for _, d := range r.bases {
			s := sets[r.endpoint]
			if s == nil {
				s = &noiseSet{any: map[string]bool{}, order: map[string]bool{}}
				sets[r.endpoint] = s
			}
			gp := generalize(d.path)
			if d.kind == KindOrder {
				s.order[gp] = true
			} else {
				s.any[gp] = true
			}
			k := aggKey{r.endpoint, gp, d.kind}
			j, ok := nidx[k]
			if !ok {
				j = len(noise)
				nidx[k] = j
				noise = append(noise, Noise{Endpoint: r.endpoint, Path: gp, Kind: d.kind, Of: c.endpoints[r.endpoint], Base1: d.base, Base2: d.head})
				lastN[k] = -1
			}
			if lastN[k] != i {
				noise[j].Count++
				lastN[k] = i
			}
		}
	}
	didx := map[aggKey]int{}
	lastD := map[aggKey]int{}
	for i, r := range c.requests {
		s := sets[r.endpoint]
		basesStatus := len(r.bases) > 0 && r.bases[0].kind == KindStatus
		for _, d := range r.head {
			if basesStatus || (s != nil && s.covers(d)) {
				continue
			}
			gp := generalize(d.path)
			k := aggKey{r.endpoint, gp, d.kind}
			j, ok := didx[k]
			if !ok {
				j = len(diffs)
				didx[k] = j
				diff := Difference{Endpoint: r.endpoint, Path: d.path, Kind: d.kind, Base: d.base, Head: d.head, Of: c.endpoints[r.endpoint], Example: r.url}
				if d.kind == KindOrder {
					diff.Hint = orderHint
				}
				diffs = append(diffs, diff)
				lastD[k] = -1
			} else if diffs[j].Path != d.path {
				diffs[j].Path = gp
			}
			if lastD[k] != i {
				diffs[j].Count++
				lastD[k] = i
			}
		}
	}
	slices.SortStableFunc(diffs, func(a, b Difference) int {
		return cmpPlaces(a.Endpoint, b.Endpoint, a.Path, b.Path, a.Kind, b.Kind)
	})
	slices.SortStableFunc(noise, func(a, b Noise) int {
		return cmpPlaces(a.Endpoint, b.Endpoint, a.Path, b.Path, a.Kind, b.Kind)
	})
	return diffs, noise
}

// cmpPlaces orders by endpoint, path (numbers by value: line 3 before
// line 21, [2] before [10]) and kind.
func cmpPlaces(e1, e2, p1, p2 string, k1, k2 Kind) int {
	if c := strings.Compare(e1, e2); c != 0 {
		return c
	}
	if c := cmpNatural(p1, p2); c != 0 {
		return c
	}
	return strings.Compare(string(k1), string(k2))
}

// cmpNatural compares strings with runs of digits compared as numbers.
func cmpNatural(a, b string) int {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := len(na) - len(nb); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
