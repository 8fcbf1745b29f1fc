// This file classifies types, functions and names for the flow analysis:
// maps, byte holders, hashes, comparisons, caches and key-like names.

package wiredrift

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strings"

	"github.com/upshift-dev/upshift/analyzers/kit"
)

func isMap(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Map)
	return ok
}

func isBytesOrString(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Slice:
		return isByte(u.Elem())
	}
	return false
}

func derefType(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func isBuffer(t types.Type) bool {
	return kit.IsNamedOrPtr(t, "bytes", "Buffer") || kit.IsNamedOrPtr(t, "strings", "Builder")
}

func ptrIfValue(t types.Type) types.Type {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return t
	}
	return types.NewPointer(t)
}

var compareFuncs = map[string]bool{
	"bytes.Equal": true, "bytes.Compare": true, "reflect.DeepEqual": true,
	"slices.Equal": true, "slices.Compare": true, "strings.Compare": true, "strings.EqualFold": true,
	"crypto/subtle.ConstantTimeCompare": true, "crypto/hmac.Equal": true,
	"github.com/google/go-cmp/cmp.Equal": true, "github.com/google/go-cmp/cmp.Diff": true,
	"github.com/stretchr/testify/assert.Equal": true, "github.com/stretchr/testify/assert.NotEqual": true,
	"github.com/stretchr/testify/assert.EqualValues": true, "github.com/stretchr/testify/assert.Exactly": true,
	"github.com/stretchr/testify/require.Equal": true, "github.com/stretchr/testify/require.NotEqual": true,
	"github.com/stretchr/testify/require.EqualValues": true, "github.com/stretchr/testify/require.Exactly": true,
}

func isCompareFunc(path, name string) bool { return compareFuncs[path+"."+name] }

// propagates reports whether fn's result carries its arguments' bytes.
func propagates(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	path, name := fn.Pkg().Path(), fn.Name()
	switch path {
	case "encoding/hex":
		return name == "EncodeToString" || name == "Encode" || name == "AppendEncode"
	case "encoding/base64", "encoding/base32":
		return name == "EncodeToString" || name == "AppendEncode"
	case "fmt":
		return name == "Sprint" || name == "Sprintf" || name == "Sprintln" || name == "Append" || name == "Appendf"
	case "strings":
		switch name {
		case "ToLower", "ToUpper", "TrimSpace", "Trim", "TrimLeft", "TrimRight", "TrimPrefix", "TrimSuffix", "Clone", "Repeat", "Join":
			return true
		}
	case "bytes":
		switch name {
		case "Clone", "ToLower", "ToUpper", "TrimSpace", "Trim", "TrimPrefix", "TrimSuffix", "Join":
			return true
		}
	case "net/url":
		return name == "PathEscape" || name == "QueryEscape"
	case "path", "path/filepath":
		return name == "Join"
	case "strconv":
		return name == "Quote"
	}
	return false
}

// keyish reports whether an identifier names an identity: key, hash,
// digest, ETag, fingerprint, checksum or ID.
func keyish(name string) bool {
	lower := strings.ToLower(name)
	for _, s := range []string{"etag", "checksum", "fingerprint", "digest"} {
		if strings.Contains(lower, s) {
			return true
		}
	}
	for _, w := range splitWords(name) {
		switch w {
		case "key", "hash", "id", "cachekey", "hashkey":
			return true
		}
	}
	return strings.HasSuffix(lower, "key") && lower != "monkey" && lower != "turkey"
}

// splitWords splits a Go identifier into lowercase words at case changes
// and underscores: cacheKeyID -> cache, key, id.
func splitWords(name string) []string {
	var words []string
	start := 0
	rs := []rune(name)
	isUpper := func(r rune) bool { return r >= 'A' && r <= 'Z' }
	for i := 1; i <= len(rs); i++ {
		boundary := i == len(rs) || rs[i] == '_' ||
			(isUpper(rs[i]) && !isUpper(rs[i-1])) ||
			(isUpper(rs[i]) && i+1 < len(rs) && !isUpper(rs[i+1]) && rs[i+1] != '_' && isUpper(rs[i-1]))
		if boundary {
			if w := strings.Trim(string(rs[start:i]), "_"); w != "" {
				words = append(words, strings.ToLower(w))
			}
			start = i
		}
	}
	return words
}

// cacheMethod reports whether a method named name with params takes a key
// as its first argument.
func cacheMethod(name string, params *types.Tuple) bool {
	switch name {
	case "Get", "Load", "Delete", "Has", "Contains", "Exists", "Remove", "Lookup", "Peek", "Fetch", "Add", "LoadAndDelete", "GetOrSet":
		return params.Len() >= 1
	case "Set", "Put", "Store", "LoadOrStore", "Swap", "CompareAndSwap", "SetWithTTL":
		// A single-argument Store (atomic.Value) stores a value, not a key.
		return params.Len() >= 2
	}
	return false
}

func isPkgFunc(info *types.Info, call *ast.CallExpr, path, name string) bool {
	return kit.IsPkgFunc(kit.StaticCallee(info, call), path, name)
}

func isProtoPkg(path string) bool {
	return path == "google.golang.org/protobuf/proto" || path == "github.com/golang/protobuf/proto"
}

// isJSONv2Pkg recognises encoding/json/v2 and the go-json-experiment
// prototype, including vendored copies such as kube-openapi's
// internal/third_party/go-json-experiment/json.
func isJSONv2Pkg(path string) bool {
	return path == "encoding/json/v2" || path == "github.com/go-json-experiment/json" ||
		strings.HasSuffix(path, "/go-json-experiment/json")
}

func isConstFalse(info *types.Info, e ast.Expr) bool {
	tv := info.Types[e]
	return tv.Value != nil && tv.Value.Kind() == constant.Bool && !constant.BoolVal(tv.Value)
}

func constString(info *types.Info, e ast.Expr) (string, bool) {
	tv := info.Types[e]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}
