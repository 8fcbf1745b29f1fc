package bytestring

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"unicode"

	"github.com/upshift-dev/upshift/analyzers/kit"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// kind is the sub-rule behind a finding.
type kind int

const (
	kindCompare      kind = iota // iface holding []byte == "text"
	kindAssert                   // iface holding []byte .(string)
	kindSwitch                   // switch v { case "text": }
	kindTypeSwitch               // switch v.(type) { case string: } on []byte
	kindScanString               // Scan(src any) handles string but not []byte
	kindScanBytes                // Scan(src any) handles []byte but not string
	kindDeepEqual                // reflect.DeepEqual([]byte, string)
	kindFormatVerb               // Printf("%v", []byte)
	kindFormatPrint              // Sprint([]byte)
	kindFormatHelper             // helper(text) where another package's helper prints it with %v
)

// category is the stable sub-rule name shown with each diagnostic.
func (k kind) category() string {
	switch k {
	case kindCompare, kindAssert:
		return "compare"
	case kindSwitch, kindTypeSwitch:
		return "switch"
	case kindScanString, kindScanBytes:
		return "scan-hook"
	case kindDeepEqual:
		return "deepequal"
	}
	return "format"
}

// finding is one detected hazard, with the nodes a rewrite needs: the
// []byte operand to convert, and the text side or the missing case.
type finding struct {
	kind kind
	// node is where the hazard is reported: the comparison, switch,
	// assertion, case, or call.
	node ast.Node
	// operand is the expression that carries the []byte.
	operand ast.Expr
	// other is the text side: the string operand, the first string case,
	// or the asserted type.
	other ast.Expr
	// origin says where the []byte came from, when known.
	origin origin
	// callee names the called function ("reflect.DeepEqual", "fmt.Sprintf").
	callee string
	// verb is the formatting verb ("%v", "%+v") for kindFormatVerb.
	verb string
	// format is the format argument and verbOff the offset of the verb's
	// rune in the format's value, for kindFormatVerb.
	format  ast.Expr
	verbOff int
}

// detector runs the sub-rules over one package.
type detector struct {
	flow     *flow
	info     *types.Info
	findings []finding
	// skipFormat turns the format sub-rule off for the package.
	skipFormat bool
	// reported holds the nodes already reported.
	reported map[ast.Node]bool
	// evidence holds, for each print of a parameter in this package, the
	// first call that hands it text; order keeps them in source order.
	evidence map[*printSite]finding
	order    []*printSite
}

func detect(f *flow, insp *inspector.Inspector) []finding {
	// fmt's own tests and examples print byte slices with %v on purpose.
	skipFormat := f.pass.Pkg.Path() == "fmt" || f.pass.Pkg.Path() == "fmt_test"
	d := &detector{flow: f, info: f.info, skipFormat: skipFormat}
	filter := []ast.Node{
		(*ast.BinaryExpr)(nil), (*ast.SwitchStmt)(nil), (*ast.TypeAssertExpr)(nil),
		(*ast.TypeSwitchStmt)(nil), (*ast.CallExpr)(nil), (*ast.FuncDecl)(nil),
	}
	for cur := range insp.Root().Preorder(filter...) {
		switch n := cur.Node().(type) {
		case *ast.BinaryExpr:
			d.compare(n)
		case *ast.SwitchStmt:
			d.valueSwitch(n)
		case *ast.TypeAssertExpr:
			d.assert(n)
		case *ast.TypeSwitchStmt:
			d.typeSwitch(n)
		case *ast.CallExpr:
			d.call(n)
		case *ast.FuncDecl:
			d.scanHook(cur, n)
		}
	}
	for _, site := range d.order {
		d.report(d.evidence[site])
	}
	return d.findings
}

// bytesOperand reports whether e is an interface value proven to carry only
// []byte.
func (d *detector) bytesOperand(e ast.Expr) (origin, bool) {
	if !isIface(d.info.TypeOf(e)) {
		return origin{}, false
	}
	h, o := d.flow.eval(e)
	return o, h.onlyBytes()
}

