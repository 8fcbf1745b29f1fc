package compatcmd

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/compat/report"
)

func TestWireGolden(t *testing.T) {
	dir := makeRepo(t, loadArchive(t, "wire/service.txtar"))
	for _, tc := range []struct {
		name       string
		base, head string
		args       []string
		code       int
	}{
		{"v1-v2.text", "v1", "v2", nil, 1},
		{"v1-v2.json", "v1", "v2", []string{"-format", "json"}, 1},
		{"v1-v2.sarif", "v1", "v2", []string{"-format", "sarif"}, 1},
		{"v1-v2.roundtrip.text", "v1", "v2", []string{"-roundtrip"}, 1},
		{"v2-v3.roundtrip.text", "v2", "v3", []string{"-roundtrip"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if testing.Short() && strings.Contains(tc.name, "roundtrip") {
				t.Skip("-roundtrip builds programs")
			}
			args := append([]string{"wire", "-base", tc.base, "-head", tc.head}, tc.args...)
			code, out, errs := run(t, dir, args...)
			assert.Equal(t, tc.code, code, "stderr: %s", errs)
			checkGolden(t, "wire/"+tc.name, out)
		})
	}
}

const svcMod = "module example.com/svc\n\ngo 1.22\n"

// jsonStore wraps a type declaration in a package that caches it as JSON.
func jsonStore(decl string) string {
	return "package store\n\nimport \"encoding/json\"\n\n" + decl + "\n\n// Save caches an item.\nfunc Save(it Item) ([]byte, error) { return json.Marshal(it) }\n\n// Load reads a cached item.\nfunc Load(b []byte) (it Item, err error) { err = json.Unmarshal(b, &it); return }\n"
}

// gobStore wraps a type declaration in a package that stores it with gob.
func gobStore(decl string) string {
	return "package store\n\nimport (\n\t\"bytes\"\n\t\"encoding/gob\"\n)\n\n" + decl + "\n\n// Save stores an item.\nfunc Save(it *Item) ([]byte, error) {\n\tvar b bytes.Buffer\n\terr := gob.NewEncoder(&b).Encode(it)\n\treturn b.Bytes(), err\n}\n\n// Load reads an item.\nfunc Load(b []byte) (it Item, err error) {\n\terr = gob.NewDecoder(bytes.NewReader(b)).Decode(&it)\n\treturn\n}\n"
}

// The checks that matter most, one change at a time: each must be found
// with the right rule, direction and loss, statically and by -roundtrip.
func TestWireChanges(t *testing.T) {
	for _, tc := range []struct {
		name       string
		wrap       func(string) string
		base, head string
		rule       string
		dir        report.Direction
		loss       string
		rtRule     string // expected -roundtrip finding ("" for none)
	}{
		{"json renamed field", jsonStore,
			"type Item struct {\n\tID   int\n\tName string\n}", "type Item struct {\n\tID       int\n\tFullName string\n}",
			"JSON002", report.Full, "silent", ""},
		{"json retyped field", jsonStore,
			"type Item struct {\n\tID    int\n\tCount int `json:\"count\"`\n}", "type Item struct {\n\tID    int\n\tCount string `json:\"count\"`\n}",
			"JSON006", report.Full, "loud", "RT001"},
		{"json key changed", jsonStore,
			"type Item struct {\n\tID   int    `json:\"id\"`\n\tUser string `json:\"user_id\"`\n}", "type Item struct {\n\tID   int    `json:\"id\"`\n\tUser string `json:\"uid\"`\n}",
			"JSON003", report.Full, "silent", "RT002"},
		{"json removed field", jsonStore,
			"type Item struct {\n\tID   int\n\tNote string\n}", "type Item struct {\n\tID int\n}",
			"JSON001", report.Forward, "silent", ""},
		{"json narrowed", jsonStore,
			"type Item struct {\n\tID int64\n}", "type Item struct {\n\tID int32\n}",
			"JSON004", report.Backward, "silent", "RT001"},
		{"json field hidden with dash", jsonStore,
			"type Item struct {\n\tID   int\n\tNote string\n}", "type Item struct {\n\tID   int\n\tNote string `json:\"-\"`\n}",
			"JSON001", report.Forward, "silent", "RT002"},
		{"gob renamed field", gobStore,
			"type Item struct {\n\tID   int\n\tName string\n}", "type Item struct {\n\tID       int\n\tFullName string\n}",
			"GOB002", report.Full, "silent", ""},
		{"gob retyped field", gobStore,
			"type Item struct {\n\tID    int\n\tCount int64\n}", "type Item struct {\n\tID    int\n\tCount string\n}",
			"GOB006", report.Full, "loud", "RT001"},
		{"gob removed field", gobStore,
			"type Item struct {\n\tID   int\n\tNote string\n}", "type Item struct {\n\tID int\n}",
			"GOB001", report.Forward, "silent", ""},
		{"gob no fields matched", gobStore,
			"type Item struct {\n\tA int\n}", "type Item struct {\n\tB string\n}",
			"GOB020", report.Full, "loud", "RT001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := twoRevs(t,
				map[string]string{"go.mod": svcMod, "store/store.go": tc.wrap(tc.base)},
				map[string]string{"store/store.go": tc.wrap(tc.head)},
			)
			args := []string{"wire", "-base", "v1", "-head", "v2", "-format", "json"}
			if tc.rtRule != "" && !testing.Short() {
				args = append(args, "-roundtrip")
			}
			code, out, errs := run(t, dir, args...)
			require.Equal(t, 1, code, "stderr: %s\n%s", errs, out)
			r := decode(t, out)
			fs := findRule(r, tc.rule)
			require.Len(t, fs, 1, "findings: %+v", r.Findings)
			assert.Equal(t, tc.dir, fs[0].Direction)
			assert.Equal(t, tc.loss, fs[0].Loss)
			assert.NotEmpty(t, fs[0].Advice)
			assert.NotNil(t, fs[0].Base, "base position")
			assert.True(t, strings.HasPrefix(fs[0].Symbol, "example.com/svc/store.Item"), fs[0].Symbol)
			if tc.rtRule != "" && !testing.Short() {
				assert.NotEmpty(t, findRule(r, tc.rtRule), "roundtrip finding %s in %+v", tc.rtRule, r.Findings)
			}
		})
	}
}

