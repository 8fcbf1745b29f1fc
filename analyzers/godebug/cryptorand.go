package godebug

import (
	"fmt"
	"go/ast"
	"go/types"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// cryptoRand finds two crypto changes visible at the call:
//
//   - cryptocustomrand (go1.26): key generation, RSA PKCS #1 v1.5
//     encryption and ECDSA/DSA signing ignore the io.Reader they are given
//     and use a secure source. Reported when the reader has a concrete
//     (non-interface) type, such as a seeded *math/rand.Rand or a
//     bytes.Reader: code that passes one expects reproducible output.
//     Interface-typed readers (crypto/rand.Reader, an io.Reader parameter)
//     are not reported.
//   - rsa1024min (go1.24): rsa.GenerateKey with a constant size below 1024
//     bits returns an error.
func cryptoRand(pass *analysis.Pass, insp *inspector.Inspector) []finding {
	info := pass.TypesInfo
	var out []finding
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := kit.Callee(info, call)
		if fn == nil {
			continue
		}
		randArg := -1
		switch {
		case kit.IsPkgFunc(fn, "crypto/rsa", "GenerateKey", "GenerateMultiPrimeKey", "EncryptPKCS1v15"),
			kit.IsPkgFunc(fn, "crypto/rand", "Prime"),
			kit.IsPkgFunc(fn, "crypto/dsa", "Sign"),
			kit.IsPkgFunc(fn, "crypto/ecdsa", "Sign", "SignASN1"),
			kit.IsMethod(fn, "crypto/ecdsa", "PrivateKey", "Sign"),
			kit.IsMethod(fn, "crypto/ecdh", "Curve", "GenerateKey"):
			randArg = 0
		case kit.IsPkgFunc(fn, "crypto/ecdsa", "GenerateKey"):
			randArg = 1
		}
		if randArg >= 0 && randArg < len(call.Args) {
			if t := concreteReader(info, call.Args[randArg]); t != nil {
				out = append(out, finding{
					setting: "cryptocustomrand",
					node:    call.Args[randArg],
					related: call,
					relMsg:  "call that ignores the reader",
					what: fmt.Sprintf("%s.%s ignores this %s reader from go1.26 and always uses a secure random source, so its output is no longer reproducible from the reader",
						fn.Pkg().Name(), fn.Name(), types.TypeString(t, types.RelativeTo(pass.Pkg))),
					fix: "in tests, use testing/cryptotest.SetGlobalRandom",
				})
			}
		}
		var bitsArg int
		switch {
		case kit.IsPkgFunc(fn, "crypto/rsa", "GenerateKey"):
			bitsArg = 1
		case kit.IsPkgFunc(fn, "crypto/rsa", "GenerateMultiPrimeKey"):
			bitsArg = 2
		default:
			continue
		}
		if bitsArg < len(call.Args) {
			if bits, ok := intConst(info, call.Args[bitsArg]); ok && bits < 1024 {
				out = append(out, finding{
					setting: "rsa1024min",
					node:    call.Args[bitsArg],
					what:    fmt.Sprintf("rsa.%s with %d bits returns an error from go1.24, which rejects RSA keys smaller than 1024 bits", fn.Name(), bits),
					fix:     "use at least 2048 bits (tests: testing/cryptotest or a fixed test key)",
				})
			}
		}
	}
	return out
}

// concreteReader returns the type of the reader expression e, looking
// through conversions to an interface, if it is concrete: not an interface
// and not nil.
func concreteReader(info *types.Info, e ast.Expr) types.Type {
	e = ast.Unparen(e)
	for {
		call, ok := e.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			break
		}
		tv, ok := info.Types[call.Fun]
		if !ok || !tv.IsType() {
			break
		}
		e = ast.Unparen(call.Args[0])
	}
	tv, ok := info.Types[e]
	if !ok || tv.Type == nil || tv.IsNil() || types.IsInterface(tv.Type) {
		return nil
	}
	return tv.Type
}
