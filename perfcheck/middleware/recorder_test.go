package middleware

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/upshift-dev/upshift/perfcheck/traffic"
)

func TestRecorder(t *testing.T) {
	var out bytes.Buffer
	rec := NewRecorder(&out, RecordOptions{SampleEvery: 2, MaxBody: 10})
	var bodies []string
	h := rec.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
	}))
	send := func(method, url, body string, hdr map[string]string) {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		r := httptest.NewRequest(method, url, rd)
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	send("GET", "/skip", "", nil) // 1: not sampled
	send("POST", "/user?id=1", "small", map[string]string{"Authorization": "Bearer secret", "Cookie": "s=1", "X-Trace": "t"})
	send("GET", "/skip", "", nil)
	send("PUT", "/big", "a body longer than ten bytes", nil) // sampled, too large
	send("GET", "/skip", "", nil)
	send("GET", "/items?page=2", "", nil)

	// Handlers saw every body whole, sampled or not.
	if want := []string{"", "small", "", "a body longer than ten bytes", "", ""}; strings.Join(bodies, "|") != strings.Join(want, "|") {
		t.Errorf("handler bodies %q, want %q", bodies, want)
	}
	if s := rec.Stats(); s != (RecordStats{Seen: 6, Recorded: 2, TooLarge: 1}) {
		t.Errorf("stats %+v", s)
	}
	if strings.Contains(out.String(), "secret") || strings.Contains(out.String(), "s=1") {
		t.Errorf("credentials recorded:\n%s", out.String())
	}
	reqs, err := traffic.Read(&out, "recorded", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 2 {
		t.Fatalf("recorded %d requests, want 2", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.URL != "/user?id=1" || string(r.Body) != "small" ||
		r.Header.Get("Authorization") != traffic.Redacted || r.Header.Get("Cookie") != traffic.Redacted || r.Header.Get("X-Trace") != "t" {
		t.Errorf("first request %+v", r)
	}
	if reqs[1].URL != "/items?page=2" || reqs[1].Body != nil {
		t.Errorf("second request %+v", reqs[1])
	}
}

func TestRecorderLimit(t *testing.T) {
	var out bytes.Buffer
	rec := NewRecorder(&out, RecordOptions{SampleEvery: 1, MaxRequests: 3, Redact: []string{}})
	h := rec.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for range 10 {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", "kept")
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	if s := rec.Stats(); s.Recorded != 3 || s.Seen != 10 {
		t.Errorf("stats %+v, want 3 of 10 recorded", s)
	}
	if !strings.Contains(out.String(), "kept") {
		t.Errorf("an empty Redact list redacted anyway:\n%s", out.String())
	}
}
