package replay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A jsonValue is a parsed JSON value that keeps what encoding/json's
// generic decoding loses: the order of an object's keys and the literal
// text of a number (1e+06 and 1000000 are the same float, not the same
// answer to a client that parses an int).
type jsonValue struct {
	kind byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	keys []string
	obj  map[string]*jsonValue
	arr  []*jsonValue
	lit  string // string value, number literal, "true"/"false"
}

// parseJSON parses one JSON value; trailing data is an error.
func parseJSON(data []byte) (*jsonValue, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (*jsonValue, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			v := &jsonValue{kind: 'o', obj: map[string]*jsonValue{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				e, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				if _, dup := v.obj[k]; !dup {
					v.keys = append(v.keys, k)
				}
				v.obj[k] = e
			}
			_, err := dec.Token() // '}'
			return v, err
		case '[':
			v := &jsonValue{kind: 'a', arr: []*jsonValue{}}
			for dec.More() {
				e, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				v.arr = append(v.arr, e)
			}
			_, err := dec.Token() // ']'
			return v, err
		}
	case string:
		return &jsonValue{kind: 's', lit: t}, nil
	case json.Number:
		return &jsonValue{kind: 'n', lit: string(t)}, nil
	case bool:
		return &jsonValue{kind: 'b', lit: strconv.FormatBool(t)}, nil
	case nil:
		return &jsonValue{kind: 'z'}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// canonical renders v with sorted object keys: equal canonical forms mean
// equal values up to key order.
func (v *jsonValue) canonical() string {
	var b strings.Builder
	v.write(&b, true)
	return b.String()
}

// compact renders v as it came (keys in their order).
func (v *jsonValue) compact() string {
	var b strings.Builder
	v.write(&b, false)
	return b.String()
}

func (v *jsonValue) write(b *strings.Builder, sorted bool) {
	switch v.kind {
	case 'o':
		keys := v.keys
		if sorted {
			keys = slices.Sorted(slices.Values(keys))
		}
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			v.obj[k].write(b, sorted)
		}
		b.WriteByte('}')
	case 'a':
		b.WriteByte('[')
		for i, e := range v.arr {
			if i > 0 {
				b.WriteByte(',')
			}
			e.write(b, sorted)
		}
		b.WriteByte(']')
	case 's':
		writeString(b, v.lit)
	case 'z':
		b.WriteString("null")
	default:
		b.WriteString(v.lit)
	}
}

func writeString(b *strings.Builder, s string) {
	q, _ := json.Marshal(s)
	b.Write(q)
}

func (v *jsonValue) typeName() string {
	return map[byte]string{'o': "object", 'a': "array", 's': "string", 'n': "number", 'b': "bool", 'z': "null"}[v.kind]
}

// A rawDiff is one difference between two responses at one place.
type rawDiff struct {
	path       string // $.items[2].name, "status", "header Content-Type", "line 3", "body"
	kind       Kind
	base, head string
}

// maxDiffsPerResponse bounds the differences kept from one pair of
// responses: a page of 10,000 changed items says no more than its first
// hundred.
const maxDiffsPerResponse = 100

// differ collects the differences between two JSON values.
type differ struct {
	out  []rawDiff
	full bool
}

func (d *differ) add(path string, kind Kind, base, head string) {
	if len(d.out) >= maxDiffsPerResponse {
		d.full = true
		return
	}
	d.out = append(d.out, rawDiff{path, kind, base, head})
}

// diffJSON compares a (base) with b (head) and returns the differences.
func diffJSON(a, b *jsonValue) []rawDiff {
	d := &differ{}
	d.diff("$", a, b)
	return d.out
}

func (d *differ) diff(path string, a, b *jsonValue) {
	if a.kind != b.kind {
		d.add(path, KindType, a.typeName()+" "+short(a.compact()), b.typeName()+" "+short(b.compact()))
		return
	}
	switch a.kind {
	case 'o':
		d.diffObject(path, a, b)
	case 'a':
		d.diffArray(path, a, b)
	case 'n':
		if a.lit != b.lit {
			if numEqual(a.lit, b.lit) {
				d.add(path, KindNumberFormat, a.lit, b.lit)
			} else {
				d.add(path, KindValue, a.lit, b.lit)
			}
		}
	default:
		if a.lit != b.lit {
			d.add(path, KindValue, short(a.compact()), short(b.compact()))
		}
	}
}

func (d *differ) diffObject(path string, a, b *jsonValue) {
	var missing, added []string
	for _, k := range a.keys {
		if _, ok := b.obj[k]; !ok {
			missing = append(missing, k)
		}
	}
	for _, k := range b.keys {
		if _, ok := a.obj[k]; !ok {
			added = append(added, k)
		}
	}
	// A key that disappeared while another with the same value appeared
	// is a rename: one difference, not two unrelated ones.
	renamed := map[string]bool{}
	for _, m := range missing {
		for _, n := range added {
			if !renamed[n] && a.obj[m].canonical() == b.obj[n].canonical() {
				d.add(childPath(path, m), KindRenamed, strconv.Quote(m), strconv.Quote(n))
				renamed[m], renamed[n] = true, true
				break
			}
		}
	}
	for _, m := range missing {
		if !renamed[m] {
			d.add(childPath(path, m), KindMissing, short(a.obj[m].compact()), "(absent)")
		}
	}
	for _, n := range added {
		if !renamed[n] {
			d.add(childPath(path, n), KindAdded, "(absent)", short(b.obj[n].compact()))
		}
	}
	var commonA, commonB []string
	for _, k := range a.keys {
		if _, ok := b.obj[k]; ok {
			commonA = append(commonA, k)
			d.diff(childPath(path, k), a.obj[k], b.obj[k])
		}
	}
	for _, k := range b.keys {
		if _, ok := a.obj[k]; ok {
			commonB = append(commonB, k)
		}
	}
	if !slices.Equal(commonA, commonB) {
		d.add(path, KindOrder, "keys "+strings.Join(commonA, ","), "keys "+strings.Join(commonB, ","))
	}
}

func (d *differ) diffArray(path string, a, b *jsonValue) {
	ca, cb := canonicals(a.arr), canonicals(b.arr)
	if slices.Equal(ca, cb) {
		// Equal up to the key order inside elements: compare them for it.
		for i := range a.arr {
			d.diff(indexPath(path, i), a.arr[i], b.arr[i])
		}
		return
	}
	sa, sb := slices.Sorted(slices.Values(ca)), slices.Sorted(slices.Values(cb))
	if slices.Equal(sa, sb) {
		d.add(path, KindOrder, short(a.compact()), short(b.compact()))
		return
	}
	if len(a.arr) != len(b.arr) {
		d.add(path, KindLength, fmt.Sprintf("%d elements", len(a.arr)), fmt.Sprintf("%d elements", len(b.arr)))
	}
	// Compare elements in index order, or sorted when that aligns more
	// of them: a list that both changed its elements and came out in
	// another order (map iteration) would otherwise differ everywhere.
	n := min(len(a.arr), len(b.arr))
	ia, ib := identity(len(a.arr)), identity(len(b.arr))
	if len(a.arr) == len(b.arr) {
		oa, ob := sortedOrder(ca), sortedOrder(cb)
		if matches(ca, cb, oa, ob) > matches(ca, cb, ia, ib) {
			ia, ib = oa, ob
		}
	}
	for i := 0; i < n; i++ {
		// The path names the base element's index.
		d.diff(indexPath(path, ia[i]), a.arr[ia[i]], b.arr[ib[i]])
	}
}

func canonicals(vs []*jsonValue) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.canonical()
	}
	return out
}

