package deps

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/modfile"
)

func TestPlan(t *testing.T) {
	gomod := `module example.com/m

go 1.22

require (
	github.com/golang/protobuf v1.5.4 // indirect
	github.com/pkg/errors v0.9.1
	golang.org/x/text v0.14.0
	gopkg.in/yaml.v2 v2.4.0
)
`
	f, err := modfile.Parse("go.mod", []byte(gomod), nil)
	require.NoError(t, err)
	moves := Plan(&ModuleFile{Path: "go.mod", File: f})
	var got []string
	for _, m := range moves {
		got = append(got, m.Migration.ID+"@"+m.Version)
	}
	assert.Equal(t, []string{"pkg-errors-std@v0.9.1", "yaml-v2-v3@v2.4.0", "golang-protobuf-apiv2@v1.5.4"}, got)
	assert.True(t, moves[2].Indirect)
}
