#!/usr/bin/env bash
# Companion server benchmark (issue 7; figures in docs/BENCHMARKS.md, "Companion server").
# Not run by ctest. In ONE run, side by side on loopback, each measured with
# `wrk -t2 -c32 -d10s --latency` (server and load share this machine's cores):
#   ours-get        calstudio-companion, GET /v1/orders/{id} of a paid order (token checked, history)
#   flask-get       the peer of ../shared/bench/companion (Flask under gunicorn -w 2, SQLite), the same call
#   ours-hook-dup   signed POST /v1/webhooks/stripe, one real checkout.session.completed event sent
#                   again and again (verified, found recorded: the duplicate path)
#   ours-hook-new   the same event with a new id per request (pre-signed, rotated by a wrk Lua script):
#                   verified, recorded, then processed on the worker pool
#   nginx-static    nginx serving the peer's JSON as a static file (a ceiling for a loopback JSON GET)
# then the companion's memory (VmRSS/VmHWM from /proc) while 20 clients upload a 5 MB print file each
# at once (20 parallel curl PUTs to 20 orders, straight to the companion). Each line also gives the
# server's CPU time per answered request (all its processes), which moves less with other load on the
# machine than req/s does, and each round the sync-write latency of the data directory's disk (what a
# newly recorded webhook event waits for). The ours/flask ratio is taken within each round.
# The environment is passed on, e.g. MALLOC_MMAP_THRESHOLD_=1048576 to try a glibc setting.
#
#   tests/bench/companion.sh [build dir, default build/ci]
#   BENCH_RUNS=3          rounds; every measurement once per round (default 3)
#   BENCH_DURATION=10s    wrk duration per measurement
#   COMPANION_WORKERS=8   the companion's worker_threads (its default)
#   BENCH_EVENTS=60000    distinct pre-signed events per round for ours-hook-new (wrk says WRAPPED if too few)
#   SHARED_BENCH=DIR      default ../shared/bench beside the repository
# Installs wrk, python3-flask, gunicorn and nginx-light when missing (as root).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/ci}
companion=$build/app/companion/calstudio-companion
sandbox=$build/app/sandbox/calstudio-sandbox
shared=${SHARED_BENCH:-$root/../shared/bench}/companion
runs=${BENCH_RUNS:-3}
duration=${BENCH_DURATION:-10s}
workers=${COMPANION_WORKERS:-8}
events=${BENCH_EVENTS:-60000}
for exe in "$companion" "$sandbox"; do
    [ -x "$exe" ] || { echo "build first: cmake --build $build --target calstudio-companion calstudio-sandbox" >&2; exit 1; }
done
[ -f "$shared/peer_flask.py" ] || { echo "needs the peer in $shared (SHARED_BENCH=…)" >&2; exit 1; }

missing=()
for p in wrk python3-flask gunicorn nginx-light curl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { echo "needs: apt-get install ${missing[*]}" >&2; exit 1; }
    echo "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
python=/usr/bin/python3 # Debian's, with Flask
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d "${TMPDIR:-/tmp}/calstudio-bench-companion.XXXXXX")
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # file sed-expression → first match, waiting up to 10 s
    local v
    for _ in $(seq 100); do
        v=$(sed -n "$2" "$1" 2>/dev/null | head -1)
        [ -n "$v" ] && { echo "$v"; return 0; }
        sleep 0.1
    done
    echo "timed out waiting for $2 in $1:" >&2
    cat "$1" >&2
    return 1
}
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" | head -1; }

echo "== companion benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   wrk -t2 -c32 -d$duration --latency; $runs round(s); companion worker_threads $workers; build $build"

