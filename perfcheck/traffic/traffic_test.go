package traffic

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadWrite(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	in := []Request{
		{Method: "GET", URL: "/user?id=1", Header: http.Header{"Accept": {"application/json"}}},
		{Method: "POST", URL: "/items", Body: []byte{0, 1, 2, 'x'}},
	}
	for _, r := range in {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if want := `{"method":"POST","url":"/items","body":"AAECeA=="}`; !strings.Contains(buf.String(), want) {
		t.Errorf("body not base64:\n%s", buf.String())
	}
	out, err := Read(strings.NewReader("\n"+buf.String()+"\n\n"), "t.jsonl", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Header.Get("Accept") != "application/json" || !bytes.Equal(out[1].Body, in[1].Body) {
		t.Errorf("round trip: %+v", out)
	}
	if out[0].Endpoint() != "GET /user" {
		t.Errorf("endpoint %q", out[0].Endpoint())
	}
}

func TestReadErrors(t *testing.T) {
	ok := `{"method":"GET","url":"/"}` + "\n"
	cases := []struct{ in, want string }{
		{"", "t.jsonl: no requests"},
		{ok + `{"method":"GET"`, "t.jsonl:2: not a traffic request"},
		{ok + `{"method":"GET","url":"/","extra":1}`, `t.jsonl:2: not a traffic request`},
		{`{"method":"","url":"/"}`, "t.jsonl:1: no method"},
		{`{"method":"G T","url":"/"}`, `t.jsonl:1: method "G T" is not an HTTP token`},
		{`{"method":"GET","url":"https://prod/x"}`, "must be a path starting with /"},
		{`{"method":"GET","url":"/","header":{"X":["a\r\nb"]}}`, "header X has an invalid value"},
		{`{"method":"GET","url":"/","body":"not base64!"}`, "t.jsonl:1: not a traffic request"},
		{ok + ok + ok, "t.jsonl: more than 2 requests"},
	}
	for _, tc := range cases {
		_, err := Read(strings.NewReader(tc.in), "t.jsonl", 2)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Read(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

const harFile = `{"log":{"version":"1.2","entries":[
 {"request":{"method":"GET","url":"https://shop.example.com/items?page=2","headers":[
   {"name":":authority","value":"shop.example.com"},{"name":"Host","value":"shop.example.com"},
   {"name":"accept","value":"application/json"},{"name":"Cookie","value":"session=abc"},
   {"name":"authorization","value":"Bearer xyz"}]}},
 {"request":{"method":"POST","url":"https://shop.example.com/cart","headers":[],
   "postData":{"mimeType":"application/json","text":"{\"id\":3}"}}},
 {"request":{"method":"PUT","url":"/raw","headers":[],"postData":{"text":"AAE=","encoding":"base64"}}}
]}}`

func TestReadHAR(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session.har")
	os.WriteFile(path, []byte(harFile), 0o644)
	reqs, err := ReadFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.URL != "/items?page=2" || r.Header.Get("Accept") != "application/json" || r.Header.Get("Host") != "" || len(r.Header[":authority"]) != 0 {
		t.Errorf("first request %+v", r)
	}
	if r.Header.Get("Cookie") != Redacted || r.Header.Get("Authorization") != Redacted {
		t.Errorf("credentials not redacted: %v", r.Header)
	}
	if string(reqs[1].Body) != `{"id":3}` || reqs[1].Method != "POST" {
		t.Errorf("second request %+v", reqs[1])
	}
	if !bytes.Equal(reqs[2].Body, []byte{0, 1}) {
		t.Errorf("base64 postData: %v", reqs[2].Body)
	}

	for in, want := range map[string]string{
		`{"entries":[]}`:         "not a HAR file: no log object",
		`[1]`:                    "not a HAR file",
		`{"log":{"entries":[]}}`: "no requests",
		`{"log":{"entries":[{"request":{"method":"GET","url":"/","postData":{"text":"%","encoding":"base64"}}}]}}`: "entry 0: postData",
	} {
		if _, err := ReadHAR(strings.NewReader(in), "x.har", 0, DefaultRedact); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadHAR(%s) = %v, want %q", in, err, want)
		}
	}
}
