package a

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"sort"
	"strings"
)

type Pod struct {
	Name string
	Node string
	Age  int
}

type User struct {
	ID   int
	Name string
}

func byNode(pods []Pod) []Pod {
	out := slices.Clone(pods)
	sort.Slice(out, func(i, j int) bool { return out[i].Node < out[j].Node }) // want `sort.Slice compares only Node, so distinct elements can tie, and their order is unspecified \(it changed in go1.19\) yet the sorted slice is returned: use SliceStable`
	return out
}

func printed(w io.Writer, pods []Pod) {
	ps := append([]*Pod(nil), nil)
	for i := range pods {
		ps = append(ps, &pods[i])
	}
	slices.SortFunc(ps, func(a, b *Pod) int { return a.Age - b.Age }) // want `slices.SortFunc compares only Age, .* a loop over the sorted slice prints or writes: use SortStableFunc`
	for _, p := range ps {
		fmt.Fprintln(w, p.Name)
	}
}

func encoded(pods []Pod) ([]byte, error) {
	out := make([]Pod, len(pods))
	copy(out, pods)
	sort.Slice(out, func(i, j int) bool { // want `compares only Age, Node, .* it is encoded`
		if out[i].Node != out[j].Node {
			return out[i].Node < out[j].Node
		}
		return out[i].Age < out[j].Age
	})
	return json.Marshal(out)
}

// Negatives.

func stable(pods []Pod) []Pod {
	out := slices.Clone(pods)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Node < out[j].Node })
	return out
}

func total(pods []Pod) []Pod {
	out := slices.Clone(pods)
	slices.SortFunc(out, func(a, b Pod) int {
		if c := strings.Compare(a.Node, b.Node); c != 0 {
			return c
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return a.Age - b.Age
	})
	return out
}

func byID(users []User) []User {
	out := slices.Clone(users)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func basic(names []string) string {
	out := slices.Clone(names)
	sort.Slice(out, func(i, j int) bool { return len(out[i]) < len(out[j]) })
	return strings.Join(out, ",")
}

func wholeElement(pods []Pod, less func(a, b Pod) bool) []Pod {
	out := slices.Clone(pods)
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

func localOnly(pods []Pod) string {
	out := slices.Clone(pods)
	sort.Slice(out, func(i, j int) bool { return out[i].Age < out[j].Age })
	return out[0].Node // only the minimum: reported? no, not returned whole
}

func param(pods []Pod) {
	sort.Slice(pods, func(i, j int) bool { return pods[i].Node < pods[j].Node })
}

func indexUsed(pods []Pod, rank []int) []Pod {
	out := slices.Clone(pods)
	sort.Slice(out, func(i, j int) bool { return rank[i] < rank[j] })
	return out
}

// labelPairs is sorted by a field set from map keys: names are distinct.
func labelPairs(l map[string]string) []*Pod {
	ret := make([]*Pod, 0, len(l))
	for k, v := range l {
		ret = append(ret, &Pod{Name: k, Node: v})
	}
	sort.Slice(ret, func(i, j int) bool { return ret[i].Name < ret[j].Name })
	return ret
}

// byValue is sorted by a field set from map values, which can repeat.
func byValue(l map[string]string) []*Pod {
	ret := make([]*Pod, 0, len(l))
	for k, v := range l {
		ret = append(ret, &Pod{Name: k, Node: v})
	}
	sort.Slice(ret, func(i, j int) bool { return ret[i].Node < ret[j].Node }) // want `sort.Slice compares only Node`
	return ret
}

type cache struct{ pods []Pod }

func (c *cache) fill(pods []Pod) {
	out := slices.Clone(pods)
	sort.Slice(out, func(i, j int) bool { return out[i].Age < out[j].Age }) // want `compares only Age, .* the sorted slice is stored: use SliceStable`
	c.pods = out
}

func equal(pods, want []Pod) bool {
	out := slices.Clone(pods)
	sort.Slice(out, func(i, j int) bool { return out[i].Age < out[j].Age }) // want `it is compared`
	return reflect.DeepEqual(out, want)
}

// namedResult is silent: a named result is declared outside the body, and
// the analyzer follows only locals.
func namedResult(pods []Pod) (out []Pod) {
	out = slices.Clone(pods)
	sort.Slice(out, func(i, j int) bool { return out[i].Age < out[j].Age })
	return out
}

// byAge sorts pods through sort.Interface; its Less reads Age only.
type byAge []Pod

func (s byAge) Len() int           { return len(s) }
func (s byAge) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s byAge) Less(i, j int) bool { return s[i].Age < s[j].Age }

func printAges(w io.Writer, pods []Pod) {
	sort.Sort(byAge(pods)) // want `sort.Sort compares only Age, .* a loop over the sorted slice prints or writes: use Stable`
	for _, p := range pods {
		fmt.Fprintln(w, p.Name, p.Age)
	}
}

// byNodeName's Less is total through the identifying Name.
type byNodeName []Pod

func (s byNodeName) Len() int      { return len(s) }
func (s byNodeName) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
func (s byNodeName) Less(i, j int) bool {
	if s[i].Node != s[j].Node {
		return s[i].Node < s[j].Node
	}
	return s[i].Name < s[j].Name
}

func printNodes(w io.Writer, pods []Pod) {
	sort.Sort(byNodeName(pods))
	sort.Stable(byAge(pods))
	for _, p := range pods {
		fmt.Fprintln(w, p.Name)
	}
}