# --- Stripe sandbox, companion ---------------------------------------------------------
"$sandbox" --port 0 >"$work/sandbox.out" 2>"$work/sandbox.err" &
pids+=($!)
sandbox_url=$(wait_for "$work/sandbox.out" 's/^listening on //p')
secret=whsec_bench_companion_secret
"$python" - "$work/companion.json" "$work/data" "$sandbox_url" "$secret" "$workers" <<'PY'
import json, sys
out, data, stripe, secret, workers = sys.argv[1:6]
months = ["front_cover", "january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
def fmt(fid, w, h, trim_w, trim_h, dpi):
    return {"id": fid, "title": fid, "trim_width_in": trim_w, "trim_height_in": trim_h, "bleed_in": 0.125,
            "safe_margin_in": 0.125, "binding_edge": "top", "binding_depth_in": 0.25, "dpi": dpi,
            "positions": [{"id": m, "page": i, "width": w, "height": h} for i, m in enumerate(months)]}
def entry(f, name):
    return {"format": f, "product_name": name, "price": {"amount": 2999, "currency": "usd"},
            "shipping": [{"id": "standard", "display_name": "Standard", "amount": 699}], "countries": ["US", "DE"]}
json.dump({
    "listen": "127.0.0.1:0", "data_dir": data,
    "stripe": {"secret_key": "sk_test_sandbox", "webhook_secrets": [secret], "api_base": stripe},
    "admin_token": "bench-admin-token-0123456789abcdef0123456789",
    "limits": {"orders_per_minute_per_ip": 10000, "checkouts_per_minute_per_ip": 10000},
    "worker_threads": int(workers),
    "formats": [
        # 170 × 130 px positions (4 × 3 in + bleed at 40 px/in): quick print files for the paid order
        entry(fmt("mini", 170, 130, 4.0, 3.0, 72), "Mini calendar"),
        # 1620 × 1260 px positions (11 × 8.5 in + bleed at 144 px/in): 5 MB print files
        entry(fmt("big", 1620, 1260, 11.0, 8.5, 144), "Big calendar"),
    ]}, open(out, "w"))
PY
"$companion" --config "$work/companion.json" 2>"$work/companion.log" >/dev/null &
companion_pid=$!
pids+=($companion_pid)
port=$(wait_for "$work/companion.log" 's/.*"event":"listening".*"port":\([0-9]*\).*/\1/p')
base=http://127.0.0.1:$port
curl -sf -X POST -H 'Content-Type: application/json' \
    -d "{\"url\":\"$base/v1/webhooks/stripe\",\"secret\":\"$secret\"}" "$sandbox_url/_sandbox/stripe/webhook" >/dev/null

# --- print files ------------------------------------------------------------------------
# mini.png: 170 × 130; big-N.png: 1620 × 1260 RGB, noise in the first 1029 rows and flat below, so each is
# 5.0 MB (zlib level 1) and differs from the others (the file store is content-addressed).
"$python" - "$work" <<'PY'
import os, struct, sys, zlib
def png(path, w, h, noisy_rows, seed):
    rows = []
    flat = bytes([0]) + bytes([(seed * 37) % 256, 128, 200]) * w
    for y in range(h):
        rows.append(b"\0" + os.urandom(3 * w) if y < noisy_rows else flat)
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(b"".join(rows), 1)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)
png(os.path.join(sys.argv[1], "mini.png"), 170, 130, 0, 1)
for n in range(20):
    png(os.path.join(sys.argv[1], "big-%d.png" % n), 1620, 1260, 1029, n)
PY
ls -l "$work/big-0.png" | awk '{printf "upload file: 1620 × 1260 PNG, %.2f MB (%d bytes)\n", $5 / 1e6, $5}'

# --- a paid order with its history, through the API and the sandbox ----------------------
create() { # format → "id token"
    local r
    r=$(curl -sf -X POST -H 'Content-Type: application/json' \
        -d "{\"format\":\"$1\",\"title\":\"Bench\",\"quantity\":1,\"client_reference\":\"bench\"}" "$base/v1/orders")
    echo "$(grep -o '"id":"ord_[^"]*"' <<<"$r" | head -1 | cut -d'"' -f4) $(field token <<<"$r")"
}
read -r order token < <(create mini)
for pos in front_cover january february march april may june july august september october november december; do
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: image/png' \
        --data-binary "@$work/mini.png" "$base/v1/orders/$order/files/$pos"
done
session=$(curl -sf -X POST -H "Authorization: Bearer $token" "$base/v1/orders/$order/checkout" | field checkout_url | sed 's#.*/c/pay/##')
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"payment_status":"paid","email":"bench@example.com","name":"Bench Customer","address":{"line1":"1 Main St","city":"Springfield","postal_code":"12345","state":"IL","country":"US"}}' \
    "$sandbox_url/_sandbox/stripe/sessions/$session/complete"
for _ in $(seq 100); do
    curl -sf -H "Authorization: Bearer $token" "$base/v1/orders/$order" | grep -q '"status":"paid"' && break
    sleep 0.1
