// Package bytestring defines an Analyzer that reports []byte values that
// code treats as text although Go never will.
//
// # Analyzer bytestring
//
// bytestring: report []byte compared, switched on or printed as text
//
// An interface value (any, a map[string]any element, a struct field of type
// any, the result of a helper returning any) that holds a []byte never
// equals a string: the comparison compiles, vet is silent, and it is always
// false. This is the Go form of Python 3's str-vs-bytes bug, where a config
// flag read from a file was compared with a text literal and the feature it
// guarded silently never switched on.
//
// The analyzer follows, inside the package and through exported facts
// across packages, which interface values can only hold []byte: values of
// static type []byte (os.ReadFile, io.ReadAll, bytes.TrimSpace,
// bufio.Scanner.Bytes, json.RawMessage, ...) assigned to interface
// variables, stored under a constant key of a map with interface elements,
// assigned to interface struct fields, or returned as an interface result.
// It reports:
//
//   - compare: such a value compared with a string using == or !=, or
//     asserted to string (the assertion always fails);
//   - switch: a value switch over it with string cases, or a type switch
//     with a string case but neither a []byte case nor a default;
//   - scan-hook: a decode hook Scan(src any) error (sql.Scanner) that tests
//     src for string but not []byte (many drivers hand text over as []byte),
//     or for []byte but not string (the reverse, seen after driver
//     upgrades), unless src also reaches code that converts any value
//     (fmt.Sprint, a delegate, a default that handles it);
//   - deepequal: reflect.DeepEqual, go-cmp's cmp.Equal and testify's
//     Equal/NotEqual between a []byte and a string: always unequal;
//   - format: a []byte that holds text formatted with %v or %+v, or passed
//     to fmt.Print, Sprint, Println, Fprint (and the log equivalents): it
//     prints as a list of numbers such as [104 101 108 108 111]. Text
//     means the bytes come from os.ReadFile, io.ReadAll, command output, a
//     JSON, XML or YAML encoder, a line scanner, a bytes trimming or
//     splitting function, a []byte(string) conversion or a helper whose
//     []byte result is always one of these, or the name says so (body,
//     output, text).
//
// The format check follows the bytes through helpers, in the package and
// through facts across packages: a helper that prints its []byte parameter
// with %v (directly, or by passing it to another such helper) is reported
// at that print as soon as one caller hands it text, naming the caller; a
// helper of another package is reported at the call, where the text is. A
// function that forwards its format and variadic operands to a printer
// (`func (s *S) logf(format string, args ...any) { s.log.Printf(format,
// args...) }`) is a printer itself: its callers' verbs are checked.
//
// The hazardous verbs are %v and %+v, and the operands of Print-style
// functions (which format with %v): all three print a []byte as numbers in
// brackets. %s, %q, %x, %X and % x print bytes in forms made for them, %d
// and %#v print numbers or Go syntax on purpose, so none of them is
// reported; nor is an operand printed with two verbs in one call ("%v %x"),
// which demonstrates the verbs. The testing printers (t.Errorf, t.Log)
// are not checked: tests print binary fixtures with %v on purpose.
//
// To stay precise it does not report: interface values whose content is not
// known (parameters, decoder output, maps filled by json.Unmarshal or passed
// to code outside the package, fields with struct tags), values that may
// also hold a string on some path, byte slices of unknown content printed
// with %v (binary payloads are often printed as numbers on purpose), byte
// slices of named types with a String,
// Error or Format method, byte slices that are plainly binary (names such as
// hash, digest, sum, key, nonce, mac, sig, or produced by crypto, hash,
// encoding/binary, protobuf packages), %x, %X, %q, %s, %d and %#v, and
// testify's EqualValues, which converts. go vet's stringintconv already
// covers string(int) conversions.
//
// # Fixes
//
// Every fix changes what the program does (that is the point: a check
// that was always false can now be true), so all are in the behavior tier
// and `upshift fix -tier=behavior` applies them:
//   - compare and switch: `x == "on"` becomes `fmt.Sprintf("%s", x) ==
//     "on"`, which compares the text whether x holds a string or a []byte;
//     the stored value keeps its type, so readers that assert .([]byte)
//     still work. A value switch is rewritten the same way when every case
//     is a string;
//   - typeswitch: `case string:` becomes `case string, []byte:` when the
//     clause does not use the bound variable as a string;
//   - scanhook: the missing case is added to the hook's type switch and
//     delegates to the hook itself: `case []byte: return t.Scan(string(v))`
//     (and the converse). A hook that tests with assertions (`v, ok :=
//     src.(string)`, `if b, ok := src.([]byte); ok`, or `src.(string)`
//     alone) gets a guard at its top that does the same:
//     `if b, ok := src.([]byte); ok { return t.Scan(string(b)) }`, so the
//     hook runs as written on the form it takes;
//   - deepequal and print: the []byte operand is wrapped in string(...);
//   - format: %v and %+v on the operand become %s and %+s in a literal
//     format (in a helper, at the helper's print).
//
// No fix, with the reason in `upshift fix` output: assertions .(string)
// (asserting .([]byte) or storing a string depends on the value's other
// readers), interface operands of DeepEqual and Print, hooks whose
// receiver or parameter has no name, string cases that use the bound
// variable, and text handed to another package's helper (the print to
// change is in that package).
package bytestring
