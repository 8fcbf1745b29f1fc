// Package counter measures how much work code does, with interchangeable
// backends probed at start:
//
//   - pmu: hardware instructions and cycles through perf_event_open, user
//     space only. Per-thread for in-process spans (the calling goroutine is
//     locked to its OS thread), whole-process for child processes (the
//     counters are inherited and enabled on exec, the perf stat model).
//   - valgrind: instructions (Ir) of a child process counted by valgrind
//     cachegrind or callgrind with the settings that make counts
//     reproducible: no ASLR (setarch -R), GOMAXPROCS=1,
//     GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off. A child may narrow what is
//     counted to windows it marks with package clientreq.
//   - taskclock: the software task-clock event, which is time (ns), not
//     instructions.
//
// Figures from different backends are never comparable: every Reading
// names its backend, and callers must compare readings of one backend only.
//
// Hardware counters are often missing (virtual machines, CI): the pmu probe
// then fails with a message saying why, and Select falls back.
package counter