done
curl -sf -H "Authorization: Bearer $token" "$base/v1/orders/$order" >"$work/order.json"
grep -q '"status":"paid"' "$work/order.json" || { echo "the order did not become paid:"; cat "$work/order.json"; tail "$work/companion.log"; exit 1; }
echo "paid order $order: $(grep -o '"to":"[a-z_]*"' "$work/order.json" | cut -d'"' -f4 | paste -sd' ')," \
    "answer $(wc -c <"$work/order.json") bytes"
# The webhook event Stripe (the sandbox) sent for it: the body to replay.
curl -sf "$sandbox_url/_sandbox/stripe/events" >"$work/events.json"
"$python" - "$work/events.json" "$work/event.json" <<'PY'
import json, sys
events = json.load(open(sys.argv[1]))["events"]
body = [e for e in events if e.get("type") == "checkout.session.completed"][-1]["body"]
open(sys.argv[2], "w").write(body)
PY
echo "webhook body: checkout.session.completed, $(wc -c <"$work/event.json") bytes"

# sign.py OUT COUNT PREFIX: COUNT signed copies of the event ("<siglen> <bodylen>\n<sig><body>" each); with
# PREFIX each copy gets the event id PREFIX<n>, without it the copy is the event as Stripe sent it.
cat >"$work/sign.py" <<'PY'
import hashlib, hmac, json, sys, time
out, count, prefix, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].encode()
body = open(sys.argv[5]).read()
old_id = json.loads(body)["id"]
t = str(int(time.time()))
with open(out, "wb") as f:
    for n in range(count):
        b = (body.replace('"%s"' % old_id, '"%s%d"' % (prefix, n), 1) if prefix else body).encode()
        sig = ("t=%s,v1=%s" % (t, hmac.new(secret, t.encode() + b"." + b, hashlib.sha256).hexdigest())).encode()
        f.write(b"%d %d\n" % (len(sig), len(b)) + sig + b)
PY
# wrk: the requests are formatted once in init(); request() only hands out the next one. Thread k of n
# takes records k, k+n, … so no two threads send the same event.
cat >"$work/rotate.lua" <<'LUA'
local counter, threads = 0, {}
function setup(thread)
    thread:set("tid", counter)
    counter = counter + 1
    table.insert(threads, thread)
end
local records, n, i = {}, 0, 0
function init(args)
    local nthreads, file = tonumber(os.getenv("BENCH_THREADS")), os.getenv("BENCH_RECORDS")
    local f = assert(io.open(file, "rb"))
    local data = f:read("*a")
    f:close()
    local pos, k = 1, 0
    while pos <= #data do
        local _, e, siglen, bodylen = data:find("^(%d+) (%d+)\n", pos)
        siglen, bodylen = tonumber(siglen), tonumber(bodylen)
        if k % nthreads == tid % nthreads then
            n = n + 1
            records[n] = wrk.format("POST", nil, { ["Content-Type"] = "application/json",
                ["Stripe-Signature"] = data:sub(e + 1, e + siglen) }, data:sub(e + siglen + 1, e + siglen + bodylen))
        end
        k = k + 1
        pos = e + siglen + bodylen + 1
    end
    wrapped = 0
end
function request()
    i = i + 1
    if i > n then
        i = 1
        wrapped = wrapped + 1
    end
    return records[i]
end
function done()
    for _, t in ipairs(threads) do
        if t:get("wrapped") > 0 then io.write("WRAPPED: a thread ran out of distinct events\n") end
    end
end
LUA

# --- the Flask peer and the nginx ceiling ----------------------------------------------------
export PEER_DB=$work/peer_orders.db
(cd "$shared" && "$python" peer_flask.py)
flask_port=$(free_port)
gunicorn -w 2 -b "127.0.0.1:$flask_port" --chdir "$shared" peer_flask:app >"$work/gunicorn.log" 2>&1 &
gunicorn_pid=$!
pids+=($gunicorn_pid)
mkdir -p "$work/static/v1/orders"
chmod 755 "$work" "$work/static" "$work/static/v1" "$work/static/v1/orders"
printf '{"order_id":"ord7","status":"paid","amount":4999,"currency":"usd","history":[]}' >"$work/static/v1/orders/ord7"
static_port=$(free_port)
cat >"$work/nginx-static.conf" <<NG
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx-err.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:$static_port; root $work/static; default_type application/json; } }
NG
"$nginx_bin" -e "$work/nginx-err.log" -c "$work/nginx-static.conf" &
nginx_pid=$!
pids+=($nginx_pid)
for _ in $(seq 50); do
    curl -sf -o /dev/null -H 'Authorization: Bearer tok7' "http://127.0.0.1:$flask_port/v1/orders/ord7" &&
        curl -sf -o /dev/null "http://127.0.0.1:$static_port/v1/orders/ord7" && break
    sleep 0.2
