package replay

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/perfcheck/traffic"
)

func jsonResp(body string) *response {
	return &response{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(body)}
}

func summarize(diffs []Difference, noise []Noise) string {
	var b strings.Builder
	for _, d := range diffs {
		fmt.Fprintf(&b, "D %s %s %s %d/%d\n", d.Endpoint, d.Path, d.Kind, d.Count, d.Of)
	}
	for _, n := range noise {
		fmt.Fprintf(&b, "N %s %s %s %d/%d\n", n.Endpoint, n.Path, n.Kind, n.Count, n.Of)
	}
	return b.String()
}

// Noise is learned over the whole traffic: a timestamp that happens to
// agree between the bases in one request is still noise there, and a
// path noisy at one index is noisy at every index.
func TestCollectorLearnsNoise(t *testing.T) {
	c := newCollector(DefaultIgnoreHeaders)
	get := func(url string) traffic.Request { return traffic.Request{Method: "GET", URL: url} }
	// Request 1: bases disagree on at; head also differs there.
	c.add(get("/a?x=1"), jsonResp(`{"at":1,"v":"x"}`), jsonResp(`{"at":3,"v":"x"}`), jsonResp(`{"at":2,"v":"x"}`))
	// Request 2: bases agree on at (same second) but head differs: still noise.
	c.add(get("/a?x=2"), jsonResp(`{"at":5,"v":"x"}`), jsonResp(`{"at":6,"v":"y"}`), jsonResp(`{"at":5,"v":"x"}`))
	// Noise at one index covers all indexes.
	c.add(get("/list"), jsonResp(`[{"id":"r1"},{"id":"r2"}]`), jsonResp(`[{"id":"h1"},{"id":"h2"}]`), jsonResp(`[{"id":"q1"},{"id":"r2"}]`))
	// Order noise at a path does not hide a value change below it.
	c.add(get("/roles"), jsonResp(`{"r":[{"n":"a"},{"n":"b"}]}`), jsonResp(`{"r":[{"n":"b"},{"n":"A"}]}`), jsonResp(`{"r":[{"n":"b"},{"n":"a"}]}`))
	// A status the bases disagree on says nothing about head.
	c.add(get("/flaky"), &response{status: 200, body: []byte("ok")}, &response{status: 500, body: []byte("boom")}, &response{status: 503, body: []byte("busy")})
	// Headers: Date ignored by default, others compared.
	h := func(v string) *response {
		return &response{status: 200, header: http.Header{"Date": {v}, "Cache-Control": {v}}, body: []byte("same\n")}
	}
	c.add(get("/h"), h("1"), h("2"), h("1"))
	// A transport failure on head only is a status difference.
	c.add(get("/down"), &response{status: 204}, &response{err: "timeout"}, &response{status: 204})

	got := summarize(c.report())
	want := `D GET /a $.v value 1/2
D GET /down status status 1/1
D GET /h header Cache-Control header 1/1
D GET /roles $.r[0].n value 1/1
N GET /a $.at value 1/2
N GET /flaky status status 1/1
N GET /list $[*].id value 1/1
N GET /roles $.r order 1/1
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestCompareBodies(t *testing.T) {
	text := func(s string) *response {
		return &response{status: 200, header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, body: []byte(s)}
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"a":1}`))
	zw.Close()
	cases := []struct {
		name string
		a, b *response
		want string
	}{
		{"lines", text("one\ntwo\nthree\n"), text("one\n2\nthree\n"), "line 2 lines two -> 2"},
		{"hunk on one line", text("a\nb\nc\nd\n"), text("a\nB\nC\nd\n"), `line 2 lines b\nc -> B\nC`},
		{"sniffed JSON compared as JSON", text(`{"a":1}`), text(`{"a":2}`), "$.a value 1 -> 2"},
		{"JSON on one side", jsonResp(`{"a":1}`), jsonResp(`<html>`), "body format JSON -> not JSON"},
		{"binary", &response{status: 200, body: []byte{0xff, 0, 1}}, &response{status: 200, body: []byte{0xff, 0, 2, 3}}, "body bytes 3 bytes, first difference at byte 2 -> 4 bytes"},
		{"gzip undone", &response{status: 200, header: http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}, body: gz.Bytes()}, jsonResp(`{"a":2}`),
			"header Content-Encoding header gzip -> (absent)\n$.a value 1 -> 2"},
		{"status first", &response{status: 200, body: []byte("a")}, &response{status: 404, body: []byte("b")}, "status status 200 OK -> 404 Not Found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range comparePair(tc.a, tc.b, map[string]bool{}) {
				got = append(got, fmt.Sprintf("%s %s %s -> %s", d.path, d.kind, d.base, d.head))
			}
			g := strings.Join(got, "\n")
			if !strings.HasPrefix(g, tc.want) {
				t.Errorf("got\n%s\nwant (prefix)\n%s", g, tc.want)
			}
		})
	}
}
