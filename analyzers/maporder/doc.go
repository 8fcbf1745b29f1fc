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
// Severity. Each finding is ranked by where the order ends up, and the rank is the
// diagnostic's Category ("high", "medium" or "low", which go vet -json,
// golangci-lint and nogo carry) and the end of its message ("[high]"):
//
//   - high: bytes that are encoded or hashed, comparisons (a flaky test
//     is real even in a test file), an exported function's result, the
//     text of an Error method, fmt.Errorf and errors.New, the output of
//     MarshalJSON/MarshalXML/WriteTo/ServeHTTP methods, and writers that
//     are not in memory (files, responses, connections);
//   - medium: state stored past the function, slices handed to another
//     function, strings joined or built in a strings.Builder, program
//     output through fmt.Print;
//   - low: logs (log, slog, and calls into logging libraries), test
//     failure messages, anything else in a _test.go file.
//
// The flag -maporder.min (high, medium or low; default medium) sets the
// lowest rank reported. It filters inside the analyzer, so every host
// (upshift vet and fix, go vet -vettool, golangci-lint, nogo) shows, and
// fix rewrites, the same findings.
//
// Callers. The result of an unexported function can only be used in its own
// package, so it is judged by its callers: when each caller sorts it,
// makes a set of it, looks one element up, or reduces it without regard
// to order, nothing is reported; otherwise it takes the worst rank among
// its callers' uses, and a caller that returns it in turn is judged by
// its own callers (a fixpoint over the package, kit.Summaries). A
// function with no caller in view (dead code, or called only from tests
// compiled separately) or used as a function value is ranked medium; the
// result of an exported function (outside package main) is high. A call
// through an unexported interface method does what every implementation
// in the package does with the order (bbolt's freelist sorts in both).
//
// Every loop over a map that reaches a sink is reported, also when an
// enclosing loop reaches the same sink: sorting the outer loop does not
// order the inner one, so vet reports at once what fix would otherwise
// only find in later rounds. A loop that hands a per-iteration value and
// a pointer to an outer slice to a function (process(k, v, &errs))
// builds that slice in map order; per-entry encoders (xml.Encoder's
// EncodeElement and EncodeToken, v.MarshalXML(enc, start), v.WriteTo(w))
// write in map order.
//
// Fix. A loop that only collects elements of an ordered type into a slice
// declared empty just before it, and does not read the slice, gets the
// slice sorted once after the loop (slices.Sort from go1.21, else
// sort.Strings, sort.Ints or sort.Slice): the collect-then-sort a
// maintainer writes, cheaper than ranging over sorted keys (no keys
// slice, no lookup per entry, only the kept elements sorted). Keys
// collected into a nil slice (var s []K) become s :=
// slices.Sorted(maps.Keys(m)) on go1.23.
//
// Any other loop over a map with an ordered key type ranges over the
// sorted keys, `for _, k := range slices.Sorted(maps.Keys(m))` with
// `v := m[k]` at the top of the body (go1.23 and later; older files
// collect the keys into a slice before the loop and sort it with
// slices.Sort, sort.Strings, sort.Ints or sort.Slice). A map expression
// that is a call or an index is held in a variable first. Collections are
// sorted where they are made: slices.Collect becomes slices.Sorted,
// slices.AppendSeq appends slices.Sorted(seq)..., a set's UnsortedList()
// becomes its sorted List(), and `keys := maps.Keys(m)` from
// golang.org/x/exp/maps is followed by a sort. No fix, with the reason,
// when the key type has no order, the loop changes the map (delete,
// assignment, or the map's holder handed to a call), the body declares
// the value's name again, a float key would need a lookup (NaN), a
// pre-go1.22 closure captures the value, or the keys come from reflect.
//
// The fixes are in the behavior tier, not safe. A sorted order is one
// the code could see in principle, but not one it saw in practice: small
// maps iterate in rotations of their insertion order, and tests (and
// consumers) pin the order they happened to get. On nats-server a test
// that passed 15 times in a row failed after the fix. upshift fix applies
// them with -tier=behavior, so that each change of output is chosen.
// upshift migrate applies them at the safe tier as well, in a stage of
// their own that runs the tests: a fix that breaks a test that passed
// before is left out and named, so what is kept is a change of order
// that no test observes (the check is marked TestVerified).
//
// A fix adds a sort on every call of the code it changes. Unless the
// loop is seen to be cold (test code, init, main, an Error method, the
// body of `if err != nil`), the finding names that cost: "the fix costs a
// sort of the m keys on every call".
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
