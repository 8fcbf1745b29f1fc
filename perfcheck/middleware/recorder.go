package middleware

import (
	"bytes"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/upshift-dev/upshift/perfcheck/traffic"
)

// RecordOptions configure a Recorder.
type RecordOptions struct {
	// SampleEvery records one request in this many (default 100; 1
	// records every request).
	SampleEvery int
	// MaxBody is the largest request body recorded, in bytes (default
	// 64 KiB). A sampled request with a larger body is not recorded at
	// all: a truncated body would replay as another request.
	MaxBody int64
	// Redact names the headers whose values are replaced by "REDACTED".
	// nil means traffic.DefaultRedact (Authorization, Cookie,
	// Set-Cookie); an empty, non-nil slice redacts nothing.
	Redact []string
	// MaxRequests stops recording after this many requests (0: never),
	// so a forgotten recorder cannot fill the disk.
	MaxRequests uint64
}

// A Recorder is net/http middleware that writes sampled requests in the
// traffic format (JSON Lines, see perfcheck/traffic) for `upshift replay`
// and `upshift perf capacity -traffic`. It is safe for concurrent use.
// Each request is one Write of one whole line, in the request's
// goroutine: give it a local file (appends of a line stay whole), not a
// network connection; a buffered writer would need flushing at shutdown.
type Recorder struct {
	w        *traffic.Writer
	every    uint64
	maxBody  int64
	redact   []string
	maxReqs  uint64
	seen     atomic.Uint64
	recorded atomic.Uint64
	tooLarge atomic.Uint64
	failed   atomic.Uint64
}

// RecordStats count what a Recorder did.
type RecordStats struct {
	// Seen counts all requests; Recorded those written; TooLarge the
	// sampled ones skipped for their body size; Failed the sampled ones
	// whose body could not be read or that could not be written.
	Seen, Recorded, TooLarge, Failed uint64
}

// NewRecorder returns a Recorder writing to w.
func NewRecorder(w io.Writer, opts RecordOptions) *Recorder {
	r := &Recorder{w: traffic.NewWriter(w), every: uint64(max(opts.SampleEvery, 1)), maxBody: opts.MaxBody, redact: opts.Redact, maxReqs: opts.MaxRequests}
	if opts.SampleEvery == 0 {
		r.every = 100
	}
	if r.maxBody <= 0 {
		r.maxBody = 64 << 10
	}
	if r.redact == nil {
		r.redact = traffic.DefaultRedact
	}
	return r
}

// Wrap returns next wrapped by the recorder. An unsampled request costs
// one atomic increment; a sampled one has its body read (up to MaxBody+1
// bytes) and handed on to next unchanged.
func (rec *Recorder) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec.seen.Add(1)%rec.every != 0 || (rec.maxReqs > 0 && rec.recorded.Load() >= rec.maxReqs) {
			next.ServeHTTP(w, r)
			return
		}
		rec.record(r)
		next.ServeHTTP(w, r)
	})
}

func (rec *Recorder) record(r *http.Request) {
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		buf, err := io.ReadAll(io.LimitReader(r.Body, rec.maxBody+1))
		// The handler reads what was consumed, then the rest.
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(buf), r.Body), r.Body}
		switch {
		case err != nil:
			rec.failed.Add(1)
			return
		case int64(len(buf)) > rec.maxBody:
			rec.tooLarge.Add(1)
			return
		}
		body = buf
	}
	h := r.Header.Clone()
	traffic.Redact(h, rec.redact)
	if len(h) == 0 {
		h = nil
	}
	if err := rec.w.Write(traffic.Request{Method: r.Method, URL: r.URL.RequestURI(), Header: h, Body: body}); err != nil {
		rec.failed.Add(1)
		return
	}
	rec.recorded.Add(1)
}

// Stats returns the counts so far.
func (rec *Recorder) Stats() RecordStats {
	return RecordStats{Seen: rec.seen.Load(), Recorded: rec.recorded.Load(), TooLarge: rec.tooLarge.Load(), Failed: rec.failed.Load()}
}
