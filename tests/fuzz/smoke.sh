#!/bin/sh
# Short libFuzzer run of fuzz_decode over the malformed-file corpus.
#   tests/fuzz/smoke.sh PATH/TO/fuzz_decode [SECONDS=45] [CORPUS=tests/data/malformed]
# Builds nothing. New inputs and crash artifacts go to a temporary directory,
# never into the source tree. Exits non-zero if the fuzzer finds a crash,
# leak, timeout or out-of-memory; the reproducer is kept and its path printed.
set -u
fuzzer=${1:?usage: smoke.sh FUZZER [SECONDS] [CORPUS]}
seconds=${2:-45}
here=$(cd "$(dirname "$0")" && pwd)
corpus=${3:-$here/../data/malformed}

[ -x "$fuzzer" ] || { echo "smoke.sh: $fuzzer is not an executable (build it with CALSTUDIO_FUZZ=ON)" >&2; exit 2; }
[ -d "$corpus" ] || { echo "smoke.sh: no corpus at $corpus" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/calstudio-fuzz.XXXXXX")
mkdir -p "$work/corpus" "$work/artifacts"
: "${LSAN_OPTIONS:=suppressions=$here/../lsan.supp:print_suppressions=0}"
export LSAN_OPTIONS
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

"$fuzzer" \
    -max_total_time="$seconds" \
    -max_len=2097152 \
    -rss_limit_mb=2048 \
    -timeout=20 \
    -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$corpus" >"$work/log" 2>&1
rc=$?

grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb)' "$work/log"
if [ "$rc" -ne 0 ] || ls "$work/artifacts/"* >/dev/null 2>&1; then
    echo "smoke.sh: FAILED (exit $rc). Log: $work/log" >&2
    grep -E 'ERROR|SUMMARY|Test unit written' "$work/log" >&2
    exit 1
fi
echo "smoke.sh: no crash in ${seconds}s"
rm -rf "$work"
exit 0
