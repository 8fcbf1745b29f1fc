// Package clientreq issues valgrind client requests from Go, without cgo,
// so that a program run under upshift's valgrind backend can narrow what
// is counted to measurement windows:
//
//	clientreq.Window(func() { handle(request) })
//
// Run natively, the requests are a few no-op instructions. They are
// implemented on amd64 only (RunningOnValgrind and the window requests do
// nothing elsewhere; the backend then counts the whole process and says
// so). Callgrind honours the window requests; cachegrind 3.19 ignores
// them, so the backend switches to callgrind for windowed runs.
package clientreq

// Request codes from valgrind.h and callgrind.h. They are part of
// valgrind's stable client ABI.
const (
	runningOnValgrind    = 0x1001
	callgrindBase        = 'C'<<24 | 'T'<<16
	zeroStats            = callgrindBase + 1
	startInstrumentation = callgrindBase + 4
	stopInstrumentation  = callgrindBase + 5
)

// Supported reports whether client requests are implemented for this
// GOARCH.
const Supported = supported

// RunningOnValgrind reports whether the program runs under valgrind.
func RunningOnValgrind() bool { return request(runningOnValgrind) != 0 }

// StartInstrumentation makes callgrind count from here on (with
// --instr-atstart=no nothing is counted before the first call).
func StartInstrumentation() { request(startInstrumentation) }

// StopInstrumentation makes callgrind stop counting.
func StopInstrumentation() { request(stopInstrumentation) }

// ZeroStats discards what callgrind counted so far.
func ZeroStats() { request(zeroStats) }

// Window counts only fn: it starts instrumentation, discards anything
// counted before, runs fn and stops. Called repeatedly, only the last
// window is kept; to add windows up, use StartInstrumentation and
// StopInstrumentation directly.
func Window(fn func()) {
	StartInstrumentation()
	ZeroStats()
	fn()
	StopInstrumentation()
}

func request(code uintptr) uintptr {
	args := [6]uintptr{code}
	return clientRequest(&args)
}
