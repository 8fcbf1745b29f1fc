package godebug

import (
	"slices"
	"testing"
)

func TestGoModGodebugs(t *testing.T) {
	gomod := `module example.com/m

go 1.21

godebug asynctimerchan=1 // keep old timers
godebugx=1
godebug (
	default=go1.21
	// comment line
	panicnil=1
)

require example.com/x v1.0.0
`
	got := goModGodebugs([]byte(gomod))
	want := []string{"asynctimerchan=1", "default=go1.21", "panicnil=1"}
	if !slices.Equal(got, want) {
		t.Errorf("goModGodebugs = %q, want %q", got, want)
	}
	var ov overrides
	ov.pinned, ov.where = map[string]string{}, map[string]string{}
	for _, kv := range got {
		ov.set(kv, "godebug "+kv)
	}
	if ov.base != "go1.21" || ov.pinned["panicnil"] != "1" || len(ov.pinned) != 2 || ov.where["panicnil"] != "godebug panicnil=1" {
		t.Errorf("overrides = %+v", ov)
	}
}

func TestMuxFeatures(t *testing.T) {
	for in, want := range map[string]string{
		"/":                "",
		"/api/v1/":         "",
		"example.com/":     "",
		"GET /x":           "a method prefix",
		"/a/{id}/{$}":      "an end anchor {$} and {wildcards}",
		"POST /a%2Fb/{id}": "a method prefix, {wildcards} and %-escapes",
		" /leading":        "whitespace",
	} {
		if got := muxFeatures(in); got != want {
			t.Errorf("muxFeatures(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLaxColonHost(t *testing.T) {
	for in, want := range map[string]bool{
		"http://fe80::1/":            true,
		"HTTPS://u:p@a:b:8080/x":     true,
		"http://::1:/":               true,
		"http://a:b:c/":              false, // rejected by both parsers
		"http://[::1]:80/":           false,
		"http://h:80/":               false,
		"postgres://a:1,b:2/db":      false,
		"http://example.com/p:a:t:h": false,
		"fe80::1":                    false,
	} {
		if _, got := laxColonHost(in); got != want {
			t.Errorf("laxColonHost(%q) = %v, want %v", in, got, want)
		}
	}
}