func (d *detector) compare(b *ast.BinaryExpr) {
	if b.Op != token.EQL && b.Op != token.NEQ {
		return
	}
	for _, pair := range [2][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
		x, y := pair[0], pair[1]
		if !isPlainString(d.info.TypeOf(y)) {
			continue
		}
		if o, ok := d.bytesOperand(x); ok {
			d.findings = append(d.findings, finding{kind: kindCompare, node: b, operand: x, other: y, origin: o})
			return
		}
	}
}

func (d *detector) valueSwitch(sw *ast.SwitchStmt) {
	if sw.Tag == nil {
		return
	}
	o, ok := d.bytesOperand(sw.Tag)
	if !ok {
		return
	}
	for _, stmt := range sw.Body.List {
		for _, e := range stmt.(*ast.CaseClause).List {
			if isPlainString(d.info.TypeOf(e)) {
				d.findings = append(d.findings, finding{kind: kindSwitch, node: sw, operand: sw.Tag, other: e, origin: o})
				return
			}
		}
	}
}

func (d *detector) assert(ta *ast.TypeAssertExpr) {
	if ta.Type == nil || !types.Identical(d.info.TypeOf(ta.Type), types.Typ[types.String]) {
		return
	}
	if o, ok := d.bytesOperand(ta.X); ok {
		d.findings = append(d.findings, finding{kind: kindAssert, node: ta, operand: ta.X, other: ta.Type, origin: o})
	}
}

// typeSwitch reports a type switch over a value proven to hold []byte whose
// string case can never run and which has no []byte case or default.
func (d *detector) typeSwitch(ts *ast.TypeSwitchStmt) {
	x := typeSwitchSubject(ts)
	if x == nil {
		return
	}
	o, ok := d.bytesOperand(x)
	if !ok {
		return
	}
	var stringCase ast.Expr
	for _, stmt := range ts.Body.List {
		cc := stmt.(*ast.CaseClause)
		if cc.List == nil {
			return // a default takes the []byte
		}
		for _, e := range cc.List {
			t := d.info.TypeOf(e)
			if kit.IsByteSlice(t) {
				return
			}
			if stringCase == nil && types.Identical(t, types.Typ[types.String]) {
				stringCase = e
			}
		}
	}
	if stringCase != nil {
		d.findings = append(d.findings, finding{kind: kindTypeSwitch, node: stringCase, operand: x, other: stringCase, origin: o})
	}
}

// typeSwitchSubject returns x in `switch x.(type)` or `switch v := x.(type)`.
func typeSwitchSubject(ts *ast.TypeSwitchStmt) ast.Expr {
	var e ast.Expr
	switch a := ts.Assign.(type) {
	case *ast.ExprStmt:
		e = a.X
	case *ast.AssignStmt:
		if len(a.Rhs) == 1 {
			e = a.Rhs[0]
		}
	}
	if ta, ok := ast.Unparen(e).(*ast.TypeAssertExpr); ok {
		return ta.X
	}
	return nil
}

func (d *detector) call(call *ast.CallExpr) {
	if call.Ellipsis.IsValid() {
		return
	}
	fn := typeutil.StaticCallee(d.info, call)
	if fn == nil || fn.Pkg() == nil {
		return
	}
	key := kit.FuncKey(fn)
	if pos, ok := kit.EqualityCall(fn); ok {
		d.deepEqual(call, fn, key, pos)
		return
	}
	if d.skipFormat {
		return
	}
	if format, first, ok := d.flow.printfOf(fn); ok {
		d.printf(call, fn, format, first)
		return
	}
	if first, ok := d.flow.printOf(fn); ok {
		d.print(call, fn, first)
		return
	}
	d.helperCall(call, fn)
}

