// Package traffic is upshift's format for recorded HTTP requests, shared by
// the recorder in perfcheck/middleware, `upshift replay` (which sends them
// to two versions and diffs the answers) and `upshift perf capacity
// -traffic` (which offers them as load).
//
// A traffic file is JSON Lines, one request per line:
//
//	{"method":"GET","url":"/user?id=1","header":{"Accept":["application/json"]},"body":"<base64>"}
//
// url is the path and query only: requests are always sent to a service
// on 127.0.0.1, never to the host they were recorded on. header has
// net/http's shape (a name maps to a list of values); body is base64, as
// encoding/json writes a []byte, and may be absent. Blank lines are
// skipped.
//
// HAR files (the browsers' and proxies' HTTP Archive, JSON with
// log.entries[].request) are imported with ReadHAR; absolute URLs keep
// only their path and query.
//
// Credentials do not belong in a traffic file: Authorization, Cookie and
// Set-Cookie values are replaced by "REDACTED" when recording and when
// importing, unless the caller chooses other names.
package traffic
