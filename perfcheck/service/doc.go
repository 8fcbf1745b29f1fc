// Package service builds a version of an HTTP service and runs it as a
// child process on 127.0.0.1, for the commands that compare two versions
// by talking to them: `upshift perf capacity` and `upshift replay`.
//
// The conventions, shared so that a service set up for one command works
// with the other:
//
//   - A version is a git revision or a directory (internal/revision); its
//     main package (-pkg) is built with go build into a temporary
//     directory.
//   - The service is started from its package directory, so it finds its
//     relative files (config, templates), with PORT set to a free port; it
//     must listen on 127.0.0.1:$PORT. Nothing is ever addressed on another
//     interface.
//   - On Linux it runs in its own process group, killed as a whole by
//     Stop, and dies with upshift (Pdeathsig). Elsewhere only the process
//     itself is killed.
//   - Its output is kept as a tail for error messages: a service that
//     crashes or never listens is reported with its last lines.
package service
