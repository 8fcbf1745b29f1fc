#!/usr/bin/env bash
# bench-cost.sh compares upshift's cost with the go command's on one real
# module, each tool run with its own empty build cache (cold), in one run.
#
#   scripts/bench-cost.sh vet MODULE_DIR [PATTERN]   # upshift vet  vs go vet
#   scripts/bench-cost.sh fix MODULE_DIR [PATTERN]   # upshift fix -diff vs go fix -diff
#   scripts/bench-cost.sh converge MODULE_DIR [PATTERN]
#       # on two throwaway copies of the module: how many runs of `go fix`
#       # and of `upshift fix -w` it takes until a run changes nothing
#
# The module's dependencies must already be in the module cache
# (go mod download): downloads are not what is measured. Prints wall time,
# CPU time and peak RSS of each tool and the upshift/go ratios.
set -euo pipefail
mode=${1:?usage: bench-cost.sh vet|fix|converge MODULE_DIR [PATTERN]}
dir=$(cd "${2:?usage: bench-cost.sh vet|fix|converge MODULE_DIR [PATTERN]}" && pwd)
pattern=${3:-./...}
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

case "$mode" in
vet) gocmd=(go vet "$pattern"); upcmd=("$work/upshift" vet "$pattern") ;;
fix) gocmd=(go fix -diff "$pattern"); upcmd=("$work/upshift" fix -diff "$pattern") ;;
*) echo "bench-cost.sh: unknown mode $mode (vet or fix)" >&2; exit 2 ;;
esac

# measure NAME CMD...: runs CMD in the module with an empty GOCACHE and
# records "wall user sys maxrss_kb exit".
measure() {
  local name=$1; shift
  local cache="$work/cache-$name"
  mkdir -p "$cache"
  echo "running $name: $*" >&2
  local rc=0
  (cd "$dir" && GOCACHE="$cache" /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" \
    "$@" >"$work/$name.out" 2>"$work/$name.err") || rc=$?
  # time(1) puts "Command exited with non-zero status N" before its line.
  echo "$(tail -n 1 "$work/$name.time") $rc" >"$work/$name.res"
}

measure go "${gocmd[@]}"
measure upshift "${upcmd[@]}"

read -r gw gu gs gm grc <"$work/go.res"
read -r uw uu us um urc <"$work/upshift.res"
if [ "$urc" -ge 2 ]; then
  echo "upshift failed (exit $urc):" >&2; tail -20 "$work/upshift.err" >&2; exit 2
fi
if [ "$grc" -ge 2 ]; then
  echo "note: go $mode exited $grc; its last lines:" >&2; tail -5 "$work/go.err" >&2
fi
findings=$(grep -c . "$work/upshift.out" || true)
awk -v mode="$mode" -v pat="$pattern" -v dir="$dir" \
    -v gw="$gw" -v gu="$gu" -v gs="$gs" -v gm="$gm" -v grc="$grc" \
    -v uw="$uw" -v uu="$uu" -v us="$us" -v um="$um" -v urc="$urc" -v n="$findings" 'BEGIN {
  printf "module: %s (%s), cold build cache per tool\n", dir, pat
  printf "%-16s %9s %9s %10s %5s\n", "tool", "wall s", "cpu s", "maxrss MB", "exit"
  printf "%-16s %9.1f %9.1f %10.0f %5d\n", "go " mode, gw, gu+gs, gm/1024, grc
  printf "%-16s %9.1f %9.1f %10.0f %5d\n", "upshift " mode, uw, uu+us, um/1024, urc
  printf "ratio upshift/go: wall %.2fx, cpu %.2fx (upshift output lines: %d)\n", uw/gw, (uu+us)/(gu+gs), n
}'