func (d *detector) deepEqual(call *ast.CallExpr, fn *types.Func, key string, first int) {
	if len(call.Args) < first+2 {
		return
	}
	if strings.HasPrefix(key, "github.com/google/go-cmp/") && len(call.Args) != 2 {
		return
	}
	a, b := call.Args[first], call.Args[first+1]
	for _, pair := range [2][2]ast.Expr{{a, b}, {b, a}} {
		x, y := pair[0], pair[1]
		if !isPlainString(d.info.TypeOf(y)) {
			continue
		}
		t := d.info.TypeOf(x)
		var o origin
		switch {
		case kit.IsByteSlice(t):
			o = origin{desc: d.flow.describe(x, 0), pos: x.Pos(), typ: t}
		case isIface(t):
			var ok bool
			if o, ok = d.bytesOperand(x); !ok {
				continue
			}
		default:
			continue
		}
		d.findings = append(d.findings, finding{kind: kindDeepEqual, node: call, operand: x, other: y, origin: o, callee: d.flow.funcName(fn)})
		return
	}
}

func (d *detector) printf(call *ast.CallExpr, fn *types.Func, format, first int) {
	for _, fd := range d.flow.verbArgs(call, fn, format, first) {
		if o, ok := d.textBytes(fd.operand); ok {
			fd.origin = o
			d.report(fd)
		}
	}
}

func (d *detector) print(call *ast.CallExpr, fn *types.Func, first int) {
	if len(call.Args) <= first {
		return
	}
	for _, arg := range call.Args[first:] {
		if o, ok := d.textBytes(arg); ok {
			d.report(finding{kind: kindFormatPrint, node: arg, operand: arg, origin: o, callee: d.flow.printName(fn)})
		}
	}
}

// report adds a finding, once per node: a print of a parameter named body
// is found directly and again through the callers that pass it text.
func (d *detector) report(fd finding) {
	if d.reported == nil {
		d.reported = make(map[ast.Node]bool)
	}
	if d.reported[fd.node] {
		return
	}
	d.reported[fd.node] = true
	d.findings = append(d.findings, fd)
}

// helperCall reports text handed to a helper that prints the parameter as
// numbers. A print in this package is reported where it is (its fix
// changes the verb there), once, naming the first caller; a print in
// another package is reported at the call, without a fix.
func (d *detector) helperCall(call *ast.CallExpr, fn *types.Func) {
	s := d.flow.summaryOf(fn)
	if s == nil || len(s.printed) == 0 {
		return
	}
	for j, arg := range call.Args {
		sites := s.printed[kit.ParamIndex(d.info, call, fn, j)]
		if len(sites) == 0 {
			continue
		}
		o, ok := d.textBytes(arg)
		if !ok {
			continue
		}
		for _, site := range sites {
			if site.fd == nil {
				d.report(finding{kind: kindFormatHelper, node: arg, operand: arg, origin: o,
					callee: d.flow.funcName(fn), verb: site.desc})
				continue
			}
			if _, seen := d.evidence[site]; seen {
				continue
			}
			if d.evidence == nil {
				d.evidence = make(map[*printSite]finding)
			}
			fd := *site.fd
			fd.origin = o
			fd.origin.desc = strings.TrimPrefix(originDesc(finding{operand: arg, origin: o})+", ", ", ") + "passed by " + d.flow.enclosingFunc(arg)
			fd.origin.pos = arg.Pos()
			d.evidence[site] = fd
			d.order = append(d.order, site)
		}
	}
}

// shortCallee drops the import path: "log.Logger.Printf", "fmt.Sprint".
func shortCallee(key string) string {
	return key[strings.LastIndex(key, "/")+1:]
}

