package sarif

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	rules := []Rule{
		{ID: "UP1001", Name: "maporder", ShortDescription: "map order", HelpURI: "https://x/maporder", Level: "warning"},
		{ID: "UP1002", Name: "bytestring", ShortDescription: "bytes vs text", Level: "error"},
	}
	results := []Result{{
		RuleID: "UP1002", Level: "error", Message: "always false",
		Locations: []Location{{File: "svc/config.go", Line: 12, Column: 5}},
		Related:   []Location{{File: "svc/load.go", Line: 3, Column: 2, Message: "[]byte comes from here"}},
	}}
	require.NoError(t, Write(&buf, "upshift", "v0.1.0", "https://x", rules, results))

	var got map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got))
	assert.Equal(t, "2.1.0", got["version"])
	run := got["runs"].([]any)[0].(map[string]any)
	res := run["results"].([]any)[0].(map[string]any)
	assert.Equal(t, float64(1), res["ruleIndex"])
	loc := res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
	assert.Equal(t, "svc/config.go", loc["artifactLocation"].(map[string]any)["uri"])
	assert.Equal(t, float64(12), loc["region"].(map[string]any)["startLine"])
	rel := res["relatedLocations"].([]any)[0].(map[string]any)
	assert.Equal(t, float64(1), rel["id"])

	err := Write(&buf, "upshift", "", "", rules, []Result{{RuleID: "nope"}})
	assert.ErrorContains(t, err, `unknown rule "nope"`)
}

func TestURI(t *testing.T) {
	assert.Equal(t, "a/b%20c.go", URI("a/b c.go"))
	assert.Equal(t, "x%25.go", URI("x%.go"))
}
