#!/usr/bin/env bash
# Runs the benchmarks and prints their figures (copy them into docs/BENCHMARKS.md).
#   tests/bench/run.sh [build dir, default build/ci]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/ci}
[ -x "$build/app/cli/calstudio-cli" ] || { echo "build first: scripts/test.sh (or cmake --build --preset ci)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
cli="$build/app/cli/calstudio-cli"
work=$(mktemp -d)
sandbox_pid=
trap '[ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null; rm -rf "$work"' EXIT

# --- Opening a large project --------------------------------------------------
# 12 masters + 48 candidates of 25 MB each (1.5 GB). Opening and summarising it
# (settings, months, counts, masters) must not read image bytes.
echo "== project open: 12 masters + 48 candidates of 25 MB =="
"$build/tests/bench/bench_makeproject" "$work/big.calstudio" 25 2>/dev/null
"$cli" project new "$work/empty.calstudio" >/dev/null
ls -l "$work/big.calstudio" | awk '{printf "file size: %.0f MB\n", $5/1048576}'

measure() { # name file
    local best=999999 rss=0
    for i in 1 2 3 4 5; do
        t0=$(date +%s%N)
        /usr/bin/time -f "%M" -o "$work/t" "$cli" project info "$2" >/dev/null
        t1=$(date +%s%N)
        ms=$(( (t1 - t0) / 1000000 ))
        [ "$ms" -lt "$best" ] && best=$ms
        rss=$(cat "$work/t")
    done
    printf "%-16s calstudio-cli project info: best wall %3d ms, peak RSS %5.1f MB (whole process, best of 5)\n" \
        "$1" "$best" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
}
measure "empty project" "$work/empty.calstudio"
measure "1.5 GB project" "$work/big.calstudio"
"$build/tests/bench/bench_makeproject" --open "$work/empty.calstudio" 2>/dev/null | sed 's/^/empty project:  /'
"$build/tests/bench/bench_makeproject" --open "$work/big.calstudio" 2>/dev/null | sed 's/^/1.5 GB project: /'

# --- Drawing calendar pages (PageComposer via calstudio-cli pages) -------------
echo "== pages: cover + 12 months, PNG, including encoding =="
"$cli" project new "$work/pages.calstudio" --year 2027 --start-month 7 --locale de_DE --holiday-region DE >/dev/null
for size in 900x1165 2550x3300; do
    t0=$(date +%s%N)
    "$cli" pages "$work/pages.calstudio" --out "$work/pages-$size" --size "$size" >/dev/null 2>&1
    t1=$(date +%s%N)
    printf "%-10s %5d ms for 13 pages (%d ms a page)\n" "$size" $(( (t1 - t0) / 1000000 )) $(( (t1 - t0) / 13000000 ))
done

# --- Importing selfies (issue 4) ------------------------------------------------
echo "== import: 20 photos of 12 MP through SelfieImporter =="
"$build/tests/bench/bench_import" 20 2>/dev/null

# --- Image-generation responses (issue 5) ---------------------------------------
# calstudio-sandbox runs in its own process (its memory is not counted) and answers
# with a noisy 4K PNG ("huge" fault, ≈19 MB): Gemini and OpenAI as base64 inside the
# JSON (25 MB / 13 MB answers), Replicate and fal.ai as a file downloaded by URL.
# `ui`: UI-thread stall per provider (warm-up + 5 runs each), then what storing the Gemini
# image costs the thread that does it (addCandidate, master build, addMaster); `session`:
# the studio's whole path with the heartbeat running; `memory`: peak RSS
# with 4 Gemini 4K answers in flight at once (3 runs, then once with 4 parse threads).
echo "== generation: 4K answers (UI-thread stall per provider, storing, 4 at once) =="
# Wall-time stalls grow when the two cores are busy elsewhere; the CPU time the UI thread used does not.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/app/sandbox/calstudio-sandbox" --port 0 --fault gemini:huge,count=-1 --fault openai:huge,count=-1 \
    --fault replicate:huge,count=-1 --fault fal:huge,count=-1 \
    >"$work/sandbox.out" 2>/dev/null &
sandbox_pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$work/sandbox.out" && break; sleep 0.1; done
base_url=$(sed -n 's/^listening on //p' "$work/sandbox.out")
[ -n "$base_url" ] || { echo "calstudio-sandbox did not start" >&2; exit 1; }
(cd "$work" && "$build/tests/bench/bench_generation" ui "$base_url" 5 2>/dev/null)
# The studio's whole path: answers stored by a worker, masters built off the UI thread, rows on it.
(cd "$work" && "$build/tests/bench/bench_generation" session "$base_url" 4 2>/dev/null)
for run in 1 2 3; do
    printf "run %d: " "$run"
    "$build/tests/bench/bench_generation" memory "$base_url" 4 2>/dev/null
done
# As on a machine with 4 or more cores: all four answers parsed at the same time.
printf "4 parse threads: "
"$build/tests/bench/bench_generation" memory "$base_url" 4 gemini 4 2>/dev/null
kill "$sandbox_pid" && wait "$sandbox_pid" 2>/dev/null || true
sandbox_pid=
