// Package sortties defines an Analyzer that reports unstable sorts whose
// comparison leaves ties between distinct elements when the sorted order
// is observed afterwards.
//
// Status: not registered yet, so upshift vet and fix do not run it. On
// upshift's own code all three of its findings were sorts by a field that
// is unique in practice (a setting's Name, a route's Pattern, a file's
// Path), and on four real modules it found nothing, so its precision is
// not yet shown. Run it alone with analysistest or a singlechecker; it
// joins the registry (rule ID UP1007 is reserved) once it tells
// identifying fields apart.
//
// # Analyzer sortties
//
// sortties: unstable sorts whose ties reach ordered output
//
// sort.Slice and slices.SortFunc are not stable: the order of elements
// that compare equal is unspecified, and it changed in Go 1.19 when the
// sort package moved to pdqsort. A comparison that looks at only some
// fields of a struct lets two distinct elements compare equal; when the
// sorted slice is then returned, printed, joined, encoded, written,
// compared or stored, the output depends on that unspecified order.
//
// The analyzer reports a call of sort.Slice or slices.SortFunc when all of
// these hold: the comparison is a function literal; the elements are
// structs (or pointers to structs) that the comparison reads only through
// fields; those fields are not all of the struct's fields and none of them
// is an ID field (named ID, Id, or ending in ID/Id, taken as a unique
// key); and the sorted slice, a local variable, is afterwards returned,
// passed to a print, join, encode, equality or write call, stored into a
// field, element or package variable, or ranged over by a loop that
// prints or writes.
//
// Not reported, on purpose (a finding a maintainer would dismiss costs
// trust): the stable sorts (sort.Stable, sort.SliceStable,
// slices.SortStableFunc); sort.Sort and sort.Strings/Ints/slices.Sort
// (sort.Sort's Less method is not analyzed; basic elements are compared
// whole); comparisons that are not function literals or that pass an
// element whole to a function or call a method on it (the analyzer cannot
// see which fields they read); comparisons that read every field or an ID
// field, or a field the function set from the keys of a map range while
// building the slice (map keys are distinct); elements of basic type; slices that are parameters or fields
// (the order is observed by code the analyzer does not follow), and
// sorted slices that are only read locally.
//
// The fix replaces the call by its stable variant (sort.SliceStable,
// slices.SortStableFunc), which keeps the input order of ties. Its tier is
// "behavior": the current unstable order of ties is deterministic for a
// given input and Go release, and the stable order can differ from it, so
// output may change once; after that it no longer depends on the sort
// algorithm.
package sortties
