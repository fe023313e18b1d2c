#!/bin/sh
# Runs libFuzzer harnesses of a fuzz build one at a time, each for a bounded
# time, and prints one line for each:
#   tests/fuzz/run.sh BUILD_DIR SECONDS [NAME...]   (default: every harness)
# Each starts from its seeds (tests/fuzz/corpus/NAME), its regressions and
# what earlier runs found; new inputs go to BUILD_DIR/fuzz-corpus/NAME, never
# into the repository. A crash, a failed check, a leak or an input slower
# than 10 s is a finding: it is written to BUILD_DIR/fuzz-findings/NAME/ and
# the script exits non-zero once every harness has run.
set -u
build=$1
seconds=$2
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -gt 0 ] || set -- $(cd "$root/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
# UBSan only reports and goes on unless told to stop, and libFuzzer would
# not count what it reports.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

found=0
for name; do
	corpus=$build/fuzz-corpus/$name
	findings=$build/fuzz-findings/$name
	log=$findings.log
	mkdir -p "$corpus" "$findings"
	seeds="$root/tests/fuzz/corpus/$name"
	[ -d "$root/tests/fuzz/regressions/$name" ] && seeds="$seeds $root/tests/fuzz/regressions/$name"
	# the words of its input language, when it has a dictionary
	dict=""
	[ -f "$root/tests/fuzz/$name.dict" ] && dict="-dict=$root/tests/fuzz/$name.dict"
	# shellcheck disable=SC2086 # seeds is a list of directories, dict empty or one flag
	"$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" $dict \
		"$corpus" $seeds >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	if [ "$rc" -eq 0 ]; then
		printf 'fuzz_%-10s ok     %9s runs %7s/s  coverage %5s  corpus %s\n' "$name" "${runs:-?}" \
			"${speed:-?}" "${cov:-?}" "$(ls "$corpus" | wc -l)"
	else
		found=1
		what=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -1)
		printf 'fuzz_%-10s FOUND  %s (log: %s)\n' "$name" "${what:-no input written, see the log}" "$log"
	fi
done
exit $found
