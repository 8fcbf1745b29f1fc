package kit

import (
	"go/ast"
	"go/types"
	"strings"
)

// This file holds the tables of sinks that several analyzers share. A
// table lives here once, so that maporder, wiredrift, bytestring, iterchange
// and loopvar agree on what a hash, an exit or an equality assertion is.

// IsExitCall reports whether call never returns normally: the panic
// builtin, os.Exit, runtime.Goexit, log's Fatal and Panic functions and
// methods, and the testing methods that stop a test (Fatal, Fatalf,
// FailNow, Skip, Skipf, SkipNow), called on *testing.T, *testing.B,
// *testing.F or testing.TB.
func IsExitCall(info *types.Info, call *ast.CallExpr) bool {
	if IsBuiltin(info, call, "panic") {
		return true
	}
	fn := Callee(info, call)
	if fn == nil {
		return false
	}
	name := fn.Name()
	switch PkgPath(fn) {
	case "os":
		return IsPkgFunc(fn, "os", "Exit")
	case "runtime":
		return IsPkgFunc(fn, "runtime", "Goexit")
	case "log":
		return (fn.Signature().Recv() == nil || RecvName(fn) == "Logger") &&
			(strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic"))
	case "testing":
		if fn.Signature().Recv() == nil {
			return false
		}
		switch name {
		case "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow":
			return true
		}
	}
	return false
}

// IsWriter reports whether values of t (or pointers to them) are
// io.Writers: they have a method Write([]byte) (int, error), whatever its
// parameter names.
func IsWriter(t types.Type) bool {
	if t == nil {
		return false
	}
	for _, typ := range []types.Type{t, types.NewPointer(t)} {
		obj, _, _ := types.LookupFieldOrMethod(typ, true, nil, "Write")
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		s := fn.Signature()
		if s.Params().Len() == 1 && s.Results().Len() == 2 && IsByteSlice(s.Params().At(0).Type()) {
			return true
		}
	}
	return false
}

// IsHash reports whether t (or a pointer to it) is a hash: one of the hash
// package's interfaces, or a writer with hash.Hash's Sum([]byte) []byte,
// Reset, Size and BlockSize methods.
func IsHash(t types.Type) bool {
	if t == nil {
		return false
	}
	for _, name := range []string{"Hash", "Hash32", "Hash64"} {
		if IsNamedOrPtr(t, "hash", name) {
			return true
		}
	}
	if !IsWriter(t) {
		return false
	}
	for _, typ := range []types.Type{t, types.NewPointer(t)} {
		if hasMethods(typ, "Reset", "Size", "BlockSize") {
			obj, _, _ := types.LookupFieldOrMethod(typ, true, nil, "Sum")
			if fn, ok := obj.(*types.Func); ok {
				s := fn.Signature()
				if s.Params().Len() == 1 && s.Results().Len() == 1 && IsByteSlice(s.Params().At(0).Type()) {
					return true
				}
			}
		}
	}
	return false
}

func hasMethods(t types.Type, names ...string) bool {
	for _, n := range names {
		obj, _, _ := types.LookupFieldOrMethod(t, true, nil, n)
		if _, ok := obj.(*types.Func); !ok {
			return false
		}
	}
	return true
}

// IsByteSlice reports whether t is []byte or a named type over it (not a
// type parameter, whose type set may hold other types).
func IsByteSlice(t types.Type) bool {
	if t == nil {
		return false
	}
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return false
	}
	s, ok := t.Underlying().(*types.Slice)
	return ok && types.Identical(s.Elem(), types.Typ[types.Uint8])
}

// hashPkgs are the packages whose functions (other than constructors)
// hash their arguments.
var hashPkgs = map[string]bool{
	"crypto/md5": true, "crypto/sha1": true, "crypto/sha256": true, "crypto/sha512": true, "crypto/sha3": true,
	"hash/crc32": true, "hash/crc64": true, "hash/adler32": true, "hash/fnv": true, "hash/maphash": true,
	"golang.org/x/crypto/blake2b": true, "golang.org/x/crypto/blake2s": true, "golang.org/x/crypto/sha3": true,
}

