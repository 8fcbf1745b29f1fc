package godebug

import (
	"fmt"
	"go/ast"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// muxPatterns finds ServeMux registrations whose constant pattern means
// something else to the go1.22 mux than to the go1.21 one (httpmuxgo121):
// a method prefix or other whitespace, {wildcards} or {$}, and %-escapes.
// The old mux takes such patterns literally (a method prefix even makes the
// pattern match no request at all). Plain paths mean the same to both and
// are not reported; neither are patterns computed at run time.
func muxPatterns(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	info := pass.TypesInfo
	var out []finding
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := kit.Callee(info, call)
		if !kit.IsPkgFunc(fn, "net/http", "Handle", "HandleFunc") && !kit.IsMethod(fn, "net/http", "ServeMux", "Handle", "HandleFunc") {
			continue
		}
		if len(call.Args) == 0 {
			continue
		}
		pattern, ok := stringConst(info, call.Args[0])
		if !ok {
			continue
		}
		features := muxFeatures(pattern)
		if features == "" {
			continue
		}
		out = append(out, finding{
			setting: "httpmuxgo121",
			node:    call.Args[0],
			what: fmt.Sprintf("ServeMux pattern %q has %s: the mux before go1.22 matches it as literal text, the go1.22 mux as a route with new syntax",
				pattern, features),
			fix: "check the route under the go1.22 pattern rules (net/http ServeMux docs)",
		})
	}
	return out
}

// muxFeatures describes the parts of pattern whose meaning changed in go1.22,
// or returns "" for a pattern both muxes read the same way.
func muxFeatures(pattern string) string {
	var fs []string
	if i := strings.IndexAny(pattern, " \t"); i >= 0 {
		if i > 0 && isToken(pattern[:i]) {
			fs = append(fs, "a method prefix")
		} else {
			fs = append(fs, "whitespace")
		}
	}
	if strings.Contains(pattern, "{$}") {
		fs = append(fs, "an end anchor {$}")
	}
	if strings.ContainsAny(strings.ReplaceAll(pattern, "{$}", ""), "{}") {
		fs = append(fs, "{wildcards}")
	}
	if strings.Contains(pattern, "%") {
		fs = append(fs, "%-escapes")
	}
	switch len(fs) {
	case 0:
		return ""
	case 1:
		return fs[0]
	}
	return strings.Join(fs[:len(fs)-1], ", ") + " and " + fs[len(fs)-1]
}

// isToken reports whether s could be an HTTP method.
func isToken(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-' || r == '_') {
			return false
		}
	}
	return s != ""
}
