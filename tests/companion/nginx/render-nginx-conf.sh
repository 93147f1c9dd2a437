#!/usr/bin/env bash
# Renders the shipped packaging/companion/nginx-calstudio-companion.conf into a
# runnable nginx configuration in a scratch directory, for tests and benchmarks:
#
#   render-nginx-conf.sh SHIPPED_CONF OUT_DIR UPSTREAM_PORT HTTP_PORT HTTPS_PORT CERT KEY [ipv6]
#
# OUT_DIR/site.conf is the shipped file with only the machine-specific values
# replaced (listen ports on loopback, the upstream port, the certificate paths);
# every other line stays as shipped, so what runs is what the shop installs.
# OUT_DIR/nginx.conf (from nginx-main.conf.in) is the main context that
# Debian's /etc/nginx/nginx.conf would provide, with pid, logs and temporary
# paths inside OUT_DIR so nginx runs without touching /etc, /var or /run.
# With "ipv6" the shipped [::] listeners become [::1]; without it they are
# dropped (hosts without IPv6). Fails if the shipped file no longer has the
# lines it substitutes, so a change there cannot silently test something else.
set -euo pipefail
[ $# -ge 7 ] || { sed -n '2,15p' "$0" >&2; exit 2; }
shipped=$1 out=$2 upstream=$3 http=$4 https=$5 cert=$6 key=$7 ipv6=${8:-}
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$shipped" ] || { echo "render-nginx-conf: $shipped not found" >&2; exit 1; }
mkdir -p "$out"/client_body "$out"/proxy "$out"/fastcgi "$out"/uwsgi "$out"/scgi

# Each pattern must match exactly once in the shipped file.
expect_once() { # description extended-regex
    local n
    n=$(grep -cE "$2" "$shipped" || true)
    [ "$n" = 1 ] || { echo "render-nginx-conf: expected one line with $1 in $shipped, found $n" >&2; exit 1; }
}
expect_once "the upstream server 127.0.0.1:8787" '^[[:space:]]*server[[:space:]]+127\.0\.0\.1:8787;'
expect_once "listen 80" '^[[:space:]]*listen[[:space:]]+80;'
expect_once "listen [::]:80" '^[[:space:]]*listen[[:space:]]+\[::\]:80;'
expect_once "listen 443 ssl" '^[[:space:]]*listen[[:space:]]+443[[:space:]]+ssl'
expect_once "listen [::]:443 ssl" '^[[:space:]]*listen[[:space:]]+\[::\]:443[[:space:]]+ssl'
expect_once "ssl_certificate" '^[[:space:]]*ssl_certificate[[:space:]]'
expect_once "ssl_certificate_key" '^[[:space:]]*ssl_certificate_key[[:space:]]'

if [ "$ipv6" = ipv6 ]; then
    v6_http="s#^([[:space:]]*listen[[:space:]]+)\[::\]:80;#\1[::1]:$http;#"
    v6_https="s#^([[:space:]]*listen[[:space:]]+)\[::\]:443([[:space:]]+ssl)#\1[::1]:$https\2#"
else
    v6_http='/^[[:space:]]*listen[[:space:]]+\[::\]:80;/d'
    v6_https='/^[[:space:]]*listen[[:space:]]+\[::\]:443[[:space:]]+ssl/d'
fi
sed -E \
    -e "s#^([[:space:]]*server[[:space:]]+)127\.0\.0\.1:8787;#\1127.0.0.1:$upstream;#" \
    -e "s#^([[:space:]]*listen[[:space:]]+)80;#\1127.0.0.1:$http;#" \
    -e "s#^([[:space:]]*listen[[:space:]]+)443([[:space:]]+ssl)#\1127.0.0.1:$https\2#" \
    -e "$v6_http" -e "$v6_https" \
    -e "s#^([[:space:]]*ssl_certificate[[:space:]]+).*;#\1$cert;#" \
    -e "s#^([[:space:]]*ssl_certificate_key[[:space:]]+).*;#\1$key;#" \
    "$shipped" >"$out/site.conf"

# As root, nginx would run its workers as nobody, who cannot reach the scratch directory.
user_line=
[ "$(id -u)" = 0 ] && user_line='user root;'
sed -e "s|@DIR@|$out|g" -e "s|@USER_LINE@|$user_line|" "$here/nginx-main.conf.in" >"$out/nginx.conf"
