// Package maporder defines an Analyzer that reports map iteration order
// reaching ordered output.
//
// # Analyzer maporder
//
// maporder: report map iteration order that reaches ordered output
//
// Go randomises the order in which a range loop visits a map, and the
// sequences of maps.Keys, maps.Values and maps.All follow the same order.
// Work that does not care about order is fine: sums and counts, min and
// max, copying into another map, building a set, looking up one key. The
// order becomes a bug when it reaches something ordered, because the result
// then changes from one run to the next: a pod template whose hash changes
// and triggers endless rollouts, generated files that never stop changing,
// validation errors that come back in a different order, flaky tests.
//
// The analyzer reports a range over a map (or over maps.Keys, maps.Values,
// maps.All), and a slice collected from one (slices.Collect(maps.Keys(m)),
// slices.AppendSeq, golang.org/x/exp/maps.Keys, reflect.Value.MapKeys, a
// set's UnsortedList), when the order reaches one of these sinks:
//
//   - a slice built in map order (append, or keys[i] = k) that leaves the
//     function unsorted: returned, stored in a field, a package variable or
//     through a pointer, joined (strings.Join, filepath.Join), encoded
//     (json, xml, gob, proto, yaml Marshal and Encode), hashed, compared
//     (reflect.DeepEqual, slices.Equal, go-cmp, testify Equal), printed, or
//     passed to another function that does not sort it or ignore its order;
//   - inside the loop: writes to an io.Writer, strings.Builder,
//     bytes.Buffer, hash.Hash, http.ResponseWriter, csv.Writer or encoder
//     (Write, WriteString, fmt.Fprint*, io.WriteString, Encode, template
//     Execute, or a helper handed the writer), string concatenation
//     (s += k), and fmt.Print* or log.Print* calls.
//
// A slice is followed through the rest of the function in source order,
// including copies (t := s, append(t, s...), slices.Clone), struct
// literals that hold it, and loops over it, which are themselves in map
// order. It is not reported when it is sorted first: sort.Strings, Ints,
// Float64s, Slice, SliceStable, Sort, Stable, slices.Sort, SortFunc,
// SortStableFunc, a Sort method, or a helper that sorts its argument. Such
// helpers are found by following each slice parameter of every function;
// the result is exported as facts (sortsArg, and ignoresOrder for helpers
// that never show the order), so helpers in imported packages count too.
// slices.Sorted(maps.Keys(m)) is never reported.
//
// It does not report: commutative work; appends to a slice declared inside
// the loop (per iteration); appends into a map or set entry (m[k] =
// append(m[k], v)); a slice or writer reset on every iteration; a loop that
// returns or breaks right after its write or append (one element); reading
// single elements (keys[0]); channel sends, whose receivers usually do not
// depend on order; elements whose position is computed from the key
// (out[index[k]] = v); returns from inside the loop, such as a lookup that
// returns on the first match; slices shuffled or swap-sorted on purpose
// (s[i], s[j] = s[j], s[i]); loops under len(m) == 1; code under a constant
// false condition (if debug with const debug = false); and returns from
// functions whose name says the result is unordered (UnsortedList).
//
// Fix (safe tier: the sorted order is one of the orders the code could
// already see): a loop over a map with an ordered key type ranges over the
// sorted keys, `for _, k := range slices.Sorted(maps.Keys(m))` with
// `v := m[k]` at the top of the body (go1.23 and later; older files collect
// the keys into a slice before the loop and sort it with slices.Sort,
// sort.Strings, sort.Ints or sort.Slice). A map expression that is a call
// or an index is held in a variable first. Collections are sorted where
// they are made: slices.Collect becomes slices.Sorted, slices.AppendSeq
// appends slices.Sorted(seq)..., a set's UnsortedList() becomes its sorted
// List(), and `keys := maps.Keys(m)` from golang.org/x/exp/maps is
// followed by a sort. No fix, with the reason, when the key type has no
// order, the loop changes the map (delete, assignment, or the map's holder
// handed to a call), the body declares the value's name again, a float key
// would need a lookup (NaN), a pre-go1.22 closure captures the value, or
// the keys come from reflect.
//
// A sort counts only on the paths it is on (the function's control-flow
// graph, kit.Graph): a slice sorted in one branch of an if, or after an
// early return, still reaches the other path's sink in map order, and a
// helper that sorts its parameter on some paths only is summarised as not
// sorting it. Paths that end in panic, os.Exit or t.Fatal need no sort.
//
// Known limits: code inside a function literal is placed at the statement
// that holds the literal, and a value whose map-order loop is itself inside
// a function literal is followed in source order. A slice handed
// to an interface method or a function value is reported, since what it
// does with the order is unknown. Order that leaves through a channel, a
// container method (list.PushBack) or a sync.Map's Range is not followed.
package maporder
