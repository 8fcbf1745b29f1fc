package godebug

import (
	"fmt"
	"go/ast"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// urlColons finds constant http and https URLs whose host has more than one
// unbracketed colon and a valid port after the last one, such as
// "http://fe80::1/" or "http://a:b:8080/". Before go1.26 url.Parse split the
// host at the last colon and accepted them; with urlstrictcolons=1 it
// returns an error (and httptest.NewRequest panics). Other schemes keep the
// lax parsing (database URLs list host:port pairs) and are not reported.
func urlColons(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	info := pass.TypesInfo
	var out []finding
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := kit.Callee(info, call)
		idx := -1
		switch {
		case kit.IsPkgFunc(fn, "net/url", "Parse", "ParseRequestURI"),
			kit.IsPkgFunc(fn, "net/http", "Get", "Head", "Post", "PostForm"),
			kit.IsMethod(fn, "net/http", "Client", "Get", "Head", "Post", "PostForm"):
			idx = 0
		case kit.IsPkgFunc(fn, "net/http", "NewRequest"),
			kit.IsPkgFunc(fn, "net/http/httptest", "NewRequest"):
			idx = 1
		case kit.IsPkgFunc(fn, "net/http", "NewRequestWithContext"),
			kit.IsPkgFunc(fn, "net/http/httptest", "NewRequestWithContext"):
			idx = 2
		}
		if idx < 0 || idx >= len(call.Args) {
			continue
		}
		raw, ok := stringConst(info, call.Args[idx])
		if !ok {
			continue
		}
		host, ok := laxColonHost(raw)
		if !ok {
			continue
		}
		out = append(out, finding{
			setting: "urlstrictcolons",
			node:    call.Args[idx],
			what: fmt.Sprintf("%s(%q) fails from go1.26: the host %q has more than one unbracketed colon, which url.Parse now rejects for http and https URLs",
				fn.Name(), raw, host),
			fix: "put IPv6 addresses in brackets, e.g. http://[::1]:8080/",
		})
	}
	return out
}

// laxColonHost returns the host of an http(s) URL that the go1.25 parser
// accepts and the go1.26 one rejects.
func laxColonHost(raw string) (string, bool) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "", false
	}
	if s := strings.ToLower(scheme); s != "http" && s != "https" {
		return "", false
	}
	authority := rest
	if i := strings.IndexAny(authority, "/?#"); i >= 0 {
		authority = authority[:i]
	}
	host := authority
	if i := strings.LastIndex(host, "@"); i >= 0 {
		host = host[i+1:]
	}
	if strings.HasPrefix(host, "[") || strings.Count(host, ":") < 2 {
		return "", false
	}
	// The old parser took the text after the last colon as the port; it
	// accepted the URL only if that is empty or all digits.
	port := host[strings.LastIndex(host, ":")+1:]
	for _, r := range port {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return host, true
}