// IsHashFunc reports whether the package-level function path.name hashes
// its arguments: a digest function of the standard library or x/crypto
// (sha256.Sum256, crc32.ChecksumIEEE), or a Sum/Hash/Checksum/Fingerprint
// function of a hashing library (xxhash, murmur3, farm, cityhash, blake3).
func IsHashFunc(path, name string) bool {
	if hashPkgs[path] {
		return !strings.HasPrefix(name, "New") && name != "MakeTable"
	}
	last := path[strings.LastIndex(path, "/")+1:]
	if len(last) >= 2 && last[0] == 'v' && strings.Trim(last[1:], "0123456789") == "" {
		trimmed := strings.TrimSuffix(path, "/"+last)
		last = trimmed[strings.LastIndex(trimmed, "/")+1:]
	}
	last = strings.ToLower(last)
	lib := strings.Contains(last, "hash") || strings.Contains(last, "murmur") || strings.Contains(last, "farm") ||
		strings.Contains(last, "blake") || strings.Contains(last, "xxh") || last == "metro"
	if !lib {
		return false
	}
	for _, p := range []string{"Sum", "Hash", "Checksum", "Fingerprint", "CityHash", "String", "Bytes"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// IsTestifyPkg reports whether path is one of testify's packages (assert,
// require, suite, ...).
func IsTestifyPkg(path string) bool {
	return strings.HasPrefix(path, "github.com/stretchr/testify/")
}

// Assertion is a call of a testify assertion.
type Assertion struct {
	// Name is the assertion's name without the f of its formatted variant:
	// Equal for assert.Equalf.
	Name string
	// First is the index of the first asserted argument: 1 for the package
	// functions, which take the testing.T first, 0 for the methods of
	// assert.Assertions and require.Assertions.
	First int
}

// TestifyAssertion recognises fn as an assertion of testify's assert or
// require package, a function or a method of their Assertions type. The
// formatted variants (Equalf) are the same assertion as the plain ones.
func TestifyAssertion(fn *types.Func) (Assertion, bool) {
	if fn == nil {
		return Assertion{}, false
	}
	path := PkgPath(fn)
	if path != "github.com/stretchr/testify/assert" && path != "github.com/stretchr/testify/require" {
		return Assertion{}, false
	}
	a := Assertion{Name: fn.Name(), First: 1}
	if fn.Signature().Recv() != nil {
		if RecvName(fn) != "Assertions" {
			return Assertion{}, false
		}
		a.First = 0
	}
	// Every testify assertion whose name ends in f is the formatted
	// variant of the one without it.
	a.Name = strings.TrimSuffix(a.Name, "f")
	return a, true
}

// EqualityCall reports whether fn compares two of its arguments for
// equality, element by element and in order (reflect.DeepEqual, go-cmp's
// Equal, testify's Equal and NotEqual), and the index of the first of them.
// testify's EqualValues converts before comparing and is not one of them.
func EqualityCall(fn *types.Func) (first int, ok bool) {
	if fn == nil {
		return 0, false
	}
	switch {
	case IsPkgFunc(fn, "reflect", "DeepEqual"), IsPkgFunc(fn, "github.com/google/go-cmp/cmp", "Equal"):
		return 0, true
	}
	if a, ok := TestifyAssertion(fn); ok && (a.Name == "Equal" || a.Name == "NotEqual") {
		return a.First, true
	}
	return 0, false
}

// printfFuncs maps Printf-style functions (by FuncKey) to the index of
// their format argument.
var printfFuncs = map[string]int{
	"fmt.Printf": 0, "fmt.Sprintf": 0, "fmt.Errorf": 0, "fmt.Fprintf": 1, "fmt.Appendf": 1,
	"log.Printf": 0, "log.Fatalf": 0, "log.Panicf": 0,
	"log.Logger.Printf": 0, "log.Logger.Fatalf": 0, "log.Logger.Panicf": 0,
}

// printFuncs maps Print-style functions (by FuncKey) to the index of their
// first operand.
var printFuncs = map[string]int{
	"fmt.Print": 0, "fmt.Println": 0, "fmt.Sprint": 0, "fmt.Sprintln": 0,
	"fmt.Fprint": 1, "fmt.Fprintln": 1, "fmt.Append": 1, "fmt.Appendln": 1,
	"log.Print": 0, "log.Println": 0, "log.Fatal": 0, "log.Fatalln": 0, "log.Panic": 0, "log.Panicln": 0,
	"log.Logger.Print": 0, "log.Logger.Println": 0, "log.Logger.Fatal": 0,
	"log.Logger.Fatalln": 0, "log.Logger.Panic": 0, "log.Logger.Panicln": 0,
}

// PrintfFormat reports whether fn formats its operands Printf-style, and
// the index of its format argument.
func PrintfFormat(fn *types.Func) (format int, ok bool) {
	if fn == nil {
		return 0, false
	}
	format, ok = printfFuncs[FuncKey(fn)]
	return format, ok
}

// PrintOperands reports whether fn prints its operands Print-style (each
// with %v), and the index of the first of them.
func PrintOperands(fn *types.Func) (first int, ok bool) {
	if fn == nil {
		return 0, false
	}
	first, ok = printFuncs[FuncKey(fn)]
	return first, ok
}

// IsWriteMethod reports whether name is one of the io.Writer family of
// methods (Write, WriteString, WriteByte, WriteRune).
func IsWriteMethod(name string) bool {
	switch name {
	case "Write", "WriteString", "WriteByte", "WriteRune":
		return true
	}
	return false
}

// IsEncoding reports whether fn encodes its arguments into bytes or text:
// Marshal and its variants (encoding/json, xml, yaml, protobuf, ...),
// Encode methods of encoders, and EncodeToString (hex, base64).
func IsEncoding(fn *types.Func) bool {
	name := fn.Name()
	return strings.HasPrefix(name, "Marshal") || name == "Encode" || name == "EncodeToString"
}
