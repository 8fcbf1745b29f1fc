package expswitch

import "golang.org/x/exp/slices"

// Job is queued work.
type Job struct {
	Name string
	Prio int
}

func byPrio(a, b Job) bool { return a.Prio < b.Prio }

// Order sorts with less funcs, which become cmp funcs in the switch.
func Order(jobs []Job) bool {
	slices.SortFunc(jobs, func(a, b Job) bool { return a.Name < b.Name }) // want `slices.SortFunc from golang.org/x/exp/slices takes a less func`
	slices.SortStableFunc(jobs, byPrio)                                   // want `slices.SortStableFunc from golang.org/x/exp/slices takes a less func`
	return slices.Contains([]int{1}, 1)                                   // want `slices.Contains from golang.org/x/exp/slices is in the standard library`
}