done
gunicorn_pids="$gunicorn_pid $(pgrep -P "$gunicorn_pid" | tr '\n' ' ')"
nginx_pids="$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"
echo "flask peer answer $(curl -sf -H 'Authorization: Bearer tok7' "http://127.0.0.1:$flask_port/v1/orders/ord7" | wc -c) bytes"

# --- measurements ------------------------------------------------------------------------
: >"$work/results"
# Sync-write latency where the database lives: what each recorded webhook event waits for (SQLite WAL,
# synchronous=FULL). On a shared virtual disk it varies a lot with other I/O, so it is printed per round.
fsync_ms() {
    "$python" - "$work/data" <<'PY'
import os, statistics, sys, time
path = os.path.join(sys.argv[1], "fsync-probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_DSYNC, 0o600)
times = []
for _ in range(200):
    t = time.perf_counter(); os.pwrite(fd, b"x" * 4096, 0); times.append(time.perf_counter() - t)
os.close(fd); os.unlink(path)
print("%.2f" % (statistics.median(times) * 1000))
PY
}
to_ms() { awk '{ v = $1; if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0; else if (v ~ /s$/) printf "%.3f", v * 1000; else print "?" }'; }
cpu_ticks() { # pids… → their user + system CPU time so far, in clock ticks
    local p sum=0
    for p in "$@"; do sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done
    echo "$sum"
}
measure() { # key "server pids" wrk-args…
    local key=$1 server=$2
    shift 2
    local c0 c1
    c0=$(cpu_ticks $server)
    wrk -t2 -c32 -d"$duration" --latency "$@" >"$work/wrk.out" 2>&1 || true
    c1=$(cpu_ticks $server)
    local rps p50 p99 bad errors n cpu
    n=$(awk '/requests in/ { print $1 }' "$work/wrk.out")
    # server CPU (user + system, all its processes) per answered request, in µs
    cpu=$(awk -v d=$((c1 - c0)) -v n="${n:-0}" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (n > 0 ? d * 1e6 / hz / n : 0) }')
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.out")
    p50=$(awk '$1 == "50%" { print $2 }' "$work/wrk.out" | to_ms)
    p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.out" | to_ms)
    bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$work/wrk.out")
    errors=$(sed -n 's/.*Socket errors: //p' "$work/wrk.out")
    printf "%-14s %10s req/s   p50 %7s ms   p99 %8s ms   server CPU %4s µs/request%s%s\n" "$key" "${rps:-?}" "$p50" "$p99" "$cpu" \
        "${bad:+   non-2xx $bad}" "${errors:+   socket errors: $errors}"
    [ "$key" = ours-hook-dup ] || grep WRAPPED "$work/wrk.out" | head -1 || true
    echo "$key ${rps:-0} $p50 $p99 $cpu ${bad:-0} $round" >>"$work/results"
}
vm() { awk -v k="$2" '$1 == k":" { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
upload_memory() { # round
    local r=$1 orders=() tokens=() i
    for i in $(seq 0 19); do
        read -r orders[i] tokens[i] < <(create big)
    done
    local rss0 hwm0
    rss0=$(vm "$companion_pid" VmRSS)
    hwm0=$(vm "$companion_pid" VmHWM)
    echo 5 >"/proc/$companion_pid/clear_refs" # resets VmHWM to the current RSS (Linux ≥ 4.0)
    (while :; do vm "$companion_pid" VmRSS; echo; sleep 0.02; done) >"$work/rss-samples" 2>/dev/null &
    local sampler=$!
    local t0 t1
    t0=$(date +%s%N)
    local uploads=()
    for i in $(seq 0 19); do
        curl -s -o /dev/null -w '%{http_code}\n' -X PUT -H "Authorization: Bearer ${tokens[i]}" -H 'Content-Type: image/png' \
            -H 'Expect:' --data-binary "@$work/big-$i.png" "$base/v1/orders/${orders[i]}/files/front_cover" >"$work/put-$i" &
        uploads+=($!)
    done
    wait "${uploads[@]}" || true
    t1=$(date +%s%N)
    local hwm rss1 rss5 codes
    hwm=$(vm "$companion_pid" VmHWM)
    rss1=$(vm "$companion_pid" VmRSS)
    sleep 5
    rss5=$(vm "$companion_pid" VmRSS)
    kill "$sampler" 2>/dev/null
    wait "$sampler" 2>/dev/null || true
    codes=$(cat "$work"/put-* | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
    printf "upload round %d: 20 × 5.0 MB at once in %d ms (%s): RSS before %s MB (VmHWM so far %s), peak during %s MB, right after %s MB, 5 s later %s MB\n" \
        "$r" $(((t1 - t0) / 1000000)) "${codes% }" "$rss0" "$hwm0" "$hwm" "$rss1" "$rss5"
    echo "mem $rss0 $hwm $rss1 $rss5" >>"$work/results"
}

for r in $(seq "$runs"); do
    round=$r
    echo "-- round $r of $runs (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    echo "   fsync: $(fsync_ms) ms per 4 KiB O_DSYNC write in the data directory's file system (median of 200)"
    measure ours-get "$companion_pid" -H "Authorization: Bearer $token" "$base/v1/orders/$order"
    measure flask-get "$gunicorn_pids" -H 'Authorization: Bearer tok7' "http://127.0.0.1:$flask_port/v1/orders/ord7"
    # The same signed event every time (signed now: the tolerance is 300 s).
    "$python" "$work/sign.py" "$work/dup.rec" 1 "" "$secret" "$work/event.json"
    BENCH_THREADS=1 BENCH_RECORDS=$work/dup.rec measure ours-hook-dup "$companion_pid" -s "$work/rotate.lua" "$base/v1/webhooks/stripe"
    "$python" "$work/sign.py" "$work/new.rec" "$events" "evt_bench_r${r}_" "$secret" "$work/event.json"
    BENCH_THREADS=2 BENCH_RECORDS=$work/new.rec measure ours-hook-new "$companion_pid" -s "$work/rotate.lua" "$base/v1/webhooks/stripe"
    measure nginx-static "$nginx_pids" "http://127.0.0.1:$static_port/v1/orders/ord7"
    upload_memory "$r"
done

# --- summary --------------------------------------------------------------------------------
echo "== medians of $runs round(s)"
awk '
    function median(list,   a, k, i, j, t) {
        k = split(list, a, " ")
        for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    $1 == "mem" { before = before " " $2; peak = peak " " $3; after = after " " $4; later = later " " $5; if ($3 > worst) worst = $3; next }
    { rps[$1] = rps[$1] " " $2; p50[$1] = p50[$1] " " $3; p99[$1] = p99[$1] " " $4; cpu[$1] = cpu[$1] " " $5; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
      r = $7; if ($1 == "ours-get") { ours[r] = $2; ourp99[r] = $4 } if ($1 == "flask-get") flask[r] = $2; if (r > rounds) rounds = r }
    END {
        for (i = 1; i <= n; i++) { k = order[i]; printf "%-14s %10.0f req/s   p50 %7.2f ms   p99 %8.2f ms   server CPU %4.0f µs/request\n", k, median(rps[k]), median(p50[k]), median(p99[k]), median(cpu[k]) }
        # The ratio is taken within each round (both measured seconds apart), then the median of the rounds.
        for (r = 1; r <= rounds; r++) if (flask[r] > 0) { ratios = ratios " " ours[r] / flask[r]; each = each sprintf(" %.2f", ours[r] / flask[r]); each99 = each99 sprintf(" %.1f", ourp99[r]) }
        ratio = median(ratios)
        printf "ours-get / flask-get throughput, per round:%s; median %.2f× (target >= 3: %s)\n", each, ratio, (ratio >= 3 ? "met" : "MISSED")
        printf "ours-get p99 per round (ms):%s; median %.2f ms (target < 10 ms: %s)\n", each99, median(p99["ours-get"]), (median(p99["ours-get"]) < 10 ? "met" : "MISSED")
        printf "ours-get / nginx-static throughput: %.2f\n", median(rps["ours-get"]) / median(rps["nginx-static"])
        printf "server CPU per request, flask-get / ours-get: %.2f×\n", median(cpu["flask-get"]) / median(cpu["ours-get"])
        printf "upload memory: RSS before %.1f MB, peak during %.1f MB (worst %.1f), after %.1f MB, 5 s later %.1f MB\n", median(before), median(peak), worst, median(after), median(later)
    }' "$work/results"
