package expswitch

import "golang.org/x/exp/slices"

// OrderCommented has a comment inside its less func: left alone.
func OrderCommented(jobs []Job) {
	slices.SortFunc(jobs, func(a, b Job) bool { // want `slices.SortFunc from golang.org/x/exp/slices takes a less func`
		// by name, then priority
		return a.Name < b.Name || a.Name == b.Name && a.Prio < b.Prio
	})
}
