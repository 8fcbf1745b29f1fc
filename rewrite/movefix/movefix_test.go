package movefix

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/upshift-dev/upshift/compat/deps"
)

func errorsTarget() *deps.Target {
	return &deps.Target{OldPath: "github.com/pkg/errors", OldVersion: "v0.9.1", NewPath: "errors",
		Migration: deps.Find("github.com/pkg/errors", "errors")}
}

// TestMoveErrors: a moved file (aliased import kept, non-literal messages
// through %s and Sprintf, % escaped, an unguarded wrap in a return turned
// into an if), and a file the move leaves alone with each reason.
func TestMoveErrors(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), New(errorsTarget()), "a")
	analysistest.Run(t, analysistest.TestData(), New(errorsTarget()), "b")
}

func TestDefaultName(t *testing.T) {
	for path, want := range map[string]string{
		"gopkg.in/yaml.v3":                 "yaml",
		"github.com/golang-jwt/jwt/v5":     "jwt",
		"github.com/google/uuid":           "uuid",
		"errors":                           "errors",
		"google.golang.org/protobuf/proto": "proto",
	} {
		assert.Equal(t, want, defaultName(path), path)
	}
}
