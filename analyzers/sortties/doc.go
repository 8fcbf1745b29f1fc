// Package sortties defines an Analyzer that reports unstable sorts whose
// comparison leaves ties between distinct elements when the sorted order
// is observed afterwards.
//
// # Analyzer sortties
//
// sortties: unstable sorts whose ties reach ordered output
//
// sort.Slice, slices.SortFunc and sort.Sort are not stable: the order of elements
// that compare equal is unspecified, and it changed in Go 1.19 when the
// sort package moved to pdqsort. A comparison that looks at only some
// fields of a struct lets two distinct elements compare equal; when the
// sorted slice is then returned, printed, joined, encoded, written,
// compared or stored, the output depends on that unspecified order.
//
// The analyzer reports a call of sort.Slice, slices.SortFunc or sort.Sort
// when all of these hold: the comparison is a function literal (for
// sort.Sort, the Less method of the sorted type, declared in the package,
// reading s[i] and s[j]); the elements are structs (or pointers to
// structs) that the comparison reads only through fields; those fields are
// not all of the struct's fields and none of them identifies the element;
// and the sorted order is observed afterwards: the sorted slice is
// returned (itself, in a composite literal, or passed to a call whose
// result is a struct with a field of the slice's type, as in
// NewOK().WithPayload(s)), passed to a print, join, encode, equality or
// write call, stored into a field, element or package variable, or ranged
// over by a loop that prints or writes.
//
// The sorted slice is followed in the function that sorts it when it is a
// local variable or a parameter observed there. A function that sorts a
// parameter and leaves the order to its caller gets a summary (and, when
// exported, a fact): each caller that hands it a local slice and then
// observes the order makes the sort a finding. A sort in the package is
// reported where it is, naming the caller; a sort in another package is
// reported at the call, without a fix (the fix belongs to that package).
//
// A compared field identifies the element, and leaves no ties, when:
//   - the code building the slice makes it distinct: every append into
//     the slice, in a range loop, sets the field from the key of the map
//     it ranges over (directly or through a local built that way), or
//     appends the values of a map whose every store sets the field from
//     the key it stores under, or the loop deduplicates on the field (it
//     both stores into and reads from a map indexed by it);
//   - or its name says so: ID, Id, UID, a name ending in ID or Id, or one
//     of Name, FullName, QualifiedName, Path, PkgPath, ImportPath,
//     Filename, FileName, Key, Pattern, Fingerprint, URL. This is a
//     convention, not a proof (two pods in different namespaces share a
//     Name), taken on purpose: sorting by the identifying field is how
//     code makes an order total, and on upshift's own code and on
//     prometheus/alertmanager every comparison on such a field was over
//     elements unique in it. A slice whose elements do share a Name is a
//     miss, not a false report.
//
// Not reported, on purpose (a finding a maintainer would dismiss costs
// trust): the stable sorts (sort.Stable, sort.SliceStable,
// slices.SortStableFunc); sort.Sort on a type whose Less method is
// declared in another package, sort.Strings/Ints and slices.Sort (basic
// elements are compared whole); comparisons that are not function
// literals or that pass an element whole to a function or call a method
// on it (the analyzer cannot see which fields they read); comparisons
// that read every field or an identifying one; elements of basic type;
// slices that are fields sorted in place, function values passed a slice
// (relutil.Reverse(list, SortByName)), and sorted slices that are only
// read locally.
//
// Measured precision (by hand, December 2026): upshift's own tree, one
// finding, wrong (offsets of distinct identifiers, suppressed with a
// reason in analyzers/iterchange); prometheus/alertmanager, seven
// findings, six real (the CLI's silences by end time and alerts by start
// time, twice each; alert groups by labels and receiver, which two routes
// with one receiver and one group_by share; the API's silences by state
// and time, through SortSilences and its caller) and one wrong (peers by
// Address, unique in a cluster); cli/cli, four findings, all real (issues
// and pull requests by UpdatedAt, printed; check runs by StartedAt before
// a dedup that keeps the first of each name); hashicorp/raft, spf13/cobra,
// prometheus/client_golang and helm: none.
//
// The fix replaces the call by its stable variant (sort.SliceStable,
// slices.SortStableFunc, sort.Stable), which keeps the input order of
// ties. When that input order itself comes from a map's iteration, a
// stable sort is not enough: make the comparison total with a tie-break on
// an identifying field instead (the message says which fields it reads). Its tier is
// "behavior": the current unstable order of ties is deterministic for a
// given input and Go release, and the stable order can differ from it, so
// output may change once; after that it no longer depends on the sort
// algorithm.
package sortties
