package wire

import "github.com/upshift-dev/upshift/compat/report"

// Rule IDs of `upshift compat wire`, stable and never reused. JSON and gob
// findings have their own IDs (same number, same meaning) so that a
// suppression names the codec. Numbers below 100 are breaking, 1xx are
// informational. RT0xx come from -roundtrip runs.
const (
	JSONRemoved        = "JSON001"
	JSONRenamed        = "JSON002"
	JSONKeyChanged     = "JSON003"
	JSONNarrowed       = "JSON004"
	JSONWidened        = "JSON005"
	JSONKindChanged    = "JSON006"
	JSONBytesString    = "JSON007"
	JSONMoved          = "JSON008"
	JSONStringOption   = "JSON009"
	JSONCustomChanged  = "JSON010"
	JSONArrayLen       = "JSON011"
	JSONInterface      = "JSON012"
	JSONTypeRemoved    = "JSON013"
	JSONAdded          = "JSON101"
	JSONKeyCase        = "JSON102"
	JSONOmitEmpty      = "JSON103"
	GobRemoved         = "GOB001"
	GobRenamed         = "GOB002"
	GobNarrowed        = "GOB004"
	GobWidened         = "GOB005"
	GobWrongType       = "GOB006"
	GobCustomChanged   = "GOB010"
	GobArrayLen        = "GOB011"
	GobTypeRemoved     = "GOB013"
	GobNoFieldsMatched = "GOB020"
	GobRegNameChanged  = "GOB021"
	GobRegRemoved      = "GOB022"
	GobRegAdded        = "GOB023"
	GobAdded           = "GOB101"
	RTDecodeError      = "RT001"
	RTLost             = "RT002"
	RTEncodeError      = "RT003"
)

// Rules lists every rule of the wire subcommand in ID order.
var Rules = []report.Rule{
	{ID: JSONRemoved, Name: "json-field-removed", Summary: "JSON field removed: old readers get the zero value", Level: report.LevelError},
	{ID: JSONRenamed, Name: "json-field-renamed", Summary: "JSON field renamed: its value is silently dropped both ways", Level: report.LevelError},
	{ID: JSONKeyChanged, Name: "json-key-changed", Summary: "JSON key of a field changed: its value is silently dropped both ways", Level: report.LevelError},
	{ID: JSONNarrowed, Name: "json-narrowed", Summary: "number narrowed: new readers fail or lose precision on old values", Level: report.LevelError},
	{ID: JSONWidened, Name: "json-widened", Summary: "number widened: old readers fail or lose precision on new values", Level: report.LevelError},
	{ID: JSONKindChanged, Name: "json-kind-changed", Summary: "JSON kind of a field changed: decoding fails", Level: report.LevelError},
	{ID: JSONBytesString, Name: "json-bytes-string", Summary: "[]byte (base64) and string swapped: text is silently read as base64 or fails", Level: report.LevelError},
	{ID: JSONMoved, Name: "json-field-moved", Summary: "field moved between an embedded (promoted) and a nested object", Level: report.LevelError},
	{ID: JSONStringOption, Name: "json-string-option", Summary: "`,string` option changed: quoted and bare numbers do not decode into each other", Level: report.LevelError},
	{ID: JSONCustomChanged, Name: "json-custom-changed", Summary: "custom marshaling (MarshalJSON/MarshalText) added, removed or changed", Level: report.LevelWarning},
	{ID: JSONArrayLen, Name: "json-array-length", Summary: "array length changed: extra elements are dropped, missing ones zero", Level: report.LevelError},
	{ID: JSONInterface, Name: "json-interface", Summary: "field changed between a concrete type and interface{}", Level: report.LevelWarning},
	{ID: JSONTypeRemoved, Name: "json-type-removed", Summary: "serialized type no longer exists in head", Level: report.LevelWarning},
	{ID: JSONAdded, Name: "json-field-added", Summary: "JSON field added (readers of old data get the zero value)", Level: report.LevelNote},
	{ID: JSONKeyCase, Name: "json-key-case", Summary: "JSON key changed case only: fine for encoding/json v1 (case-insensitive), breaks with v2", Level: report.LevelNote},
	{ID: JSONOmitEmpty, Name: "json-omitempty", Summary: "omitempty added or removed (absent and zero read alike)", Level: report.LevelNote},
	{ID: GobRemoved, Name: "gob-field-removed", Summary: "gob field removed: old readers get the zero value (or a stale one when reusing)", Level: report.LevelError},
	{ID: GobRenamed, Name: "gob-field-renamed", Summary: "gob field renamed: its value is silently dropped both ways", Level: report.LevelError},
	{ID: GobNarrowed, Name: "gob-narrowed", Summary: "number narrowed: out-of-range values fail after other fields were filled", Level: report.LevelError},
	{ID: GobWidened, Name: "gob-widened", Summary: "number widened: old readers fail on out-of-range new values", Level: report.LevelError},
	{ID: GobWrongType, Name: "gob-wrong-type", Summary: "gob type class changed: `gob: wrong type` errors", Level: report.LevelError},
	{ID: GobCustomChanged, Name: "gob-custom-changed", Summary: "GobEncoder/BinaryMarshaler added, removed or changed", Level: report.LevelError},
	{ID: GobArrayLen, Name: "gob-array-length", Summary: "array length changed: gob refuses to decode", Level: report.LevelError},
	{ID: GobTypeRemoved, Name: "gob-type-removed", Summary: "serialized type no longer exists in head", Level: report.LevelWarning},
	{ID: GobNoFieldsMatched, Name: "gob-no-fields-matched", Summary: "no field names in common: `gob: type mismatch: no fields matched`", Level: report.LevelError},
	{ID: GobRegNameChanged, Name: "gob-register-name", Summary: "gob.Register name changed (package moved, /v2 path, pointer vs value)", Level: report.LevelError},
	{ID: GobRegRemoved, Name: "gob-register-removed", Summary: "gob.Register removed: interface values of old data no longer decode", Level: report.LevelError},
	{ID: GobRegAdded, Name: "gob-register-added", Summary: "new gob.Register: old readers cannot decode interface values of this type until they know it", Level: report.LevelNote},
	{ID: GobAdded, Name: "gob-field-added", Summary: "gob field added (readers of old data get the zero value)", Level: report.LevelNote},
	{ID: RTDecodeError, Name: "roundtrip-decode-error", Summary: "round trip: data written by one side does not decode on the other", Level: report.LevelError},
	{ID: RTLost, Name: "roundtrip-lost", Summary: "round trip: a field value written by one side is not what the other side reads", Level: report.LevelError},
	{ID: RTEncodeError, Name: "roundtrip-encode-error", Summary: "round trip: a side cannot encode its own filled value", Level: report.LevelWarning},
}

// Advice for each broken direction: who must deploy first.
const (
	adviceForward  = "deploy head readers first (consumers before producers): head reads base data, base cannot read head data; for a shared cache in a mixed or rolled-back fleet, version the cache key"
	adviceBackward = "deploy head writers first (producers before consumers) and let head read only after base-written data has expired or been migrated; or version the cache key"
	adviceFull     = "no deploy order is safe: version the cache keys or use separate pools per version, or first ship a reader that accepts both formats"
)

func advice(d report.Direction) string {
	switch d {
	case report.Forward:
		return adviceForward
	case report.Backward:
		return adviceBackward
	case report.Full:
		return adviceFull
	}
	return ""
}

func ruleLevel(id string) report.Level {
	for _, r := range Rules {
		if r.ID == id {
			return r.Level
		}
	}
	return report.LevelError
}
