#!/usr/bin/env bash
# capacity-noise.sh measures how the perf capacity verdict holds up when
# another job competes for the CPU: it runs the gate RUNS times on the
# synthetic services of perfcheck/capacity/testdata/svc while a CPU hog
# (one busy process, not pinned) runs, and counts the outcomes.
#
#   scripts/capacity-noise.sh [RUNS] [PAIRS...]
#
# PAIRS are HEAD[:TRIALS] against base (default: headc:6 heada:6 headc:1):
#   headc  really better (20% less work per request, +25% capacity)
#   heada  the regressing pair of the integration test (cheaper per
#          request, but memory binds: a fraction of base's capacity)
#   headr  a modest regression (a third more work, -25% capacity)
# TRIALS 1 is the old single comparison, for the false FAILs it gives
# and for the wall-time cost of the repeated trials.
#
# Prints one line per run (outcome, change and interval, wall time, the
# first trial's wall time, the machine's noise) and a tally per pair.
# Steps are short (300ms warm-up + 1s) to keep a run near a minute or
# three; the hog is this script's own child and is killed on exit.
set -euo pipefail
runs=${1:-5}
shift || true
pairs=("$@")
[ ${#pairs[@]} -gt 0 ] || pairs=(headc:6 heada:6 headc:1)
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
hog=""
cleanup() {
  if [ -n "$hog" ]; then kill "$hog" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "building upshift" >&2
(cd "$here" && go build -o "$work/upshift" ./cmd/upshift)
svc="$here/perfcheck/capacity/testdata/svc"

yes >/dev/null &
hog=$!
echo "CPU hog: pid $hog (yes >/dev/null); $(nproc) CPUs" >&2

for pair in "${pairs[@]}"; do
  head=${pair%%:*}
  trials=${pair#*:}
  [ "$trials" != "$pair" ] || trials=6
  declare -A tally=()
  for i in $(seq 1 "$runs"); do
    start=$(date +%s)
    set +e
    (cd "$svc" && "$work/upshift" perf capacity -base base -head "$head" -pkg . -path /work \
      -backend none -duration 1s -warmup 300ms -start-rate 400 -tolerance 10% \
      -slo p99=250ms -mem 64MiB -trials "$trials" -format json) >"$work/out.json" 2>"$work/err.txt"
    code=$?
    set -e
    end=$(date +%s)
    if [ $code -eq 2 ]; then
      echo "$head trials=$trials run $i: ERROR $(tail -3 "$work/err.txt")"
      tally[ERROR]=$(( ${tally[ERROR]:-0} + 1 ))
      continue
    fi
    jq -r --arg h "$head" --arg t "$trials" --arg i "$i" --arg wall "$((end - start))" '
      def pct: . * 1000 | round / 10 | tostring + "%";
      .verdict as $v
      | "\($h) trials=\($t) run \($i): \($v.outcome) change \($v.change | pct)"
        + (if $v.interval then " [\($v.interval.lo | pct), \($v.interval.hi | pct)]" else "" end)
        + "; wall \($wall)s (first trial \(.trials[0].elapsed_ns / 1e9 | round)s)"
        + "; other CPU \($v.noise.other_cpu * 100 | round / 100), wait \($v.noise.wait * 100 | round / 100)"
        + (if $v.reason then "; \($v.reason)" else "" end)' "$work/out.json"
    outcome=$(jq -r .verdict.outcome "$work/out.json")
    tally[$outcome]=$(( ${tally[$outcome]:-0} + 1 ))
  done
  line="$head trials=$trials: $runs runs:"
  for k in PASS FAIL INCONCLUSIVE ERROR; do line+=" $k ${tally[$k]:-0}"; done
  echo "$line"
  unset tally
done
