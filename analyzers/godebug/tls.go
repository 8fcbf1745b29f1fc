package godebug

import (
	"go/ast"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// tlsVersions finds tls.Config literals that cap MaxVersion at TLS 1.1 or
// below without setting MinVersion. With tls10server=0 (from go1.22) an
// unset MinVersion means TLS 1.2 for servers too, so such a server config
// accepts no protocol version at all and every handshake fails.
//
// Explicit MinVersion values and explicit CipherSuites or CurvePreferences
// lists are honoured whatever the GODEBUG defaults say, so configs that set
// them are not affected by tls10server, tlsrsakex, tls3des or tlsmlkem and
// are not reported.
func tlsVersions(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	info := pass.TypesInfo
	var out []finding
	for cur := range insp.Root().Preorder((*ast.CompositeLit)(nil)) {
		lit := cur.Node().(*ast.CompositeLit)
		t := info.TypeOf(lit)
		if t == nil || !kit.IsNamedOrPtr(t, "crypto/tls", "Config") {
			continue
		}
		if _, isPtr := types.Unalias(t).(*types.Pointer); isPtr {
			continue
		}
		var maxKV *ast.KeyValueExpr
		minSet := false
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, ok := kv.Key.(*ast.Ident)
			if !ok {
				continue
			}
			switch key.Name {
			case "MaxVersion":
				maxKV = kv
			case "MinVersion":
				if v, ok := intConst(info, kv.Value); !ok || v != 0 {
					minSet = true
				}
			}
		}
		if maxKV == nil || minSet {
			continue
		}
		v, ok := intConst(info, maxKV.Value)
		if !ok || v == 0 || v > 0x0302 { // tls.VersionTLS11
			continue
		}
		out = append(out, finding{
			setting: "tls10server",
			node:    maxKV,
			what:    "this tls.Config caps MaxVersion below TLS 1.2 and leaves MinVersion unset: from go1.22 the default minimum is TLS 1.2 for servers too, so a server using it accepts no TLS version and every handshake fails",
			fix:     "set MinVersion explicitly (tls.VersionTLS10)",
		})
	}
	return out
}
