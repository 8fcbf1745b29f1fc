package deps

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTableIsValid(t *testing.T) {
	table := Table()
	require.NoError(t, Validate(table))
	// The required entries, each with hazards.
	for _, move := range [][2]string{
		{"gopkg.in/yaml.v2", "gopkg.in/yaml.v3"},
		{"github.com/pkg/errors", "errors"},
		{"github.com/golang/protobuf", "google.golang.org/protobuf"},
		{"github.com/dgrijalva/jwt-go", "github.com/golang-jwt/jwt/v5"},
		{"github.com/satori/go.uuid", "github.com/google/uuid"},
	} {
		m := Find(move[0], move[1])
		require.NotNil(t, m, "%s -> %s", move[0], move[1])
		assert.NotEmpty(t, m.Hazards, m.ID)
	}
}

func TestValidateRejectsUnsourcedFacts(t *testing.T) {
	bad := []Migration{{
		ID: "x", From: "a.example/m", To: "b.example/m", Summary: "s",
		Hazards: []Hazard{
			{Rule: "DEP900", Name: "n", Package: "a.example/m", Symbols: []string{"F"}, Message: "m", Replacement: "r", Source: "not a url"},
			{Rule: "DEP900", Name: "n", Assert: []string{"chan int"}, Message: "m", Replacement: "r", Source: "https://example.com"},
		},
		Renames: map[string]Rename{"F": {Kind: "teleport"}},
	}}
	err := Validate(bad)
	require.Error(t, err)
	for _, want := range []string{"x: no source", `source "not a url"`, "must be a unique DEPnnn", `unsupported assert type "chan int"`, `unknown kind "teleport"`} {
		assert.True(t, strings.Contains(err.Error(), want), "missing %q in %v", want, err)
	}
}

func TestMapPackage(t *testing.T) {
	m := Find("github.com/golang/protobuf", "google.golang.org/protobuf")
	require.NotNil(t, m)
	assert.Equal(t, "google.golang.org/protobuf/encoding/protojson", m.NewPackage("github.com/golang/protobuf/jsonpb"))
	assert.Equal(t, "google.golang.org/protobuf/ptypes", m.NewPackage("github.com/golang/protobuf/ptypes"))
	e := Find("github.com/pkg/errors", "errors")
	assert.Equal(t, "errors", e.NewPackage("github.com/pkg/errors"))
	assert.True(t, IsStd("errors"))
	assert.False(t, IsStd("gopkg.in/yaml.v3"))
}