// A purely additive change passes, statically and by round trip.
func TestWireAdditive(t *testing.T) {
	for name, wrap := range map[string]func(string) string{"json": jsonStore, "gob": gobStore} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := twoRevs(t,
				map[string]string{"go.mod": svcMod, "store/store.go": wrap("type Item struct {\n\tID   int\n\tName string `json:\"name\"`\n}")},
				map[string]string{"store/store.go": wrap("type Item struct {\n\tID    int\n\tName  string `json:\"name\"`\n\tEmail string `json:\"email,omitempty\"`\n\tTags  []string\n}\n\n// Extra is a new type.\ntype Extra struct{ A int }")},
			)
			args := []string{"wire", "-base", "v1", "-head", "v2", "-format", "json"}
			if !testing.Short() {
				args = append(args, "-roundtrip")
			}
			code, out, errs := run(t, dir, args...)
			require.Equal(t, 0, code, "stderr: %s\n%s", errs, out)
			r := decode(t, out)
			assert.Equal(t, "compatible", r.Verdict)
			for _, f := range r.Findings {
				assert.Equal(t, report.LevelNote, f.Level, "%+v", f)
			}
		})
	}
}

func TestWireBadInput(t *testing.T) {
	plain := twoRevs(t,
		map[string]string{"go.mod": svcMod, "a.go": "package svc\n\n// A is not serialized.\ntype A struct{ X int }\n"},
		map[string]string{"a.go": "package svc\n\n// A is not serialized.\ntype A struct{ X, Y int }\n"},
	)
	// A service that serializes nothing has nothing to break: exit 0,
	// with a note saying so.
	code, out, errs := run(t, plain, "wire", "-base", "v1", "-head", "v2")
	assert.Equal(t, 0, code, errs)
	assert.Empty(t, errs)
	assert.Contains(t, out, "verdict: compatible")
	assert.Contains(t, out, `nothing to compare: no serialized types found in base "v1" or head "v2"`)
	assert.Contains(t, out, "//upshift:wire")

	broken := twoRevs(t,
		map[string]string{"go.mod": svcMod, "store/store.go": jsonStore("type Item struct{ ID int }")},
		map[string]string{"store/store.go": jsonStore("type Item struct{ ID int; Bad Missing }")},
	)
	code, _, errs = run(t, broken, "wire", "-base", "v1", "-head", "v2")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `head "v2" does not build`)
	assert.Contains(t, errs, "store/store.go:5:31: undefined: Missing")

	code, _, errs = run(t, broken, "wire", "-base", "v0", "-head", "v1")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `version "v0"`)
}

// Types passed to a codec through the module's own wrapper (a cache
// client taking `any`) are found at the wrapper's call sites.
func TestWireThroughWrapper(t *testing.T) {
	cache := "package cache\n\nimport \"encoding/json\"\n\n// Set stores v as JSON.\nfunc Set(key string, v any) error { _, err := json.Marshal(v); return err }\n\n// Get loads into v.\nfunc Get(key string, v any) error { return json.Unmarshal(nil, v) }\n"
	dir := twoRevs(t,
		map[string]string{"go.mod": svcMod, "cache/cache.go": cache,
			"user/user.go": "package user\n\nimport \"example.com/svc/cache\"\n\n// User is cached.\ntype User struct {\n\tName string `json:\"name\"`\n}\n\n// Save caches u.\nfunc Save(u User) error { return cache.Set(\"u\", u) }\n"},
		map[string]string{"user/user.go": "package user\n\nimport \"example.com/svc/cache\"\n\n// User is cached.\ntype User struct {\n\tName string `json:\"full_name\"`\n}\n\n// Load reads a user.\nfunc Load() (u User, err error) { err = cache.Get(\"u\", &u); return }\n"},
	)
	code, out, errs := run(t, dir, "wire", "-base", "v1", "-head", "v2", "-format", "json")
	require.Equal(t, 1, code, "stderr: %s\n%s", errs, out)
	r := decode(t, out)
	fs := findRule(r, "JSON003")
	require.Len(t, fs, 1, "%+v", r.Findings)
	assert.Equal(t, report.Full, fs[0].Direction)
	assert.Contains(t, strings.Join(r.Notes, "\n"), "cache.Set at user/user.go:11")
}
