package godebug

import (
	"slices"
	"testing"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"1.21":              "go1.21",
		"1.21.0":            "go1.21",
		"go1.26.8":          "go1.26",
		"go1.23rc1":         "go1.23",
		"go1.26.8 X:jsonv2": "go1.26",
		"devel go1.27-abcdef12 Tue Jan 6 2026 +0000": "go1.27",
		"go1.24.1-bigcorp":                           "go1.24",
		"":                                           "",
		"bad":                                        "",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
	if n, ok := minor("go1.16"); !ok || n != floor {
		t.Errorf("minor(go1.16) = %d, %v; want the go1.%d floor", n, ok, floor)
	}
	if toolchainLang() == "" {
		t.Error("toolchainLang is empty")
	}
}

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

func TestLookup(t *testing.T) {
	s, ok := Lookup("httpmuxgo121")
	if !ok || s.Changed != "go1.22" || s.GodebugLine() != "godebug httpmuxgo121=1" {
		t.Errorf("Lookup(httpmuxgo121) = %+v, %v", s, ok)
	}
	if _, ok := Lookup("randautoseed"); ok {
		t.Error("Lookup(randautoseed) found a setting no go line changes")
	}
	if _, ok := Lookup("nosuch"); ok {
		t.Error("Lookup(nosuch) succeeded")
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
