// Package ifaces calls unexported interface methods, which only this
// package's types can implement: a call through the interface does what
// all of them do with the order.
package ifaces

import (
	"fmt"
	"slices"
	"sort"
)

// freelist is implemented by two types of this package, and both sort
// the ids they are handed: a call through the interface sorts them.
type freelist interface {
	merge(ids []int)
}

type arrayList struct{ ids []int }

func (a *arrayList) merge(ids []int) { // want merge:`sortsArg\[0\]`
	sort.Ints(ids)
	a.ids = append(a.ids, ids...)
}

type mapList struct{ ids map[int]bool }

func (l *mapList) merge(ids []int) { // want merge:`sortsArg\[0\]`
	if len(ids) == 0 {
		return
	}
	slices.Sort(ids)
	for _, id := range ids {
		l.ids[id] = true
	}
}

// shared embeds the interface, as bbolt's freelist does.
type shared struct{ freelist }

func (s *shared) release(pending map[int][]int) {
	var m []int
	for _, ids := range pending {
		m = append(m, ids...)
	}
	s.merge(m)
}

// printer's implementations differ: one prints in the order given.
type printer interface {
	show(names []string)
}

type plain struct{}

func (plain) show(names []string) { fmt.Println(names) }

type sortedPrinter struct{}

func (sortedPrinter) show(names []string) { // want show:`sortsArg\[0\]`
	sort.Strings(names)
	fmt.Println(names)
}

func showAll(p printer, m map[string]int) {
	var names []string
	for k := range m { // want `names passed to printer.show`
		names = append(names, k)
	}
	p.show(names)
}
