package wire

import (
	"context"
	"flag"
	"go/ast"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upshift-dev/upshift/compat/api"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

func loadSchemaModule(t *testing.T) *api.Module {
	t.Helper()
	m, err := api.Load(context.Background(), "testdata/schema", "schema")
	require.NoError(t, err)
	return m
}

func TestJSONFields(t *testing.T) {
	m := loadSchemaModule(t)
	tn := lookupType(m, "/p.Doc")
	require.NotNil(t, tn)
	s := newBuilder(m, JSON).schema(tn.Type())
	keys := map[string]*Field{}
	for _, f := range s.Fields {
		keys[f.Key] = f
	}
	var got []string
	for _, f := range s.Fields {
		got = append(got, f.Key+"="+f.GoName)
	}
	assert.ElementsMatch(t, []string{
		"id=Base.ID", "name=Other.Name", "Deep=inner.Deep", "title=Name", "-=Dash",
		"count=Count", "List=List", "at=At", "Ch=Ch",
	}, got)
	assert.Equal(t, `json:"-"`, s.Dropped["Secret"])
	assert.Equal(t, "unexported", s.Dropped["private"])
	assert.Contains(t, s.Dropped["Base.Kind"], "conflicting JSON name")
	assert.True(t, keys["count"].String && keys["count"].OmitEmpty)
	assert.False(t, keys["List"].String, ",string does not apply to []byte")
	assert.Equal(t, KindBytes, keys["List"].Schema.Kind)
	assert.Equal(t, KindCustom, keys["at"].Schema.Kind)
	assert.Equal(t, KindUnsupported, keys["Ch"].Schema.Kind)
}

func TestGobFields(t *testing.T) {
	m := loadSchemaModule(t)
	s := newBuilder(m, Gob).schema(lookupType(m, "/p.Doc").Type())
	var got []string
	for _, f := range s.Fields {
		got = append(got, f.Key)
	}
	// No promotion; unexported embedded and chan fields are not sent.
	assert.Equal(t, []string{"Base", "Other", "Name", "Secret", "Dash", "Count", "List", "At"}, got)
	assert.Equal(t, "unexported", s.Dropped["inner"])
	assert.Contains(t, s.Dropped["Ch"], "chan")
}

func TestRootsAndRegistrations(t *testing.T) {
	m := loadSchemaModule(t)
	roots, regs := findRoots(m)
	var keys []string
	for _, r := range roots {
		keys = append(keys, r.Key+" "+joinCodecs(r.Codecs))
	}
	assert.Equal(t, []string{"/p.Doc gob, json", "/p.P gob", "/p.V gob"}, keys)
	names := map[string]string{}
	for _, r := range regs {
		names[r.Key] = r.Name
	}
	assert.Equal(t, map[string]string{
		"/p.V":    "example.com/schema/p.V", // value: full import path
		"*/p.P":   "*p.P",                   // pointer: package name only
		"*/p.Doc": "custom.name",
	}, names)
}

func TestMarked(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []Codec
		ok   bool
	}{
		{"//upshift:wire", []Codec{JSON, Gob}, true},
		{"//upshift:wire gob", []Codec{Gob}, true},
		{"//upshift:wire json gob", []Codec{JSON, Gob}, true},
		{"//upshift:wired", nil, false},
		{"// upshift:wire", nil, false},
	} {
		got, ok := marked(commentGroup(tc.text))
		assert.Equal(t, tc.ok, ok, tc.text)
		assert.Equal(t, tc.want, got, tc.text)
	}
}

func TestHolds(t *testing.T) {
	i := func(k Kind, bits int) *Schema { return &Schema{Kind: k, Bits: bits} }
	assert.True(t, holds(i(KindInt, 64), i(KindInt, 32)))
	assert.False(t, holds(i(KindInt, 32), i(KindInt, 64)))
	assert.False(t, holds(i(KindInt, 64), i(KindUint, 64)))
	assert.True(t, holds(i(KindInt, 64), i(KindUint, 32)))
	assert.False(t, holds(i(KindUint, 64), i(KindInt, 8)))
	assert.True(t, holds(i(KindFloat, 64), i(KindInt, 32)))
	assert.False(t, holds(i(KindFloat, 64), i(KindInt, 64)))
	assert.False(t, holds(i(KindFloat, 32), i(KindFloat, 64)))
}

func commentGroup(text string) *ast.CommentGroup {
	return &ast.CommentGroup{List: []*ast.Comment{{Text: text}}}
}

// The generated round-trip program is part of the output contract: it
// must compile against old Go versions (no generics, no any, ioutil).
func TestProgramSource(t *testing.T) {
	m := loadSchemaModule(t)
	roots, _ := findRoots(m)
	src, err := programSource(m, roots)
	require.NoError(t, err)
	const golden = "testdata/roundtrip_main.golden"
	if *update {
		require.NoError(t, os.WriteFile(golden, src, 0o644))
		return
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(src))
}
