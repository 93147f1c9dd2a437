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

# --- Previews and print files (issue 6) -------------------------------------------
# The workload of ../shared/bench (see its README): 12 masters of 4096² PNG made by
# its make_masters.py, the astronaut (tests/data/faces) pasted into 8 of them →
# 36 previews (2:3, 3:2, 1:1 at 800 px, JPEG) + 12 print files 2400×3600 saved as
# JPEG q95 and as PNG. Making the masters is not timed. Then, in one run and in
# rounds (every command once per round, so all share the machine's state): the
# reference Python pipeline (per-master and per-output detection), the libvips
# CLI, the decode-only floor and ours (bench_render: decode once, YuNet on a
# 1024 px copy, SmartCrop, Renderer), each under GNU time -v. Prints the median
# wall time, CPU time (user + system) and peak RSS of each, then the ratios.
#   RENDER_RUNS=3        rounds (default 1; the reference pipelines take ~2 min a round)
#   RENDER_DATA=DIR      keep the masters there and reuse them (default: a temporary folder)
#   SHARED_BENCH=DIR     the reference scripts (default: ../shared/bench beside the repository)
echo "== render: 12 masters of 4096² PNG → 36 previews + 12 print files (JPEG q95 + PNG) =="
shared_bench=${SHARED_BENCH:-$root/../shared/bench}
render_data=${RENDER_DATA:-$work/render-data}
render_runs=${RENDER_RUNS:-1}
render_tool="$build/tests/bench/bench_render"
python=/usr/bin/python3 # Debian's: a pyenv/venv python may lack Pillow and OpenCV
missing=()
for p in python3-pil python3-opencv python3-numpy opencv-data libvips-tools time hyperfine; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
    echo "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
    missing=()
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "skipped: needs apt-get install ${missing[*]}"
elif [ ! -x "$render_tool" ] || [ ! -f "$shared_bench/make_masters.py" ]; then
    echo "skipped: needs $render_tool (cmake --build … --target bench_render) and $shared_bench"
