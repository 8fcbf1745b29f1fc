// Package noversion has no go.mod and no //go:build version: the language
// version is unknown, so nothing is reported even for real escapes.
package noversion

type Job struct{ ID string }

func Pointers(jobs []Job) []*Job {
	var out []*Job
	for _, j := range jobs {
		out = append(out, &j)
	}
	return out
}

func Start(jobs []Job, run func(Job)) { // want Start:"keeps\\(p1:async\\)"
	for _, j := range jobs {
		go func() { run(j) }()
	}
}
