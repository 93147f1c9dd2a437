#!/usr/bin/env bash
# ctest companion/nginx-proxy: Debian's nginx, configured with the shipped
# packaging/companion/nginx-calstudio-companion.conf, in front of a real
# calstudio-companion, checked with curl over HTTPS.
#
#   run-proxy-test.sh PATH/TO/calstudio-companion
#
# Runs as root or as any user (all files in a temporary directory, high ports).
# Clients use different loopback source addresses (curl --interface 127.0.0.N)
# so the companion's per-client rate limit and its logged client address can be
# told apart from the proxy's own address (127.0.0.1).
# Needs nginx (packaging/install-deps.sh --test installs nginx-light), curl and
# openssl; fails, never skips, when one is missing.
set -uo pipefail
companion=${1:?usage: run-proxy-test.sh PATH/TO/calstudio-companion}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
shipped=$root/packaging/companion/nginx-calstudio-companion.conf
print_file=$root/tests/data/images/pattern.jpg # 48 × 32 RGB JPEG: the size of every position of the format below

nginx_bin=$(command -v nginx || true)
[ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx
for need in nginx curl openssl; do
    if [ "$need" = nginx ] && [ -n "$nginx_bin" ]; then continue; fi
    if [ "$need" != nginx ] && command -v "$need" >/dev/null; then continue; fi
    echo "FAIL: $need is not installed; this test needs nginx, curl and openssl (Debian 12: packaging/install-deps.sh --test installs nginx-light; apt-get install curl openssl)" >&2
    exit 1
done
[ -x "$companion" ] || { echo "FAIL: $companion is not an executable (build calstudio-companion first)" >&2; exit 1; }

w=$(mktemp -d "${TMPDIR:-/tmp}/calstudio-nginx-test.XXXXXX")
companion_pid= nginx_pid=
cleanup() {
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
    [ -n "$companion_pid" ] && kill "$companion_pid" 2>/dev/null && wait "$companion_pid" 2>/dev/null
    rm -rf "$w"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
failures=0
ok() { echo "ok   - $1"; }
fail() {
    echo "FAIL - $1"
    failures=$((failures + 1))
}
check() { # description test-command…
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

# --- the companion ----------------------------------------------------------------
# A format whose 13 positions are all 48 × 32 px (5.75 × 3.75 in + 0.125 in bleed = 3:2), so
# tests/data/images/pattern.jpg is an exact-size print file.
positions=
page=0
for id in front_cover january february march april may june july august september october november december; do
    positions+="${positions:+,}{\"id\":\"$id\",\"page\":$page,\"width\":48,\"height\":32}"
    page=$((page + 1))
done
cat >"$w/companion.json" <<JSON
{
  "listen": "127.0.0.1:0",
  "public_url": "https://127.0.0.1",
  "data_dir": "$w/data",
  "stripe": {"secret_key": "sk_test_nginx_proxy", "webhook_secrets": ["whsec_nginx_proxy_test"], "api_base": "http://127.0.0.1:9"},
  "admin_token": "admin-token-nginx-proxy-test-0123456789abcdef",
  "limits": {"max_upload_bytes": 52428800, "orders_per_minute_per_ip": 2, "checkouts_per_minute_per_ip": 20},
  "worker_threads": 4,
  "trusted_proxies": ["127.0.0.1"],
  "formats": [{
    "format": {"id": "proxy-test", "title": "Proxy test calendar", "trim_width_in": 5.75, "trim_height_in": 3.75,
      "bleed_in": 0.125, "safe_margin_in": 0.125, "binding_edge": "top", "binding_depth_in": 0.25, "dpi": 72,
      "positions": [$positions]},
    "product_name": "Proxy test calendar",
    "price": {"amount": 2999, "currency": "usd"},
    "shipping": [{"id": "standard", "display_name": "Standard", "amount": 699}],
    "countries": ["US"]
  }]
}
JSON
log=$w/companion.log
"$companion" --config "$w/companion.json" 2>"$log" >"$w/companion.out" &
companion_pid=$!
upstream=
for _ in $(seq 100); do
    upstream=$(sed -n 's/.*"event":"listening".*"port":\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$upstream" ] && break
    kill -0 "$companion_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$upstream" ]; then
    echo "FAIL: calstudio-companion did not start:" >&2
    cat "$log" "$w/companion.out" >&2
    exit 1
fi
echo "companion listening on 127.0.0.1:$upstream (pid $companion_pid)"
# The clients below are told apart by their loopback source address (Linux routes all of 127.0.0.0/8 to lo).
if [ "$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.2 "http://127.0.0.1:$upstream/v1/health")" != 200 ]; then
    echo "FAIL: curl cannot use 127.0.0.2 as a source address on this machine; the per-client checks need it" >&2
    exit 1
fi

# --- certificate, configuration, nginx ----------------------------------------------
ipv6=
grep -qE '^0{31}1 .* lo$' /proc/net/if_inet6 2>/dev/null && ipv6=ipv6
san="IP:127.0.0.1,DNS:shop.example.com${ipv6:+,IP:::1}"
if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=shop.example.com \
    -addext "subjectAltName=$san" -keyout "$w/key.pem" -out "$w/cert.pem" >"$w/openssl.log" 2>&1; then
    echo "FAIL: openssl could not make a self-signed certificate:" >&2
    cat "$w/openssl.log" >&2
    exit 1
fi

start_nginx() { # → 0 when nginx serves https, 1 when a port was taken (try others), 2 on any other failure
    http_port=$((20000 + RANDOM % 20000))
    https_port=$((http_port + 1))
    "$here/render-nginx-conf.sh" "$shipped" "$w/nginx" "$upstream" "$http_port" "$https_port" "$w/cert.pem" "$w/key.pem" $ipv6 || return 2
    : >"$w/nginx/error.log"
    if ! "$nginx_bin" -t -p "$w/nginx" -e "$w/nginx/error.log" -c "$w/nginx/nginx.conf" >"$w/nginx-t.log" 2>&1; then
        echo "nginx -t rejected the rendered configuration:"
        cat "$w/nginx-t.log"
        return 2
    fi
    "$nginx_bin" -p "$w/nginx" -e "$w/nginx/error.log" -c "$w/nginx/nginx.conf" >"$w/nginx.out" 2>&1 &
    nginx_pid=$!
    for _ in $(seq 100); do
        if ! kill -0 "$nginx_pid" 2>/dev/null; then
            wait "$nginx_pid" 2>/dev/null
            nginx_pid=
            grep -q 'Address already in use' "$w/nginx/error.log" "$w/nginx.out" && return 1
            echo "nginx exited:"
            cat "$w/nginx.out" "$w/nginx/error.log"
            return 2
        fi
        curl -s -o /dev/null --cacert "$w/cert.pem" --max-time 2 "https://127.0.0.1:$https_port/v1/health" && return 0
        sleep 0.1
    done
    echo "nginx did not answer on https://127.0.0.1:$https_port within 10 s"
    return 2
}
started=
for _ in 1 2 3 4 5; do
    start_nginx
    case $? in
        0) started=1 && break ;;
        1) continue ;;
        *) break ;;
    esac
done
if [ -z "$started" ]; then
    echo "FAIL: nginx did not start with the rendered shipped configuration" >&2
    exit 1
fi
echo "nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///') listening on https://127.0.0.1:$https_port and http://127.0.0.1:$http_port${ipv6:+ (and [::1])} (pid $nginx_pid)"
base=https://127.0.0.1:$https_port

# --- helpers ------------------------------------------------------------------------
# call ARGS… : one curl request; sets $status, the body is in $w/body, the headers in $w/headers.
call() {
    status=$(curl -sS --cacert "$w/cert.pem" --max-time 30 -o "$w/body" -D "$w/headers" -w '%{http_code}' "$@" 2>"$w/curl.err")
    [ -n "$status" ] || status=000
}
header() { sed -n "s/^$1: *//Ip" "$w/headers" | tr -d '\r' | head -1; }
body_has() { grep -q -- "$1" "$w/body"; }
json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" "$w/body" | head -1; }
requests_logged() { grep -c '"event":"request"' "$log"; }
# The companion's access-log line for a request id (written before the answer is sent).
log_line() { grep '"event":"request"' "$log" | grep "\"request_id\":\"$1\"" | head -1; }
create() { # source-address [extra curl args…]
    local from=$1
    shift
    call --interface "$from" -X POST -H 'Content-Type: application/json' \
        --data '{"format":"proxy-test","title":"Proxy test","quantity":1}' "$@" "$base/v1/orders"
}

# --- through the proxy ----------------------------------------------------------------
call "$base/v1/health"
check "GET /v1/health through nginx: 200 (got $status)" [ "$status" = 200 ]
check "  answer is the companion's JSON ($(header Content-Type))" eval 'header Content-Type | grep -q application/json && body_has "\"status\":\"ok\""'
http_version=$(curl -s --cacert "$w/cert.pem" -o /dev/null -w '%{http_version}' "$base/v1/health")
check "  HTTP/2 over TLS, as the shipped listen line asks (curl: HTTP/$http_version)" [ "$http_version" = 2 ]

create 127.0.0.2
check "POST /v1/orders from client 127.0.0.2: 201 (got $status)" [ "$status" = 201 ]
order=$(grep -o '"id":"ord_[^"]*"' "$w/body" | head -1 | cut -d'"' -f4) # positions have ids too
token=$(json_field token)
rid=$(header X-Request-Id)
line=$(log_line "$rid")
check "  the companion logged client 127.0.0.2 from X-Forwarded-For, with nginx's request id $rid" \
    eval '[ -n "$rid" ] && grep -q "\"remote\":\"127.0.0.2\"" <<<"$line"'
check "  X-Request-Id is nginx's \$request_id (32 hex digits)" eval 'grep -qE "^[0-9a-f]{32}$" <<<"$rid"'

call --interface 127.0.0.2 -H "Authorization: Bearer $token" "$base/v1/orders/$order"
check "GET /v1/orders/{id} with its token: 200 (got $status)" eval '[ "$status" = 200 ] && body_has "\"status\":\"draft\""'

call --interface 127.0.0.2 -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: image/jpeg' \
    --data-binary "@$print_file" "$base/v1/orders/$order/files/january"
check "PUT an exact-size print file (48 × 32 JPEG): 201 (got $status)" eval '[ "$status" = 201 ] && body_has "\"position\":\"january\""'

# 3 MB to the upload location: above client_body_buffer_size (nginx buffers it in a temporary file) and
# above the 1m of other locations, so it must reach the companion, whose validator answers 415 in JSON.
head -c 3145728 /dev/urandom >"$w/3mb.bin"
before=$(requests_logged)
call --interface 127.0.0.2 -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: image/jpeg' \
    --data-binary "@$w/3mb.bin" "$base/v1/orders/$order/files/february"
check "PUT 3 MB (not an image) passes nginx to the companion: 415 JSON (got $status)" \
    eval '[ "$status" = 415 ] && body_has "\"code\":\"unsupported_media_type\"" && [ "$(requests_logged)" -gt "$before" ]'

# client_max_body_size 50m in the upload location: one byte more is refused by nginx itself.
truncate -s $((50 * 1024 * 1024 + 1)) "$w/too-big.jpg"
before=$(requests_logged)
call --interface 127.0.0.2 -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: image/jpeg' \
    -H 'Expect: 100-continue' -T "$w/too-big.jpg" "$base/v1/orders/$order/files/march"
check "PUT 50 MiB + 1 byte: 413 from nginx (got $status)" [ "$status" = 413 ]
check "  the companion never saw it" [ "$(requests_logged)" = "$before" ]
cp "$w/body" "$w/413-upload.body"
cp "$w/headers" "$w/413-upload.headers"
call --http1.1 --interface 127.0.0.2 -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: image/jpeg' \
    -H 'Expect:' -T "$w/too-big.jpg" "$base/v1/orders/$order/files/march"
check "  the same over HTTP/1.1 without Expect (the body is sent anyway): 413 (got $status)" [ "$status" = 413 ]

# client_max_body_size 1m everywhere else.
head -c 2097152 /dev/zero | tr '\0' ' ' >"$w/2mb.json"
before=$(requests_logged)
call --interface 127.0.0.4 -X POST -H 'Content-Type: application/json' --data-binary "@$w/2mb.json" "$base/v1/orders"
check "POST /v1/orders with a 2 MB body: 413 from nginx (got $status)" [ "$status" = 413 ]
check "  the companion never saw it" [ "$(requests_logged)" = "$before" ]
cp "$w/body" "$w/413-json.body"
cp "$w/headers" "$w/413-json.headers"
# Between the companion's own 64 KB JSON limit and nginx's 1m: the companion answers.
head -c 102400 /dev/zero | tr '\0' ' ' >"$w/100kb.json"
call --interface 127.0.0.4 -X POST -H 'Content-Type: application/json' --data-binary "@$w/100kb.json" "$base/v1/orders"
check "POST /v1/orders with a 100 KB body: the companion's own 413 JSON (got $status)" \
    eval '[ "$status" = 413 ] && body_has "\"code\":\"body_too_large\""'

# Plain HTTP only redirects.
call "http://127.0.0.1:$http_port/v1/health?x=1"
location=$(header Location)
check "plain http → 301 to https (got $status, Location: $location)" \
    eval '[ "$status" = 301 ] && [ "$location" = "https://127.0.0.1/v1/health?x=1" ]'

# --- per-client rate limit (orders_per_minute_per_ip 2) ---------------------------------
create 127.0.0.2
check "second order from 127.0.0.2: 201 (got $status)" [ "$status" = 201 ]
create 127.0.0.2
check "third order from 127.0.0.2 within the minute: 429 (got $status)" \
    eval '[ "$status" = 429 ] && body_has "\"code\":\"rate_limited\""'
create 127.0.0.2 -H 'X-Forwarded-For: 10.9.9.9'
rid=$(header X-Request-Id)
check "  a forged X-Forwarded-For does not get around it: 429 (got $status)" [ "$status" = 429 ]
check "  nginx replaced the forged header: the companion logged 127.0.0.2" \
    eval 'grep -q "\"remote\":\"127.0.0.2\"" <<<"$(log_line "$rid")"'
create 127.0.0.3
rid=$(header X-Request-Id)
check "another client (127.0.0.3) through the same proxy: 201 (got $status)" \
    eval '[ "$status" = 201 ] && grep -q "\"remote\":\"127.0.0.3\"" <<<"$(log_line "$rid")"'
status=$(curl -sS -o "$w/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data '{"format":"proxy-test","title":"Direct","quantity":1}' "http://127.0.0.1:$upstream/v1/orders" 2>"$w/curl.err")
check "the companion directly (peer 127.0.0.1, no proxy header): 201 (got $status)" [ "$status" = 201 ]

if [ -n "$ipv6" ]; then
    call -g "https://[::1]:$https_port/v1/health"
    rid=$(header X-Request-Id)
    check "IPv6 client through the [::] listener: 200, logged as ::1 (got $status)" \
        eval '[ "$status" = 200 ] && grep -q "\"remote\":\"::1\"" <<<"$(log_line "$rid")"'
fi

# --- nginx's own error answers -------------------------------------------------------
# The API answers errors as {"error":{"code","message"}}; so must nginx where it answers for the companion.
json_error() { # saved-body saved-headers code
    grep -qi '^content-type: *application/json' "$2" && grep -q "\"error\":{\"code\":\"$3\"" "$1"
}
check "nginx's 413 on an upload is the API's JSON error (upload_too_large)" \
    json_error "$w/413-upload.body" "$w/413-upload.headers" upload_too_large
check "nginx's 413 on other requests is the API's JSON error (body_too_large)" \
    json_error "$w/413-json.body" "$w/413-json.headers" body_too_large
kill "$companion_pid" && wait "$companion_pid" 2>/dev/null
companion_pid=
call "$base/v1/health"
check "companion stopped: nginx answers 503 with the API's JSON error and Retry-After (got $status)" \
    eval '[ "$status" = 503 ] && json_error "$w/body" "$w/headers" unavailable && [ -n "$(header Retry-After)" ]'

if [ "$failures" -gt 0 ]; then
    echo "== $failures check(s) failed; rendered site.conf:"
    cat "$w/nginx/site.conf"
    echo "== nginx error.log (last 20 lines):"
    tail -20 "$w/nginx/error.log"
    echo "== companion log (last 20 lines):"
    tail -20 "$log"
    exit 1
fi
echo "all checks passed"
