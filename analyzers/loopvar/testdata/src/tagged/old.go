//go:build go1.21

// Package tagged has no go.mod: only this file has a version (from its
// build constraint), so only this file is reported.
package tagged

type Job struct{ ID string }

func Pointers(jobs []Job) []*Job {
	var out []*Job
	for _, j := range jobs {
		out = append(out, &j) // want `the address of loop variable j is appended to out \(via &j\): before Go 1.22 every element aliases the same variable \(the last j\); from Go 1.22 each iteration has its own copy\. This file is at go1\.21 by its //go:build line`
	}
	return out
}

func Start(jobs []Job, run func(Job)) { // want Start:"keeps\\(p1:async\\)"
	for _, j := range jobs {
		go func() {
			run(j) // want `loop variable j is captured by a func literal that is started as a goroutine`
		}()
	}
}
