package meta

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `// Package x defines an Analyzer that does x.
//
// # Analyzer x
//
// x: report things that are x
//
// Long text
// on two lines.
//
// # Other section
//
// not included
package x
`

func TestExtractDoc(t *testing.T) {
	doc, err := ExtractDoc(sample, "x")
	require.NoError(t, err)
	assert.Equal(t, "report things that are x\n\nLong text\non two lines.", doc)
	assert.Equal(t, "report things that are x", Title(doc))
}

func TestExtractDocErrors(t *testing.T) {
	_, err := ExtractDoc(sample, "y")
	assert.ErrorContains(t, err, `no "# Analyzer y" section`)
	_, err = ExtractDoc("// # Analyzer x\n//\n// wrong: text\npackage x\n", "x")
	assert.ErrorContains(t, err, `must start with "x: "`)
	assert.Panics(t, func() { MustExtractDoc(sample, "y") })
}
