#!/usr/bin/env bash
# bench-self.sh compares `upshift vet` (or `upshift fix -diff`) built at two
# revisions of upshift on one module: wall time, CPU time and peak RSS,
# runs alternating between the two builds so that both see the same
# machine load and the same (warm) build cache.
#
#   scripts/bench-self.sh BASE_REV MODULE_DIR [RUNS] [vet|fix] [PATTERN]
#
# BASE_REV is built from a temporary git worktree; the other side is the
# current work tree. The module's dependencies must be in the module cache
# (go mod download). Prints every run and the medians per side.
set -euo pipefail
base=${1:?usage: bench-self.sh BASE_REV MODULE_DIR [RUNS] [vet|fix] [PATTERN]}
dir=$(cd "${2:?usage: bench-self.sh BASE_REV MODULE_DIR [RUNS] [vet|fix] [PATTERN]}" && pwd)
runs=${3:-3}
mode=${4:-vet}
pattern=${5:-./...}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git -C "$here" worktree add -q -d "$work/base" "$base"
(cd "$work/base" && go build -o "$work/upshift-base" ./cmd/upshift)
(cd "$here" && go build -o "$work/upshift-head" ./cmd/upshift)
case "$mode" in
vet) args=(vet "$pattern") ;;
fix) args=(fix -diff "$pattern") ;;
*) echo "bench-self.sh: unknown mode $mode (vet or fix)" >&2; exit 2 ;;
esac

# One untimed run per side first: the go command's caches (go list, export
# data) are then warm for both, as on a developer's machine.
for side in base head; do
  (cd "$dir" && "$work/upshift-$side" "${args[@]}" >/dev/null 2>&1) || true
done
printf '%-5s %4s %8s %8s %9s\n' side run wall_s cpu_s peak_MB
for i in $(seq "$runs"); do
  for side in base head; do
    (cd "$dir" && /usr/bin/time -f '%e %U %S %M' -o "$work/t" "$work/upshift-$side" "${args[@]}" >/dev/null 2>&1) || true
    # time(1) writes "Command exited with non-zero status 1" first when
    # upshift reports findings; the numbers are on the last line.
    read -r wall user sys rss < <(tail -n 1 "$work/t")
    cpu=$(echo "$user + $sys" | bc)
    printf '%-5s %4d %8.1f %8.1f %9d\n' "$side" "$i" "$wall" "$cpu" "$((rss / 1024))" | tee -a "$work/$side.runs"
  done
done
echo "medians:"
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for side in base head; do
  f="$work/$side.runs"
  echo "$side wall $(awk '{print $3}' "$f" | median) s  cpu $(awk '{print $4}' "$f" | median) s  peak $(awk '{print $5}' "$f" | median) MB"
done
