package svc

// Job is one unit of work.
type Job struct{ ID string }

// pointers keeps the address of the loop variable: every element aliases
// one variable before go1.22. loopvar's fix is behavior tier.
func pointers(jobs []Job) []*Job {
	var out []*Job
	for _, j := range jobs {
		j := j                // per-iteration copy: the loop means the same before and after go1.22
		out = append(out, &j) // want loopvar
	}
	return out
}