// textBytes reports whether arg is a byte slice that fmt will print as a
// list of numbers although it plausibly holds text: no String/Error/Format
// method, and nothing in its name or producer says it is binary.
func (d *detector) textBytes(arg ast.Expr) (origin, bool) {
	t := d.info.TypeOf(arg)
	var o origin
	switch {
	case kit.IsByteSlice(t):
		o = origin{desc: d.flow.describe(arg, 0), pos: arg.Pos(), typ: t, text: d.flow.textSource(arg, 0)}
		if fn := d.flow.sourceCall(arg, 0); fn != nil && binaryProducer(fn) {
			return o, false
		}
	case isIface(t):
		var ok bool
		if o, ok = d.bytesOperand(arg); !ok {
			return o, false
		}
		if binaryWords(o.desc) {
			return o, false
		}
	default:
		return o, false
	}
	if !o.text || o.typ != nil && hasPrintMethod(o.typ) {
		return o, false
	}
	binary := false
	ast.Inspect(arg, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && binaryWords(id.Name) {
			binary = true
		}
		return !binary
	})
	return o, !binary
}

// hasPrintMethod reports whether fmt prints values of t through a method
// (String, Error or Format in the value's method set).
func hasPrintMethod(t types.Type) bool {
	ms := types.NewMethodSet(t)
	for i := 0; i < ms.Len(); i++ {
		switch ms.At(i).Obj().Name() {
		case "String", "Error", "Format":
			return true
		}
	}
	return false
}

// binaryPkgs produce bytes that are not text: printing them as numbers is
// deliberate or at least not the text-vs-bytes confusion.
var binaryPkgs = []string{
	"crypto", "hash", "encoding/binary", "encoding/gob", "encoding/asn1", "encoding/hex",
	"encoding/base64", "encoding/base32", "math/rand", "compress", "image",
	"google.golang.org/protobuf", "github.com/golang/protobuf", "github.com/gogo/protobuf",
	"golang.org/x/crypto",
}

func binaryProducer(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	path := fn.Pkg().Path()
	for _, p := range binaryPkgs {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return binaryWords(fn.Name())
}

// binaryNames are identifier words that mark a byte slice as binary data.
var binaryNames = map[string]bool{
	"hash": true, "hashed": true, "digest": true, "sum": true, "checksum": true, "crc": true,
	"key": true, "keys": true, "nonce": true, "mac": true, "hmac": true, "sig": true,
	"sign": true, "signature": true, "signed": true, "salt": true, "iv": true, "cipher": true,
	"ciphertext": true, "encrypted": true, "secret": true, "seed": true, "fingerprint": true,
	"uuid": true, "guid": true, "cert": true, "der": true, "entropy": true, "random": true,
	"rand": true, "binary": true, "bin": true, "packet": true, "pkt": true, "frame": true,
	"wire": true, "proto": true, "pb": true, "gob": true, "bits": true, "mask": true,
	"magic": true, "hdr": true, "opcode": true, "id": true,
	"bitmap": true, "bloom": true, "salted": true, "token": true, "pubkey": true, "privkey": true,
}

// binaryWords reports whether a name (identifier or "pkg.Func" text) has a
// word that marks binary data: sha256Sum, nonceBytes, hmacKey, md5, crc32.
func binaryWords(name string) bool {
	for _, w := range splitWords(name) {
		w = strings.ToLower(w)
		if binaryNames[w] {
			return true
		}
		for _, p := range []string{"sha", "md5", "md4", "crc", "hmac", "blake", "fnv", "xxh", "murmur", "ed25519", "ecdsa", "rsa", "aes"} {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}

// splitWords splits camelCase, snake_case and dotted names into words;
// digits stay with the letters before them (sha256).
func splitWords(name string) []string {
	var words []string
	start := 0
	runes := []rune(name)
	flush := func(i int) {
		if i > start {
			words = append(words, string(runes[start:i]))
		}
		start = i
	}
	for i, r := range runes {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush(i)
			start = i + 1
		case unicode.IsUpper(r) && i > start:
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush(i)
			}
		}
	}
	flush(len(runes))
	return words
}
