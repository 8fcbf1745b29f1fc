// Package sorter sorts pods for other packages.
package sorter

import "sort"

// Pod is a scheduled pod.
type Pod struct {
	Name string
	Node string
	Age  int
}

// ByAge sorts pods by age only: pods of one age tie.
func ByAge(ps []Pod) { // want ByAge:"param 0 sorted by sort.Slice in sorter.ByAge, comparing only Age"
	sort.Slice(ps, func(i, j int) bool { return ps[i].Age < ps[j].Age })
}

// ByNodeAndName makes the order total with the identifying name.
func ByNodeAndName(ps []Pod) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Node != ps[j].Node {
			return ps[i].Node < ps[j].Node
		}
		return ps[i].Name < ps[j].Name
	})
}
