package replay

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for a terminal: a summary line, the
// differences with their first base and head values, then the noise.
func (r *Report) WriteText(w io.Writer) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "replayed %d requests (%d endpoints) to base %s twice and head %s once: %s, %s\n",
		r.Requests, len(r.Endpoints), r.Base, r.Head, plural(len(r.Differences), "difference"), plural(len(r.Noise), "noisy place"))
	if len(r.Differences) == 0 {
		fmt.Fprintf(b, "head answered every request as base did (status, headers but %s, bodies)\n", strings.Join(r.IgnoredHeaders, ", "))
	} else {
		fmt.Fprintf(b, "\nDifferences (head answers differently where the two base copies agree):\n")
		tw := tabwriter.NewWriter(b, 0, 4, 2, ' ', 0)
		for _, d := range r.Differences {
			fmt.Fprintf(tw, "  %s\t%s\t%s\tin %d of %d requests\n", d.Endpoint, d.Path, d.Kind, d.Count, d.Of)
			fmt.Fprintf(tw, "  \tbase: %s\n  \thead: %s\n  \te.g. %s\n", d.Base, d.Head, d.Example)
			if d.Hint != "" {
				fmt.Fprintf(tw, "  \thint: %s\n", d.Hint)
			}
		}
		tw.Flush()
	}
	if len(r.Noise) > 0 {
		fmt.Fprintf(b, "\nNoise (the two base copies disagree: ignored there):\n")
		tw := tabwriter.NewWriter(b, 0, 4, 2, ' ', 0)
		for _, n := range r.Noise {
			fmt.Fprintf(tw, "  %s\t%s\t%s\tin %d of %d requests\t(%s vs %s)\n", n.Endpoint, n.Path, n.Kind, n.Count, n.Of, n.Base1, n.Base2)
		}
		tw.Flush()
	}
	for _, n := range r.Notes {
		fmt.Fprintf(b, "note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

var page = template.Must(template.New("replay").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>upshift replay: {{.Base}} vs {{.Head}}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}code{white-space:pre-wrap}.hint{color:#555}</style>
</head><body>
<h1>upshift replay</h1>
<p>{{.Requests}} requests to base <code>{{.Base}}</code> (twice) and head <code>{{.Head}}</code> (once).</p>
<h2>Differences ({{len .Differences}})</h2>
{{if .Differences}}<table><tr><th>endpoint</th><th>path</th><th>kind</th><th>base</th><th>head</th><th>requests</th><th>example</th></tr>
{{range .Differences}}<tr><td>{{.Endpoint}}</td><td><code>{{.Path}}</code></td><td>{{.Kind}}</td><td><code>{{.Base}}</code></td><td><code>{{.Head}}</code></td><td>{{.Count}} of {{.Of}}</td><td><code>{{.Example}}</code>{{if .Hint}}<div class="hint">{{.Hint}}</div>{{end}}</td></tr>
{{end}}</table>{{else}}<p>None: head answered every request as base did.</p>{{end}}
<h2>Noise ({{len .Noise}}): the two base copies disagree, ignored there</h2>
{{if .Noise}}<table><tr><th>endpoint</th><th>path</th><th>kind</th><th>requests</th><th>base 1</th><th>base 2</th></tr>
{{range .Noise}}<tr><td>{{.Endpoint}}</td><td><code>{{.Path}}</code></td><td>{{.Kind}}</td><td>{{.Count}} of {{.Of}}</td><td><code>{{.Base1}}</code></td><td><code>{{.Base2}}</code></td></tr>
{{end}}</table>{{else}}<p>None.</p>{{end}}
<p>Response headers not compared: {{.Ignored}}.</p>
{{range .Notes}}<p>Note: {{.}}</p>{{end}}
</body></html>
`))

// WriteHTML writes the report as a standalone HTML page.
func (r *Report) WriteHTML(w io.Writer) error {
	return page.Execute(w, struct {
		*Report
		Ignored string
	}{r, strings.Join(slices.Sorted(slices.Values(r.IgnoredHeaders)), ", ")})
}
