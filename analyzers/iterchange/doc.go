// Package iterchange defines an Analyzer that finds the places where moving
// from golang.org/x/exp/maps and golang.org/x/exp/slices to the standard
// library, or to range-over-func iterators, changes what the code does.
//
// # Analyzer iterchange
//
// iterchange: find x/exp helpers and iterators that change on migration
//
// Go 1.21 moved most of golang.org/x/exp/slices and x/exp/maps into the
// standard library, and Go 1.23 made the standard maps.Keys and maps.Values
// return lazy iter.Seq values instead of slices. A mechanical import swap then
// changes types, laziness and nil-ness, much like Python's map() turning into
// an iterator. The analyzer reports five shapes:
//
//   - exp-maps: calls of x/exp/maps.Keys and Values, which return slices. The
//     standard functions return an iter.Seq; the replacement that keeps a
//     slice is slices.Collect(maps.Keys(m)), or slices.Sorted(maps.Keys(m))
//     when the slice is sorted right after. When the slice reaches JSON
//     encoding or a DeepEqual against an empty slice, the message warns that
//     slices.Collect returns nil for an empty map. Calls of the other x/exp/maps
//     helpers (Clone, Copy, Clear, Equal...) are reported in this category as
//     plain moves.
//   - exp-slices-cmp: x/exp/slices comparison helpers (SortFunc,
//     SortStableFunc, IsSortedFunc, MinFunc, MaxFunc, BinarySearchFunc) called
//     with the old less-style func(a, b T) bool argument; the standard library
//     takes a three-way cmp func(a, b T) int. Detected from the parameter type
//     of the x/exp version in use, so code built against a recent x/exp is not
//     reported here.
//   - exp-slices-moved: other x/exp/slices functions that simply moved to the
//     standard slices package; informational, and only in files whose Go
//     version is at least go1.21. For Delete, DeleteFunc, Compact,
//     CompactFunc and Replace the message adds that the standard versions
//     zero the elements past the new length.
//   - seq-after-unlock: an iter.Seq or iter.Seq2 (maps.Keys, slices.Values, a
//     method returning an iterator...) over state guarded by a sync.Mutex or
//     RWMutex, created between Lock and Unlock in the same function and used
//     after the Unlock, or returned while the unlock is deferred. Iterators
//     are lazy: the map is read when the caller ranges, after the lock is
//     released, which is a data race (and a fatal "concurrent map read and
//     map write").
//   - nil-collect: slices.Collect, slices.Sorted, SortedFunc and
//     SortedStableFunc return nil for an empty sequence, where the x/exp
//     helpers returned an empty slice. Reported when the result flows, in the
//     same function, into json.Marshal, MarshalIndent, an Encoder's Encode or
//     a web framework's JSON method (directly, through a variable, or through
//     a struct or map literal), into a struct field whose json tag has
//     neither omitempty nor omitzero, or into reflect.DeepEqual, go-cmp or a
//     testify Equal against a non-nil empty slice.
//
// The analyzer deliberately does not report: iterators created under a lock
// and consumed before the unlock, or collected with slices.Collect under the
// lock; iterators over values that are not shared mutable state (strings,
// arrays, locals unrelated to the mutex); an iterator ranged again after the
// lock is re-acquired; nil-collect results that are guarded (a len or nil
// check on the variable, a reassignment such as x = []T{}), sequences that
// are provably non-empty (a non-empty literal, strings.SplitSeq with a
// non-empty separator, an enclosing len(m) > 0 check or an earlier
// len(m) == 0 early exit), fields tagged omitempty, omitzero or "-", and
// results that are only returned, since the sink is then out of sight.
// Locks taken in one function and released in another are not followed.
//
// Fixes: a file whose every use of golang.org/x/exp/slices has an identical
// standard function imports "slices" instead (safe; behavior when it calls
// Delete, Compact or Replace, which zero the freed elements); a file whose
// every use of golang.org/x/exp/maps moves imports "maps" instead, with
// maps.Keys(m) and maps.Values(m) rewritten to
// slices.AppendSeq(make([]K, 0, len(m)), maps.Keys(m)), the same non-nil
// slice x/exp returned, and maps.Clear(m) to clear(m) (safe; needs go1.23
// for Keys and Values); an iterator created under a lock and used after it
// reads a copy taken under the lock, slices.Values(slices.Collect(seq)),
// maps.All(maps.Clone(m)) or slices.All(slices.Clone(s)), keeping its type
// (safe: only racing executions change); a collect that reaches JSON or a
// comparison with an empty slice stays non-nil,
// slices.AppendSeq(make([]T, 0), seq) or append(make([]T, 0),
// slices.Sorted(seq)...) (behavior: null becomes [] again). In the
// x/exp/slices switch, the less funcs of exp-slices-cmp become cmp funcs
// (if less(a, b) return -1, if less(b, a) return 1, else 0; a literal
// whose body is one return is inlined); literals with comments or several
// statements are left to a person.
package iterchange
