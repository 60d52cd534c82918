#!/usr/bin/env bash
# bench.sh: what `make bench` prints. The wall time and peak RSS of `make test`
# cold (an empty GOCACHE in a temp dir) and warm (the second run on that cache),
# the wall time of a warm `make plan STACK=prod`, and the dev and prod deploy
# time estimates. A benchmark of this machine, not a test: it never fails on a
# figure, only when a command fails.
#
# BENCH_COLD=0 skips the cold run (minutes of every core on a fresh cache); the
# warm runs then use the GOCACHE already in place.
# Peak RSS is /usr/bin/time's "Maximum resident set size": the largest single
# process of the run (the compiler, the linker or a test binary), not a sum.
set -Eeuo pipefail

make_cmd=${MAKE:-make}
cold=${BENCH_COLD:-1}
logs=build/bench
mkdir -p -- "$logs"

if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time not found (apt-get install -y time)" >&2
	exit 1
fi

# measure NAME CMD... runs CMD under /usr/bin/time -v with its output in
# $logs/NAME.log and sets wall (seconds) and rss (peak MB). It runs in this shell,
# not a command substitution, so that a failure ends the bench.
wall="" rss=""
measure() {
	local name=$1
	shift
	if ! /usr/bin/time -v -o "$logs/$name.time" "$@" >"$logs/$name.log" 2>&1; then
		echo "bench: $name failed; last lines of $logs/$name.log:" >&2
		tail -n 30 -- "$logs/$name.log" >&2
		exit 1
	fi
	# "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.03"
	wall=$(sed -n 's/.*Elapsed (wall clock).*: \([0-9:.]*\)$/\1/p' "$logs/$name.time" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$logs/$name.time" |
		awk '{ printf "%.0f", $1 / 1024 }')
}

# row LABEL prints the last measurement.
row() {
	printf '%-34s %8s s   peak RSS %6s MB\n' "$1" "$wall" "$rss"
}

# total STACK prints the "Total:" line of the stack's deploy time estimate.
total() {
	sed -n 's/^ *Total: \([0-9.]* min\).*/\1/p' "$logs/plan-$1.log"
}

echo "make bench: $(uname -n), $(nproc) cores, $("${GO:-go}" version | cut -d' ' -f3), $(date -u +%Y-%m-%dT%H:%MZ)"

if [ "$cold" != 0 ]; then
	cache=$(mktemp -d)
	trap 'rm -rf -- "$cache"' EXIT
	export GOCACHE="$cache" # the plan runs below use it too
	measure test-cold "$make_cmd" --no-print-directory test
	row "make test (cold GOCACHE)"
	measure test-warm "$make_cmd" --no-print-directory test
	row "make test (warm, second run)"
else
	printf '%-34s %s\n' "make test (cold GOCACHE)" "skipped (BENCH_COLD=0)"
	measure test-warm "$make_cmd" --no-print-directory test
	row "make test (warm, existing cache)"
fi

# A first plan run builds the plan binary and the arm64 ops function into the
# cache (make test builds neither); the second one is the warm figure.
measure plan-dev "$make_cmd" --no-print-directory plan STACK=dev
measure plan-prod-first "$make_cmd" --no-print-directory plan STACK=prod
measure plan-prod "$make_cmd" --no-print-directory plan STACK=prod
row "make plan STACK=prod (warm)"

printf '%-34s %8s\n' "deploy estimate dev" "$(total dev)"
printf '%-34s %8s\n' "deploy estimate prod" "$(total prod)"
