package maporder

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/upshift-dev/upshift/analyzers/kit"
)

// severity ranks a finding by what the map order reaches: a digest or a
// response that changes between runs is worse than a log line in another
// order.
type severity int

// The severities, lowest first.
// sevNone is the zero value, so that a summary not computed yet reads as
// "no sink" and grows from there (kit.Summaries' fixpoint).
const (
	sevNone   severity = iota // no sink at all: the order is never seen
	sevLow                    // logs, test failure messages
	sevMedium                 // stored state, values handed on, built strings
	sevHigh                   // encoded, hashed, compared, Error() text, API results, responses, files
)

// FlagMin is the analyzer flag (-maporder.min) that sets the lowest
// severity reported.
const FlagMin = "min"

// The severity names: the values of -maporder.min and of the diagnostics'
// Category.
const (
	SeverityHigh   = "high"
	SeverityMedium = "medium"
	SeverityLow    = "low"
)

func (s severity) String() string {
	switch s {
	case sevHigh:
		return SeverityHigh
	case sevMedium:
		return SeverityMedium
	case sevLow:
		return SeverityLow
	}
	return "none"
}

// parseSeverity reads a severity name.
func parseSeverity(s string) (severity, error) {
	switch s {
	case SeverityHigh:
		return sevHigh, nil
	case SeverityMedium:
		return sevMedium, nil
	case SeverityLow:
		return sevLow, nil
	}
	return sevNone, fmt.Errorf("unknown severity %q: use high, medium or low", s)
}

// minFlag is the value of -maporder.min. It lives in the analyzer's
// FlagSet (read back in run), so the package keeps no state of its own,
// and a bad value fails when the flag is parsed, in every host.
type minFlag struct{ sev severity }

func (f *minFlag) String() string { return f.sev.String() }

func (f *minFlag) Set(s string) error {
	sev, err := parseSeverity(s)
	if err != nil {
		return err
	}
	f.sev = sev
	return nil
}

// minSeverity returns the -maporder.min of the pass's analyzer.
func minSeverity(pass *analysis.Pass) (severity, error) {
	fl := pass.Analyzer.Flags.Lookup(FlagMin)
	if fl == nil {
		return sevMedium, nil
	}
	sev, err := parseSeverity(fl.Value.String())
	if err != nil {
		return sevNone, fmt.Errorf("-maporder.%s: %w", FlagMin, err)
	}
	return sev, nil
}

// rank gives a hit its severity from its sink and from where the sink is:
// what the function is (an Error method, an encoder, exported API) and
// whether it is test code.
func (c *checker) rank(h hit) severity {
	cur, ok := c.inspect.Root().FindByPos(h.sink.Pos(), h.sink.End())
	if !ok {
		return sevMedium
	}
	fd := enclosingDecl(cur)
	test := strings.HasSuffix(c.pass.Fset.File(h.sink.Pos()).Name(), "_test.go") || testSupport(c.pass.Pkg)
	if h.kind == sinkCompare {
		// Comparing a map-order slice fails on some runs: a flaky test
		// is as real in a test file as anywhere.
		return sevHigh
	}
	if test {
		return sevLow // test output, failure messages
	}
	if fd != nil && h.kind != sinkPrint {
		switch {
		case isErrorMethod(c.info, fd), isEncoderMethod(fd):
			return sevHigh // Error() text, MarshalJSON/MarshalXML/WriteTo/ServeHTTP output
		}
	}
	switch h.kind {
	case sinkEncode, sinkHash:
		return sevHigh
	case sinkReturn:
		if _, lit := innermostFuncNode(cur).(*ast.FuncLit); lit {
			return sevMedium // a closure's result: who calls it is not known here
		}
		if fd != nil && exportedAPI(fd) && c.pass.Pkg.Name() != "main" {
			return sevHigh
		}
		if fd != nil {
			if fn, ok := c.info.Defs[fd.Name].(*types.Func); ok {
				return c.resultSeverity(fn)
			}
		}
		return sevMedium
	case sinkWriter:
		if inMemory(h.dest) {
			return sevMedium // a string being built: where it goes decides
		}
		return sevHigh // files, responses, connections, unknown writers
	case sinkPrint:
		if strings.HasPrefix(h.via, "fmt.") {
			return sevMedium // program output: a CLI's listing, --help
		}
		return sevLow // logs
	case sinkCall:
		if h.callee != nil {
			if isLogger(h.callee) {
				return sevLow
			}
			switch kit.FuncKey(h.callee) {
			case "fmt.Errorf", "errors.New":
				return sevHigh // error text
			}
		}
		return sevMedium
	case sinkJoin:
		if cur.ParentEdgeKind() == edge.CallExpr_Args {
			if fn, ok := typeutil.Callee(c.info, cur.Parent().Node().(*ast.CallExpr)).(*types.Func); ok {
				switch kit.FuncKey(fn) {
				case "fmt.Errorf", "errors.New":
					return sevHigh // errors.New(strings.Join(names, ", ")): error text
				}
			}
		}
	}
	return sevMedium // store, join, concat
}

