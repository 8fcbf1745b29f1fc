// Package replay implements `upshift replay`: it sends recorded requests
// (perfcheck/traffic) to two versions of an HTTP service and reports what
// the new version answers differently, the data-compatibility breaks that
// unit tests miss and production traffic finds: a renamed JSON field, a
// number printed another way, a list whose order changed.
//
// Base runs twice and head once (perfcheck/service: built with go build,
// started with PORT on 127.0.0.1). Each request goes to base, head, then
// base again, one after the other, so that a value that moves forward with
// time cannot agree in both bases while differing in head. Whatever the
// two base copies disagree on is noise, learned per endpoint (method and
// path) and JSON path with indexes generalized ($.items[*].at), over the
// whole traffic before anything is judged. A difference is head differing
// from the first base copy at a place that is not noise.
//
// JSON bodies are parsed keeping key order and number literals: a number
// written another way is its own kind (number-format), as is a field whose
// value moved to another name (renamed), and the same elements or keys in
// another order (order), which points at the maporder analyzer. Arrays
// that differ in content are compared in index order or, when that aligns
// more elements, in sorted order. Text bodies are compared by lines, other
// bodies by bytes; gzip content coding is undone first.
package replay
