// Package capacity compares the capacity of two versions of an HTTP
// service: the highest open-loop request rate each sustains under the same
// fixed CPU and memory budget, what binds it, and its work per request.
//
// It answers the question a per-request instruction count cannot: a
// migration can make every request cheaper and still not raise capacity,
// because memory (RSS at the budget, the garbage collector's share of the
// CPU) or waiting (locks, I/O) binds instead of CPU. When the work per
// request falls but capacity does not rise by the target, the report says
// so and names what binds.
//
// How it measures:
//
//   - Both sides are built with go build and started from their package
//     directory with PORT set; they must listen on 127.0.0.1:$PORT. Each
//     runs in its own process group, with GOMAXPROCS and CPU affinity set
//     to the CPU budget, GOMEMLIMIT to the memory budget, and
//     GODEBUG=gctrace=1, whose lines give the GC's CPU time without
//     changing the service.
//   - Load is open loop (vegeta): requests are sent at the offered rate
//     whether or not earlier ones finished, and latency counts from the
//     send time, so queueing shows (no coordinated omission). The load
//     generator is pinned to the CPUs the services do not use.
//   - RunSearch ramps the rate up by a factor until a step fails, then
//     bisects. A step passes when the completion rate is at least 99% of
//     the offered rate, p99 is within the SLO, errors are at most 0.1%, and
//     peak RSS stays within the budget, after a discarded warm-up. Base and
//     head steps alternate, so machine drift hits both. A failing rate is
//     retried once (a shared machine's noise only makes steps fail), and a
//     failed step restarts the service so the next does not inherit its
//     backlog.
//   - The verdict rests on repeated trials (Config.Trials): the search
//     above is the first; each further trial is a short search per side
//     starting below that side's median capacity so far, steps again
//     alternating, the side that goes first alternating between trials.
//     DecideTrials takes the paired changes head_i/base_i - 1, their
//     median and its order-statistic confidence interval
//     (golang.org/x/perf/benchmath, as benchstat): PASS when the interval
//     meets the target, FAIL when it is all below, INCONCLUSIVE when it
//     straddles the target. Every window also measures the machine:
//     other processes' CPU (the /proc/stat busy time minus the service's
//     and the load generator's), steal time, the service's run-queue
//     wait, and the CPU clock where /proc/cpuinfo shows it. On a noisy
//     machine a shortfall is INCONCLUSIVE unless head lost in every
//     pair: a neighbour squeezes both sides towards the same capacity and
//     widens the interval, it does not make one side lose pair after
//     interleaved pair. So a neighbour cannot turn an improvement into a
//     FAIL, and a real regression still fails.
//   - With Load.Traffic the load is a recording (perfcheck/traffic)
//     offered round robin, methods, headers and bodies as recorded.
//   - Attribute names the binding constraint from the step at capacity and
//     the failure above it: memory/GC, CPU (including time spent waiting
//     for a CPU other processes held), or latency.
//   - Work per request comes from a separate fixed-work phase of sequential
//     requests to a fresh process: whole-process instructions with valgrind
//     (two runs of N/5 and N requests, the difference cancels start-up), or
//     CPU time with taskclock, labelled as time. Backends are never
//     compared with each other.
package capacity
