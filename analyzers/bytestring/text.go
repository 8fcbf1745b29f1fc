package bytestring

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/types/typeutil"
)

// textSource reports whether the byte slice e plausibly holds text: it
// comes from a conversion of a string, from a producer of text (a file or
// body read whole, command output, a JSON or YAML encoder, a line scanner,
// a bytes function that only makes sense on text), or its name says so.
// Printing a byte slice of unknown content with %v is left alone: binary
// payloads are often printed as numbers on purpose.
func (f *flow) textSource(e ast.Expr, depth int) bool {
	e = ast.Unparen(e)
	if t := f.info.TypeOf(e); t != nil && kit.IsNamed(t, "encoding/json", "RawMessage") {
		return true
	}
	if depth > 4 {
		return false
	}
	switch e := e.(type) {
	case *ast.CallExpr:
		if isConversion(f.info, e) {
			if len(e.Args) != 1 {
				return false
			}
			if isPlainString(f.info.TypeOf(e.Args[0])) {
				return true
			}
			return f.textSource(e.Args[0], depth+1)
		}
		fn := typeutil.StaticCallee(f.info, e)
		return fn != nil && (textProducer(fn) || f.textResult(fn))
	case *ast.Ident:
		if v, ok := f.info.Uses[e].(*types.Var); ok {
			if def, ok := f.byteDefs[v]; ok && f.byteAssigns[v] == 1 && f.textSource(def, depth+1) {
				return true
			}
		}
		return textName(e.Name)
	case *ast.SelectorExpr:
		return textName(e.Sel.Name)
	case *ast.SliceExpr:
		return f.textSource(e.X, depth+1)
	case *ast.IndexExpr:
		if isByteSlices(f.info.TypeOf(e.X)) {
			return f.textSource(e.X, depth+1)
		}
	}
	return false
}

// textProducers are functions whose []byte result is text.
var textProducers = map[string]bool{
	"os.ReadFile": true, "io/ioutil.ReadFile": true, "io.ReadAll": true, "io/ioutil.ReadAll": true,
	"os/exec.Cmd.Output": true, "os/exec.Cmd.CombinedOutput": true,
	"encoding/json.Marshal": true, "encoding/json.MarshalIndent": true,
	"encoding/xml.Marshal": true, "encoding/xml.MarshalIndent": true,
	"net/http/httputil.DumpRequest": true, "net/http/httputil.DumpRequestOut": true,
	"net/http/httputil.DumpResponse": true,
	"bufio.Scanner.Bytes":            true, "bufio.Reader.ReadLine": true, "bufio.Reader.ReadBytes": true,
	"bufio.Reader.ReadSlice": true,
	"fmt.Append":             true, "fmt.Appendf": true, "fmt.Appendln": true,
	"bytes.TrimSpace": true, "bytes.Trim": true, "bytes.TrimLeft": true, "bytes.TrimRight": true,
	"bytes.TrimPrefix": true, "bytes.TrimSuffix": true, "bytes.TrimFunc": true,
	"bytes.ToLower": true, "bytes.ToUpper": true, "bytes.ToTitle": true, "bytes.Title": true,
	"bytes.Replace": true, "bytes.ReplaceAll": true, "bytes.Fields": true, "bytes.Split": true,
	"bytes.SplitN": true, "bytes.Cut": true, "bytes.CutPrefix": true, "bytes.CutSuffix": true,
}

func textProducer(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	key := kit.FuncKey(fn)
	if textProducers[key] {
		return true
	}
	path := fn.Pkg().Path()
	if strings.HasPrefix(path, "strconv") && strings.HasPrefix(fn.Name(), "Append") {
		return true
	}
	// Text encoders: yaml.Marshal, protojson.Marshal, (T).MarshalJSON,
	// MarshalText, MarshalYAML.
	name := fn.Name()
	if strings.HasPrefix(name, "Marshal") {
		if strings.HasPrefix(name, "MarshalJSON") || strings.HasPrefix(name, "MarshalText") || strings.HasPrefix(name, "MarshalYAML") {
			return true
		}
		for _, format := range []string{"json", "yaml", "toml", "xml"} {
			if strings.Contains(path, format) {
				return true
			}
		}
	}
	return textName(name)
}

// textNames are identifier words that mark a byte slice as text.
var textNames = map[string]bool{
	"body": true, "output": true, "stdout": true, "stderr": true, "text": true,
	"txt": true, "line": true, "lines": true, "content": true, "contents": true, "html": true,
	"json": true, "yaml": true, "yml": true, "xml": true, "csv": true, "toml": true,
	"url": true, "query": true, "script": true, "template": true, "tmpl": true, "markdown": true,
	"errmsg": true, "reason": true, "description": true, "title": true, "word": true, "words": true,
	"label": true, "comment": true, "sql": true,
}

// textName reports whether a name says "text" and nothing says "binary".
func textName(name string) bool {
	if binaryWords(name) {
		return false
	}
	for _, w := range splitWords(name) {
		if textNames[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

// textResult reports whether every []byte result of fn holds text, by its
// summary (a helper of the package, or an imported one's fact).
func (f *flow) textResult(fn *types.Func) bool {
	s := f.summaryOf(fn)
	if s == nil || len(s.textResults) == 0 {
		return false
	}
	res := fn.Signature().Results()
	n := 0
	for i := 0; i < res.Len(); i++ {
		if kit.IsByteSlice(res.At(i).Type()) {
			n++
		}
	}
	return n == len(s.textResults)
}
