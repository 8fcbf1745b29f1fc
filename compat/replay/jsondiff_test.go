package replay

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestDiffJSON(t *testing.T) {
	cases := []struct {
		name, a, b string
		want       []string // "path kind base -> head"
	}{
		{"equal", `{"a":1,"b":[1,2]}`, `{"a":1,"b":[1,2]}`, nil},
		{"whitespace only", `{"a": 1}`, "{\"a\":1}\n", nil},
		{"renamed", `{"full_name":"Ann","id":1}`, `{"fullName":"Ann","id":1}`,
			[]string{`$.full_name renamed "full_name" -> "fullName"`}},
		{"missing and added", `{"a":1}`, `{"b":2}`,
			[]string{"$.a missing 1 -> (absent)", "$.b added (absent) -> 2"}},
		{"number format", `{"n":1250000}`, `{"n":1.25e+06}`, []string{"$.n number-format 1250000 -> 1.25e+06"}},
		{"number value", `{"n":1.5}`, `{"n":1.25}`, []string{"$.n value 1.5 -> 1.25"}},
		{"number to string", `{"price":12.5}`, `{"price":"12.50"}`, []string{`$.price type number 12.5 -> string "12.50"`}},
		{"string value", `{"s":"a"}`, `{"s":"b"}`, []string{`$.s value "a" -> "b"`}},
		{"array order only", `{"t":["a","b","c"]}`, `{"t":["c","a","b"]}`, []string{`$.t order ["a","b","c"] -> ["c","a","b"]`}},
		{"key order only", `{"a":1,"b":2}`, `{"b":2,"a":1}`, []string{"$ order keys a,b -> keys b,a"}},
		{"nested index", `{"items":[{"name":"x"},{"name":"y"},{"name":"z"}]}`, `{"items":[{"name":"x"},{"name":"y"},{"name":"Z"}]}`,
			[]string{`$.items[2].name value "z" -> "Z"`}},
		{"length", `[1,2]`, `[1,2,3]`, []string{"$ length 2 elements -> 3 elements"}},
		// Reordered and changed: aligned by sorting, so only the changed
		// element differs.
		{"reordered and changed", `[{"k":"a","v":1},{"k":"b","v":2},{"k":"c","v":3}]`, `[{"k":"c","v":3},{"k":"a","v":1},{"k":"b","v":9}]`,
			[]string{"$[1].v value 2 -> 9"}},
		{"odd key", `{"a b":1}`, `{"a b":2}`, []string{`$["a b"] value 1 -> 2`}},
		{"null vs object", `{"x":null}`, `{"x":{}}`, []string{"$.x type null null -> object {}"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := parseJSON([]byte(tc.a))
			if err != nil {
				t.Fatal(err)
			}
			b, err := parseJSON([]byte(tc.b))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range diffJSON(a, b) {
				got = append(got, fmt.Sprintf("%s %s %s -> %s", d.path, d.kind, d.base, d.head))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestParseJSONErrors(t *testing.T) {
	for _, s := range []string{`{"a":`, `[1,2`, `{} {}`, `nope`} {
		if _, err := parseJSON([]byte(s)); err == nil {
			t.Errorf("parseJSON(%q) succeeded", s)
		}
	}
}

func TestGeneralize(t *testing.T) {
	if got := generalize(`$.items[12].tags[0]["a[1]"]`); got != `$.items[*].tags[*]["a[*]"]` {
		// Indexes inside quoted keys are generalized too; harmless, since
		// both sides of a comparison are generalized alike.
		t.Errorf("generalize = %s", got)
	}
}

func TestCmpNatural(t *testing.T) {
	in := []string{"line 21", "line 3", "$.a[10]", "$.a[2]", "$.a[2].b", "line 100"}
	slices.SortFunc(in, cmpNatural)
	want := []string{"$.a[2]", "$.a[2].b", "$.a[10]", "line 3", "line 21", "line 100"}
	if !slices.Equal(in, want) {
		t.Errorf("sorted %q, want %q", in, want)
	}
}