else
    export BENCH_DATA=$render_data
    if [ "$(ls "$render_data"/masters/master_*.png 2>/dev/null | wc -l)" -ne 12 ]; then
        mkdir -p "$work/faces" && cp "$root/tests/data/faces/astronaut.png" "$work/faces/"
        echo "making the masters (not timed, about 2 minutes)…"
        FACES_DIR="$work/faces" "$python" "$shared_bench/make_masters.py" >/dev/null
    fi
    du -sm "$render_data/masters" | awk '{printf "masters: 12 PNG, %d MB, in %s\n", $1, "'"$render_data/masters"'"}'
    : >"$work/render-times"
    render_measure() { # key command… → "key wall cpu rssMB" appended to render-times
        local key=$1
        shift
        if ! /usr/bin/time -v -o "$work/render-time" "$@" >"$work/render-out" 2>&1; then
            echo "$key failed:" && tail -5 "$work/render-out"
            return 0
        fi
        if [ "$key" = ours ] || [ "$key" = ours-sharpen ]; then
            grep -E '^(stage|sampled)' "$work/render-out" | sed "s/^/    $key: /" || true
        fi
        awk -v key="$key" '
            /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
            /User time/ { u = $NF }
            /System time/ { s = $NF }
            /Maximum resident set size/ { m = $NF }
            END { printf "%s %.2f %.2f %.1f\n", key, w, u + s, m / 1024 }' "$work/render-time" >>"$work/render-times"
    }
    for round in $(seq "$render_runs"); do
        echo "round $round of $render_runs (load average $(cut -d' ' -f1-3 /proc/loadavg))"
        render_measure floor "$shared_bench/decode_floor.sh" vips-avg
        render_measure floor-pillow env PYTHON="$python" "$shared_bench/decode_floor.sh" pillow
        render_measure ours "$render_tool" "$render_data/masters" "$render_data/out/ours" --no-sharpen
        render_measure ours-sharpen "$render_tool" "$render_data/masters" "$render_data/out/ours"
        render_measure ours-previews "$render_tool" "$render_data/masters" "$render_data/out/ours" --only previews
        render_measure vips "$shared_bench/vips_pipeline.sh" attention
        render_measure vips-previews "$shared_bench/vips_pipeline.sh" attention previews
        render_measure seed "$python" "$shared_bench/seed_pipeline.py" --detect per-master
        render_measure seed-per-output "$python" "$shared_bench/seed_pipeline.py" --detect per-output
    done
    # Medians per command (each column on its own), then the table and the targets.
    sort -k1,1 -k2,2n "$work/render-times" | awk '
        { key[NR] = $1; w[$1] = w[$1] " " $2; c[$1] = c[$1] " " $3; r[$1] = r[$1] " " $4; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
        function median(list,   a, k, i, j, t) {
            k = split(list, a, " ")
            for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
            return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
        }
        function largest(list,   a, k, i, m) { k = split(list, a, " "); m = a[1]; for (i = 2; i <= k; i++) if (a[i] + 0 > m + 0) m = a[i]; return m }
        END { for (i = 1; i <= n; i++) printf "%s %s %s %s %s\n", order[i], median(w[order[i]]), median(c[order[i]]), median(r[order[i]]), largest(r[order[i]]) }' \
        >"$work/render-medians"
    awk -v runs="$render_runs" '
        BEGIN {
            what["floor"] = "decode floor: vips avg ×12 (12 processes)"
            what["floor-pillow"] = "decode floor: Pillow load ×12 (1 process)"
            what["ours"] = "ours: bench_render, all outputs, no sharpening"
            what["ours-sharpen"] = "ours: same + print sharpening"
            what["ours-previews"] = "ours: 36 previews only"
            what["vips"] = "libvips CLI, attention (48 decodes)"
            what["vips-previews"] = "libvips CLI, 36 previews only"
            what["seed"] = "reference, --detect per-master"
            what["seed-per-output"] = "reference, --detect per-output"
        }
        { w[$1] = $2; c[$1] = $3; r[$1] = $4; top[$1] = $5; keys[++n] = $1 }
        END {
            printf "%-48s %9s %9s %10s %10s   (median of %d; MB = 2^20 bytes)\n", "command", "wall s", "cpu s", "peak MB", "worst MB", runs
            for (i = 1; i <= n; i++) printf "%-48s %9.2f %9.2f %10.1f %10.1f\n", what[keys[i]], w[keys[i]], c[keys[i]], r[keys[i]], top[keys[i]]
            if (!("ours" in w)) exit
            verdict = "reference per-master / ours (wall; target >= 3)"
            printf "%-56s %6.2f  %s\n", verdict, w["seed"] / w["ours"], (w["seed"] / w["ours"] >= 3 ? "met" : "MISSED")
            printf "%-56s %6.2f\n", "reference per-output / ours (wall)", w["seed-per-output"] / w["ours"]
            printf "%-56s %6.2f  %s\n", "libvips CLI / ours (wall; target > 1)", w["vips"] / w["ours"], (w["vips"] / w["ours"] > 1 ? "met" : "MISSED")
            printf "%-56s %6.2f\n", "reference per-master / ours with sharpening (wall)", w["seed"] / w["ours-sharpen"]
            printf "%-56s %6.2f  %s\n", "ours previews / decode floor (wall; target <= 1.5)", w["ours-previews"] / w["floor"], (w["ours-previews"] / w["floor"] <= 1.5 ? "met" : "MISSED")
            printf "%-56s %6.2f\n", "ours previews / Pillow decode floor (wall)", w["ours-previews"] / w["floor-pillow"]
            printf "%-56s %6.2f\n", "libvips CLI previews / decode floor (wall)", w["vips-previews"] / w["floor"]
            printf "%-56s %6.2f\n", "reference per-master / ours (cpu)", c["seed"] / c["ours"]
            peak = (r["ours"] > r["ours-sharpen"]) ? r["ours"] : r["ours-sharpen"]
            worst = (top["ours"] > top["ours-sharpen"]) ? top["ours"] : top["ours-sharpen"]
            printf "%-56s %6.1f  %s (worst run %.1f)\n", "ours peak RSS, median MB (target < 300)", peak, (peak < 300 ? "met" : "MISSED"), worst
        }' "$work/render-medians"
    echo "(peak RSS of the shell scripts is that of their largest single process; outputs in $render_data/out)"
    # After a crop edit the studio's preview must be back in under 100 ms (master kept open).
    "$render_tool" "$render_data/masters" "$render_data/out/ours" --crop-edit 2>/dev/null || echo "crop edit: failed"
fi