// enclosingDecl returns the function declaration around cur, or nil.
func enclosingDecl(cur inspector.Cursor) *ast.FuncDecl {
	for fd := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		return fd.Node().(*ast.FuncDecl)
	}
	return nil
}

// innermostFuncNode returns the innermost function declaration or literal
// around cur.
func innermostFuncNode(cur inspector.Cursor) ast.Node {
	if fn, _, _, ok := kit.EnclosingFunc(cur); ok {
		return fn.Node()
	}
	return nil
}

// exportedAPI reports whether fd is part of its package's API: an exported
// function, or an exported method (callable through an interface even on
// an unexported type).
func exportedAPI(fd *ast.FuncDecl) bool {
	return token.IsExported(fd.Name.Name) && fd.Name.Name != "main"
}

// isErrorMethod reports whether fd is an Error() string method.
func isErrorMethod(info *types.Info, fd *ast.FuncDecl) bool {
	if fd.Recv == nil || fd.Name.Name != "Error" {
		return false
	}
	fn, ok := info.Defs[fd.Name].(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Signature()
	return sig.Params().Len() == 0 && sig.Results().Len() == 1 && types.Identical(sig.Results().At(0).Type(), types.Typ[types.String])
}

// isEncoderMethod reports whether fd is a method that produces its type's
// encoded form or a response: MarshalJSON, MarshalText, MarshalXML,
// MarshalYAML, MarshalBinary, EncodeMsgpack, WriteTo, ServeHTTP...
func isEncoderMethod(fd *ast.FuncDecl) bool {
	if fd.Recv == nil {
		return false
	}
	name := fd.Name.Name
	return strings.HasPrefix(name, "Marshal") || strings.HasPrefix(name, "Encode") ||
		name == "WriteTo" || name == "ServeHTTP" || name == "AppendText" || name == "AppendBinary"
}

// inMemory reports whether t is a strings.Builder or bytes.Buffer: text
// built in memory, whose consequence is where it goes next.
func inMemory(t types.Type) bool {
	return kit.IsNamedOrPtr(t, "strings", "Builder") || kit.IsNamedOrPtr(t, "bytes", "Buffer")
}

// isLogger reports whether fn is a logging call of a logging library
// (hclog, logrus, zap, zerolog, klog, glog, slog...): a function of a
// package whose name says log, or a method of a type named like a logger.
func isLogger(fn *types.Func) bool {
	path := kit.PkgPath(fn)
	last := strings.ToLower(path[strings.LastIndex(path, "/")+1:])
	if strings.Contains(last, "log") || last == "zap" {
		return true
	}
	recv := strings.ToLower(kit.RecvName(fn))
	return strings.Contains(recv, "logger") || recv == "log" || recv == "entry" && strings.Contains(path, "logrus")
}

// cold reports whether the code at n is seen to run rarely, so that a sort
// there costs nothing worth naming: test code, init and main, an Error
// method, or the body of an if that tests an error (the failure path).
func (c *checker) cold(n ast.Node) bool {
	if strings.HasSuffix(c.pass.Fset.File(n.Pos()).Name(), "_test.go") {
		return true
	}
	cur, ok := c.inspect.Root().FindByPos(n.Pos(), n.End())
	if !ok {
		return false
	}
	if fd := enclosingDecl(cur); fd != nil {
		switch fd.Name.Name {
		case "init", "main", "TestMain":
			return fd.Recv == nil
		}
		if isErrorMethod(c.info, fd) {
			return true
		}
	}
	for p := cur; ; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.FuncDecl, *ast.File, nil:
			return false
		case *ast.IfStmt:
			if p.ParentEdgeKind() != 0 && c.testsError(n.Cond) && n.Body.Pos() <= cur.Node().Pos() && cur.Node().End() <= n.Body.End() {
				return true
			}
		}
	}
}

// testsError reports whether cond compares an error with nil (err != nil).
func (c *checker) testsError(cond ast.Expr) bool {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || be.Op != token.NEQ {
		return false
	}
	errType := types.Universe.Lookup("error").Type()
	for _, side := range []ast.Expr{be.X, be.Y} {
		if t := c.info.TypeOf(side); t != nil && types.Identical(t, errType) {
			return true
		}
	}
	return false
}

// testSupport reports whether pkg exists to support tests: a package
// named like hcltest or httptest, or under a testutil(s) directory. What
// it builds ends up in test failure messages and fixtures.
func testSupport(pkg *types.Package) bool {
	if strings.HasSuffix(pkg.Name(), "test") || strings.HasSuffix(pkg.Name(), "testing") {
		return true
	}
	for _, elem := range strings.Split(pkg.Path(), "/") {
		switch elem {
		case "testutil", "testutils", "testhelpers", "testing":
			return true
		}
	}
	return false
}