func identity(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func sortedOrder(c []string) []int {
	idx := identity(len(c))
	slices.SortStableFunc(idx, func(i, j int) int { return strings.Compare(c[i], c[j]) })
	return idx
}

func matches(ca, cb []string, ia, ib []int) int {
	n := 0
	for i := range min(len(ia), len(ib)) {
		if ca[ia[i]] == cb[ib[i]] {
			n++
		}
	}
	return n
}

// numEqual reports whether two JSON number literals denote the same
// number (exactly, in arbitrary precision).
func numEqual(a, b string) bool {
	x, _, errA := big.ParseFloat(a, 10, 256, big.ToNearestEven)
	y, _, errB := big.ParseFloat(b, 10, 256, big.ToNearestEven)
	return errA == nil && errB == nil && x.Cmp(y) == 0
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func childPath(path, key string) string {
	if identRE.MatchString(key) {
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

var indexRE = regexp.MustCompile(`\[[0-9]+\]`)

// generalize replaces array indexes by [*]: a timestamp at
// $.items[3].at is the same noise as one at $.items[7].at.
func generalize(path string) string {
	return indexRE.ReplaceAllString(path, "[*]")
}

// short truncates a value for display.
func short(s string) string {
	const max = 120
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("... (%d bytes)", len(s))
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
