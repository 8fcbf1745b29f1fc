// Package wiredrift defines an Analyzer that finds encoded bytes whose
// content is not stable across runs or across encoding versions: gob and
// protobuf bytes of map-holding values used as keys, hashes or equality
// tests, and struct fields whose JSON changes between encoding/json v1 and v2.
//
// # Analyzer wiredrift
//
// wiredrift: report wire encodings that differ between runs or versions
//
// The analyzer has three families of checks.
//
// Unstable bytes used as identity. encoding/gob writes a map's entries in
// iteration order, which Go randomises, so two encodings of the same value
// holding a map with two or more entries give different bytes. The same holds
// for proto.Marshal of a message with map fields unless
// proto.MarshalOptions{Deterministic: true} is used, and for
// encoding/json/v2 Marshal of a map unless json.Deterministic(true) is
// passed. Such bytes are fine on a wire or in a file, but wrong as identity.
// The analyzer follows the bytes (bytes.Buffer contents, Marshal results and
// their hex, base64, string and fmt conversions, and values returned by
// helper functions in the same or other packages) to:
//
//   - a hash: crypto and hash package functions, Write on a hash.Hash
//     (including a gob.Encoder writing straight into one), xxhash-like Sum
//     functions (categories gob-hash, proto-hash, jsonv2-hash);
//   - a key: a map index, the key argument of a call (a parameter named k,
//     key, cacheKey, id, hash, etag, digest, checksum or fingerprint, or the
//     first argument of Get, Set, Add, Put, Load, Store and similar cache
//     methods), a struct field named like one (Key, ETag, ID...), the ETag
//     header, or the result of a function so named (gob-key, proto-key,
//     jsonv2-key);
//   - an equality test: ==, bytes.Equal, reflect.DeepEqual and friends,
//     testify's Equal (gob-compare, proto-compare, jsonv2-compare).
//
// Analysis facts (types with an AFact method) that gob would encode with a
// map are reported too (gob-fact): drivers gob-encode facts into build
// outputs, so map order makes identical builds miss content-addressed caches
// (kkHAIKE/contextcheck#30, uber-go/nilaway PR #375).
//
// Only values whose type is known to hold a map are reported: maps reached
// through exported struct fields, pointers, slices, arrays and named types.
// Interface-typed values are unknown and not reported, except that a helper
// taking an interface parameter is summarised (an analysis fact for
// exported helpers) and its callers are checked with the concrete argument
// type; helpers returning unstable bytes and helpers hashing a []byte or
// string parameter are summarised the same way. The flow is followed within
// a function in source order, without SSA: bytes that escape into fields,
// channels or closures' results are not followed. Types with GobEncode or MarshalBinary
// methods (for gob) are trusted. encoding/json (v1) sorts map keys and is
// never a source; protobuf with Deterministic: true is never a source; a
// MarshalOptions value whose origin cannot be seen is assumed deterministic.
//
// encoding/json v1 to v2 drift. In a package that imports encoding/json/v2 or
// github.com/go-json-experiment/json (or a vendored copy of it), the
// analyzer reports struct fields of
// types passed to the v2 Marshal and Unmarshal functions whose JSON differs
// from what v1 produced or accepted. With the flag -wiredrift.jsonv2 (the
// module is moving to v2) it also checks types passed to encoding/json v1
// Marshal, Unmarshal, Encode and Decode. Each report names the field, the v1
// behaviour, the v2 behaviour and the fix:
//
//   - jsonv2-omitempty: omitempty on a number or bool (v1 omits 0 and false,
//     v2 writes them), on a struct that can encode as {} (v1 always writes it,
//     v2 omits it), on a pointer to a string, slice or map (v2 also omits a
//     pointer to an empty value), and on time.Time (no effect in either
//     version); the fix is omitzero (the message notes when the file's Go
//     version predates encoding/json v1's support for it, Go 1.24);
//   - jsonv2-string: ,string on a bool or string (v2 quotes only numbers) or
//     on a composite holding numbers (v2 quotes the numbers inside);
//   - jsonv2-nil: a slice or map field without omitempty, omitzero or a
//     format option in a marshalled type (v1 writes null for nil, v2 writes
//     [], {} or "");
//   - jsonv2-duration: a time.Duration field without a format option (v1
//     writes nanoseconds, encoding/json/v2 has no default and fails);
//   - jsonv2-bytearray: a [N]byte field without a format option (v1 writes an
//     array of numbers, v2 a base64 string);
//   - jsonv2-case: a JSON literal in the package unmarshalled into a type
//     whose key matches a field only case-insensitively (v1 fills the field,
//     v2 leaves it zero); without such literal evidence case matching is not
//     reported, because the input's key case is unknown;
//   - jsonv2-ptrmethod: a value whose MarshalJSON or MarshalText method is
//     declared on the pointer receiver, marshalled without a pointer (v1 skips
//     the method, v2 calls it).
//
// Fields of types declared in the package are reported at the field, with
// the call as related information; fields of types from other packages are
// reported at the call, one diagnostic per rule listing the fields. Fields
// with v2-only options (inline, unknown, format:...) count as written for v2.
// Calls passing jsonv1.DefaultOptionsV1() are skipped, legacy options such as
// OmitEmptyWithLegacySemantics(true) silence their rule, and calls whose
// options cannot be resolved are skipped. Types with their own MarshalJSON,
// MarshalText or UnmarshalJSON methods and standard-library struct types are
// not looked into. Differences that depend on the data rather than the type
// (HTML escaping, invalid UTF-8, duplicate names, merge semantics) and
// omitempty on arrays, slices, maps and strings (unchanged) are not reported.
//
// Fixes (behavior tier: the bytes change, so keys, hashes and cache entries
// written before no longer match): proto.Marshal(m) becomes
// proto.MarshalOptions{Deterministic: true}.Marshal(m), and json v2
// Marshal and MarshalWrite calls get json.Deterministic(true) appended to
// their options. gob, options passed as opts... or built elsewhere, the
// legacy github.com/golang/protobuf API and encodings done in another
// package get the reason instead.
package wiredrift
