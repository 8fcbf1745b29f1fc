// Package loopvar defines an Analyzer that reports loop variables whose
// address or closure outlives an iteration in files below Go 1.22, where
// raising the go line changes what the program does.
//
// # Analyzer loopvar
//
// loopvar: loop variables that change meaning at go 1.22
//
// Before Go 1.22 a for loop declares its variables once and every iteration
// overwrites them; from Go 1.22 each iteration has its own copy. The switch
// is made per file by the language version (the go line of go.mod, or a
// //go:build goX.Y constraint in the file). Code that keeps a reference to a
// loop variable beyond the iteration that created it behaves differently
// on each side of that line, usually because an old aliasing bug silently
// goes away, sometimes because code relied on the aliasing.
//
// In files whose language version is below go1.22 the analyzer follows the
// address of each range key/value and three-clause loop variable (&v, v[:]
// on an array, v.M() or v.M where M has a pointer receiver) and each func
// literal that captures one, and reports those that leave the iteration:
//
//   - appended to a slice, stored in a map, slice element or channel, or
//     used as a map key declared outside the loop (category "address" or
//     "closure"): before 1.22 every element aliases one variable holding
//     the last value;
//   - stored in a single outer variable or field when that changes what
//     is seen: the store is conditional (a find-without-break), the slot is
//     read again in a later iteration (a "previous" pointer), or the loop is
//     a three-clause loop whose post statement moves the variable on;
//   - passed to a function of the analyzed code that keeps the pointer or
//     closure (appends it to a field, stores it globally, sends it, starts a
//     goroutine with it), known from a fact computed for every function and
//     method, including the receiver of pointer methods;
//   - run by a go statement, errgroup.Group.Go, sync.WaitGroup.Go,
//     time.AfterFunc or context.AfterFunc (category "goroutine"), by a defer
//     statement or t.Cleanup (category "defer"), or registered with
//     net/http, sync.Map, atomic values or container/list;
//   - captured after t.Parallel() in a subtest started with t.Run
//     (category "parallel-test": before 1.22 every subtest sees the last
//     case, so only the last case is tested).
//
// It stays silent where the change is invisible: files at go1.22 or later
// (including files upgraded by //go:build go1.22), packages without any
// version information, loops that copy the variable (v := v), addresses and
// closures used within the iteration (f(&v) where f does not keep it,
// json.Unmarshal(data, &v), closures called at once or passed to sort.Slice
// and other functions the analyzer knows nothing about, methods that keep
// the pointer in a receiver that itself lives for one iteration),
// goroutines waited for within the same iteration (wg.Wait(), a channel
// receive) or started inside a synchronous t.Run/b.Run subtest that
// registers a cleanup or defers a call, t.Cleanup on a subtest's own t,
// escapes followed by leaving the loop (return, break, panic), and an
// unconditional last-one-wins store into one outer variable of a range
// loop, which holds the last element either way. A pointer returned from inside the loop is
// not reported: the loop ends there, so nothing overwrites the variable (the
// compiler's own -d=loopvar=2 listing skips those loops too).
package loopvar
