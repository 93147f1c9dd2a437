#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite
# headless: Qt's offscreen platform, an Xvfb display for the tests that need a
# real X server, and a private D-Bus session with an unlocked gnome-keyring.
#
#   scripts/test.sh            the normal suite (preset "ci")
#   scripts/test.sh --asan     the same under AddressSanitizer + UBSan (preset "asan")
#   scripts/test.sh -- -R project   extra arguments after -- go to ctest
# The normal run ends with a 30 s libFuzzer smoke run of the image decoder
# (preset "fuzz", clang); CALSTUDIO_SKIP_FUZZ=1 leaves it out. A throwaway
# PostgreSQL cluster runs for the tests that need one (see start_postgres).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

preset=ci
ctest_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --asan) preset=asan ;;
        --) shift; ctest_args=("$@"); break ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done

packaging/install-deps.sh --test

jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -- -j"$jobs"
echo "test.sh: build took $(( $(date +%s) - start )) s"

# A throwaway PostgreSQL cluster for the tests that need one (tests/companion/tst_fulfillmentpg: two
# companion instances on one database). initdb in a temporary directory (as the postgres user when we are
# root: initdb refuses root), trust authentication for the superuser "postgres", a free port on 127.0.0.1
# only, the socket in that directory, fsync off; stopped and removed when this script ends. The tests get
# CALSTUDIO_TEST_POSTGRES=postgresql://postgres@127.0.0.1:PORT/postgres (each creates its own database)
# and CALSTUDIO_REQUIRE_POSTGRES=1, so they fail instead of skipping when the server is missing.
# A CALSTUDIO_TEST_POSTGRES set by the caller is used as it is (no cluster is started).
pg_dir=
pg_bin=
pg_as() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_postgres() {
    [ -n "$pg_dir" ] || return 0
    pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
    pg_dir=
}
start_postgres() {
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
        echo "test.sh: no PostgreSQL server (/usr/lib/postgresql/*/bin/initdb); packaging/install-deps.sh --test installs it" >&2
        return 1
    fi
    pg_dir=$(mktemp -d /tmp/calstudio-pg.XXXXXX)
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$pg_dir"
    fi
    if ! pg_as "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1; then
        echo "test.sh: initdb failed:" >&2
        cat "$pg_dir/initdb.log" >&2
        return 1
    fi
    local attempt port
    for attempt in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 40000))
        # Taken if something answers there; pg_ctl also fails (and we try another) if it is bound meanwhile.
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        if pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 60 \
            -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null 2>&1; then
            export CALSTUDIO_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/postgres"
            echo "test.sh: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($pg_dir)"
            return 0
        fi
    done
    echo "test.sh: the PostgreSQL cluster did not start:" >&2
    cat "$pg_dir/log" >&2 || true
    return 1
}

# Everything the tests write outside their temporary dirs stays in here.
scratch=$(mktemp -d)
trap 'stop_postgres; rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export CALSTUDIO_REQUIRE_POSTGRES=1
if [ -z "${CALSTUDIO_TEST_POSTGRES:-}" ]; then
    start_postgres || echo "test.sh: the PostgreSQL tests will fail" >&2
fi
mkdir -p "$scratch/home" "$scratch/data" "$scratch/runtime"
chmod 700 "$scratch/runtime"

cat > "$scratch/run-ctest.sh" <<INNER
#!/usr/bin/env bash
set -eu
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime"
# Unlock a throwaway login keyring for the keychain tests (QtKeychain → libsecret → gnome-keyring).
printf 'calstudio-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
cd "$root/build/$preset"
exec ctest --output-on-failure --timeout 600 -j"$jobs" ${ctest_args[*]:-}
INNER
chmod +x "$scratch/run-ctest.sh"

start=$(date +%s)
set +e
xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- "$scratch/run-ctest.sh"
rc=$?
set -e
echo "test.sh: tests took $(( $(date +%s) - start )) s"

# Fuzz smoke run of the image decode path (clang + libFuzzer, ASan, UBSan).
if [ "$preset" = ci ] && [ $rc -eq 0 ] && [ "${CALSTUDIO_SKIP_FUZZ:-0}" != 1 ]; then
    start=$(date +%s)
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz -- -j"$jobs"
    (cd build/fuzz && ctest --output-on-failure -L fuzz) || rc=$?
    echo "test.sh: fuzz smoke took $(( $(date +%s) - start )) s"
fi
exit $rc
