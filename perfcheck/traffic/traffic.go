package traffic

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// A Request is one recorded request.
type Request struct {
	// Method is the HTTP method.
	Method string `json:"method"`
	// URL is the path and query, starting with "/".
	URL string `json:"url"`
	// Header holds the request's headers.
	Header http.Header `json:"header,omitempty"`
	// Body is the request body (base64 in JSON).
	Body []byte `json:"body,omitempty"`
}

// Path returns the URL's path, without the query.
func (r Request) Path() string {
	p, _, _ := strings.Cut(r.URL, "?")
	return p
}

// Endpoint names the request's endpoint: method and path without the
// query, such as "GET /user".
func (r Request) Endpoint() string {
	return r.Method + " " + r.Path()
}

// Validate checks that the request can be sent as is.
func (r Request) Validate() error {
	switch {
	case r.Method == "":
		return errors.New("no method")
	case !isToken(r.Method):
		return fmt.Errorf("method %q is not an HTTP token", r.Method)
	case !strings.HasPrefix(r.URL, "/"):
		return fmt.Errorf("url %q must be a path starting with / (requests go to 127.0.0.1, never to a recorded host)", r.URL)
	}
	if _, err := url.ParseRequestURI(r.URL); err != nil {
		return fmt.Errorf("url %q: %w", r.URL, err)
	}
	for name, vals := range r.Header {
		if !isToken(name) {
			return fmt.Errorf("header name %q is not valid", name)
		}
		for _, v := range vals {
			if strings.ContainsAny(v, "\r\n\x00") {
				return fmt.Errorf("header %s has an invalid value %q", name, v)
			}
		}
	}
	return nil
}

// DefaultRedact are the headers whose values are replaced by Redacted
// when recording or importing.
var DefaultRedact = []string{"Authorization", "Cookie", "Set-Cookie"}

// Redacted replaces a redacted header value.
const Redacted = "REDACTED"

// Redact replaces the values of the named headers in h by Redacted.
func Redact(h http.Header, names []string) {
	for _, n := range names {
		k := http.CanonicalHeaderKey(n)
		if vals, ok := h[k]; ok {
			for i := range vals {
				vals[i] = Redacted
			}
		}
	}
}

// Read reads JSON Lines traffic; name is the file name for messages
// ("traffic.jsonl:3: ..."). It returns at most max requests (0: no
// limit) and an error for the first line that is not a valid request.
func Read(r io.Reader, name string, max int) ([]Request, error) {
	var reqs []Request
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		if max > 0 && len(reqs) == max {
			return nil, fmt.Errorf("%s: more than %d requests (raise the limit or cut the file)", name, max)
		}
		var req Request
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return nil, fmt.Errorf("%s:%d: not a traffic request (want {\"method\":...,\"url\":...,\"header\":{...},\"body\":\"<base64>\"}): %w", name, line, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("%s:%d: more than one JSON value on the line", name, line)
		}
		if err := req.Validate(); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		reqs = append(reqs, req)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", name, line+1, err)
	}
	if len(reqs) == 0 {
		return nil, fmt.Errorf("%s: no requests", name)
	}
	return reqs, nil
}

// ReadFile reads a traffic file: HAR when its name ends in .har, JSON
// Lines otherwise. HAR imports are redacted with DefaultRedact.
func ReadFile(path string, max int) ([]Request, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if strings.EqualFold(filepath.Ext(path), ".har") {
		return ReadHAR(f, path, max, DefaultRedact)
	}
	return Read(f, path, max)
}

// har is the part of an HTTP Archive (HAR 1.2) that holds requests.
type har struct {
	Log *struct {
		Entries []struct {
			Request *struct {
				Method  string `json:"method"`
				URL     string `json:"url"`
				Headers []struct {
					Name  string `json:"name"`
					Value string `json:"value"`
				} `json:"headers"`
				PostData *struct {
					Text     string `json:"text"`
					Encoding string `json:"encoding"`
				} `json:"postData"`
			} `json:"request"`
		} `json:"entries"`
	} `json:"log"`
}

// skipHAR are headers a HAR records that the client sets itself (or that
// are HTTP/2 pseudo-headers): replaying them verbatim would be wrong.
var skipHAR = map[string]bool{"Host": true, "Content-Length": true, "Connection": true, "Transfer-Encoding": true, "Keep-Alive": true}

// ReadHAR imports the requests of a HAR file, redacting the named
// headers. Absolute URLs keep only their path and query.
func ReadHAR(r io.Reader, name string, max int, redact []string) ([]Request, error) {
	var h har
	if err := json.NewDecoder(r).Decode(&h); err != nil {
		return nil, fmt.Errorf("%s: not a HAR file: %w", name, err)
	}
	if h.Log == nil {
		return nil, fmt.Errorf("%s: not a HAR file: no log object", name)
	}
	var reqs []Request
	for i, e := range h.Log.Entries {
		if e.Request == nil {
			return nil, fmt.Errorf("%s: entry %d has no request", name, i)
		}
		if max > 0 && len(reqs) == max {
			return nil, fmt.Errorf("%s: more than %d requests (raise the limit or cut the file)", name, max)
		}
		u, err := url.Parse(e.Request.URL)
		if err != nil {
			return nil, fmt.Errorf("%s: entry %d: url %q: %w", name, i, e.Request.URL, err)
		}
		req := Request{Method: e.Request.Method, URL: u.RequestURI(), Header: http.Header{}}
		for _, hd := range e.Request.Headers {
			k := http.CanonicalHeaderKey(hd.Name)
			if strings.HasPrefix(hd.Name, ":") || skipHAR[k] {
				continue
			}
			req.Header[k] = append(req.Header[k], hd.Value)
		}
		if len(req.Header) == 0 {
			req.Header = nil
		}
		if pd := e.Request.PostData; pd != nil && pd.Text != "" {
			if pd.Encoding == "base64" {
				req.Body, err = base64.StdEncoding.DecodeString(pd.Text)
				if err != nil {
					return nil, fmt.Errorf("%s: entry %d: postData: %w", name, i, err)
				}
			} else {
				req.Body = []byte(pd.Text)
			}
		}
		Redact(req.Header, redact)
		if err := req.Validate(); err != nil {
			return nil, fmt.Errorf("%s: entry %d: %w", name, i, err)
		}
		reqs = append(reqs, req)
	}
	if len(reqs) == 0 {
		return nil, fmt.Errorf("%s: no requests", name)
	}
	return reqs, nil
}

// A Writer writes requests as JSON Lines. It is safe for concurrent use:
// each request is one whole line.
type Writer struct {
	mu  sync.Mutex
	w   io.Writer
	err error
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w}
}

// Write writes one request; after a write error every later call
// returns it.
func (w *Writer) Write(r Request) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if _, err := w.w.Write(line); err != nil {
		w.err = err
	}
	return w.err
}

// isToken reports whether s is an RFC 9110 token (a method or a header
// name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}
