// Package wire implements `upshift compat wire`: can data written by one
// version of a module be read by the other?
//
// It finds the serialized types of each side (arguments of encoding/json
// and encoding/gob Marshal/Unmarshal/Encode/Decode/Register calls, and type
// declarations marked with a //upshift:wire comment), builds a schema per
// codec from go/types, and compares them field by field:
//
//   - JSON (encoding/json v1 rules): effective key, case-insensitive key
//     matching, omitempty, the ",string" option, kind, promotion of
//     embedded structs with dominance, "-";
//   - gob: exported field names, kind classes (signed, unsigned, float,
//     string, bytes, struct, map, slice, interface), GobEncoder types, and
//     gob.Register names with their pointer quirk (a value type registered
//     by full import path, a pointer by package name only: "*p.T").
//
// Each finding has a stable rule ID and a direction: BACKWARD (head
// reading base data), FORWARD (base reading head data) or FULL. Silent
// loss (a renamed field, a changed key, a narrowed number, a removed
// field) ranks above loud decode errors, and each finding says which side
// must deploy first, or that only versioned cache keys or separate pools
// make the change safe.
//
// Roundtrip goes further: it generates one program per side, fills each
// type with deterministic non-zero values, and exchanges encoded fixtures
// through files in both directions, because two versions cannot share one
// process (gob's registry is global).
package wire
