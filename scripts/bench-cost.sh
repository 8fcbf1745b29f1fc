#!/usr/bin/env bash
# bench-cost.sh compares upshift's cost with the go command's on one real
# module. Each tool gets its own empty build cache: a first run is cold,
# a second run with the same cache is warm (what a developer and a cached
# CI job see every day).
#
#   scripts/bench-cost.sh vet MODULE_DIR [PATTERN]   # upshift vet  vs go vet
#   scripts/bench-cost.sh fix MODULE_DIR [PATTERN]   # upshift fix -diff vs go fix -diff
#   scripts/bench-cost.sh incremental MODULE_DIR FILE [PATTERN]
#       # on a copy of the module: upshift vet -v, then a comment added to
#       # FILE, then upshift vet -v again: which packages it re-analyzed
#   scripts/bench-cost.sh converge MODULE_DIR [PATTERN]
#       # on two throwaway copies of the module: how many runs of `go fix`
#       # and of `upshift fix -w` it takes until a run changes nothing
#
# The module's dependencies must already be in the module cache
# (go mod download): downloads are not what is measured. Prints wall time,
# CPU time and peak RSS of each tool and the upshift/go ratios.
set -euo pipefail
usage="usage: bench-cost.sh vet|fix|converge MODULE_DIR [PATTERN] | incremental MODULE_DIR FILE [PATTERN]"
mode=${1:?$usage}
dir=$(cd "${2:?$usage}" && pwd)
if [ "$mode" = incremental ]; then
  file=${3:?$usage}
  pattern=${4:-./...}
else
  pattern=${3:-./...}
fi
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

echo "building upshift" >&2
(cd "$here" && go build -o "$work/upshift" ./cmd/upshift)

# converge: count the invocations each tool needs to reach a fixpoint. Each
# tool writes into its own copy; a round that leaves every file unchanged
# ends it (at most 6 rounds).
if [ "$mode" = converge ]; then
  rounds() {
    local name=$1; shift
    local copy="$work/copy-$name"
    cp -r "$dir" "$copy"
    local n=0 changed=0
    while [ "$n" -lt 6 ]; do
      local before after
      before=$(cd "$copy" && find . -name '*.go' -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
      (cd "$copy" && "$@" "$pattern" >/dev/null 2>"$work/$name.err") || true
      after=$(cd "$copy" && find . -name '*.go' -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
      n=$((n + 1))
      if [ "$before" = "$after" ]; then
        break
      fi
      changed=$((changed + 1))
      echo "$name: run $n changed files" >&2
    done
    echo "$name: $changed run(s) changed files; run $n changed nothing" \
      "$( [ "$changed" -ge 6 ] && echo '(gave up: not converged)')"
  }
  rounds go go fix
  rounds upshift "$work/upshift" fix -w
  exit 0
fi

# incremental: what a second upshift vet re-analyzes after one file changed.
if [ "$mode" = incremental ]; then
  copy="$work/copy"
  cp -r "$dir" "$copy"
  export GOCACHE="$work/cache-incremental"
  echo "first run (cold):" >&2
  (cd "$copy" && /usr/bin/time -f "%e s wall, %M KB peak" "$work/upshift" vet -v "$pattern" >/dev/null 2>"$work/first.err") || true
  grep -v '^upshift vet: analyzed ' "$work/first.err" | tail -2
  printf '\n// touched by bench-cost.sh\n' >>"$copy/$file"
  echo "after adding a comment to $file:" >&2
  (cd "$copy" && /usr/bin/time -f "%e s wall, %M KB peak" "$work/upshift" vet -v "$pattern" >/dev/null 2>"$work/second.err") || true
  tail -n +1 "$work/second.err" | grep -v '^Command exited'
  exit 0
fi

case "$mode" in
vet) gocmd=(go vet "$pattern"); upcmd=("$work/upshift" vet "$pattern") ;;
fix) gocmd=(go fix -diff "$pattern"); upcmd=("$work/upshift" fix -diff "$pattern") ;;
*) echo "bench-cost.sh: unknown mode $mode (vet or fix)" >&2; exit 2 ;;
esac

# measure NAME CMD...: runs CMD in the module with the tool's own GOCACHE
# (empty on its first run) and records "wall user sys maxrss_kb exit".
# maxrss is that of the largest single process (time(1) reports the
# largest of the command and its waited-for children).
measure() {
  local name=$1; shift
  local cache="$work/cache-${name%-*}"
  mkdir -p "$cache"
  echo "running $name: $*" >&2
  local rc=0
  (cd "$dir" && GOCACHE="$cache" /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" \
    "$@" >"$work/$name.out" 2>"$work/$name.err") || rc=$?
  # time(1) puts "Command exited with non-zero status N" before its line.
  echo "$(tail -n 1 "$work/$name.time") $rc" >"$work/$name.res"
}

measure go-cold "${gocmd[@]}"
measure upshift-cold "${upcmd[@]}"
# Warm runs are short and a shared machine makes one sample noisy: run
# each tool WARM_RUNS times (default 5), alternating, and keep the run
# with the median wall time.
runs=${WARM_RUNS:-5}
for i in $(seq "$runs"); do
  measure go-warm "${gocmd[@]}"; cat "$work/go-warm.res" >>"$work/go-warm.all"
  measure upshift-warm "${upcmd[@]}"; cat "$work/upshift-warm.res" >>"$work/upshift-warm.all"
done
for t in go upshift; do
  sort -n "$work/$t-warm.all" | sed -n "$(( (runs + 1) / 2 ))p" >"$work/$t-warm.res"
done

for run in upshift-cold upshift-warm; do
  read -r _ _ _ _ rc <"$work/$run.res"
  if [ "$rc" -ge 2 ]; then
    echo "upshift failed (exit $rc):" >&2; tail -20 "$work/$run.err" >&2; exit 2
  fi
done
read -r _ _ _ _ grc <"$work/go-cold.res"
if [ "$grc" -ge 2 ]; then
  echo "note: go $mode exited $grc; its last lines:" >&2; tail -5 "$work/go-cold.err" >&2
fi
if ! cmp -s "$work/upshift-cold.out" "$work/upshift-warm.out"; then
  echo "warning: upshift's cold and warm outputs differ" >&2
fi
findings=$(grep -c . "$work/upshift-warm.out" || true)
echo "module: $dir ($pattern); upshift output lines: $findings"
printf "%-22s %9s %9s %10s %5s\n" "run" "wall s" "cpu s" "maxrss MB" "exit"
for run in go-cold upshift-cold go-warm upshift-warm; do
  read -r w u s m rc <"$work/$run.res"
  label="${run%-*} $mode (${run#*-})"
  [ "${run#*-}" = warm ] && label="$label*"
  awk -v l="$label" -v w="$w" -v u="$u" -v s="$s" -v m="$m" -v rc="$rc" \
    'BEGIN { printf "%-22s %9.2f %9.2f %10.0f %5d\n", l, w, u+s, m/1024, rc }'
done
echo "* median of $runs warm runs by wall time"
for phase in cold warm; do
  read -r gw gu gs gm _ <"$work/go-$phase.res"
  read -r uw uu us um _ <"$work/upshift-$phase.res"
  awk -v p="$phase" -v gw="$gw" -v gu="$gu" -v gs="$gs" -v gm="$gm" -v uw="$uw" -v uu="$uu" -v us="$us" -v um="$um" \
    'BEGIN { printf "ratio upshift/go, %s: wall %.2fx, cpu %.2fx, peak memory %.2fx\n", p, uw/gw, (uu+us)/(gu+gs), um/gm }'
done
