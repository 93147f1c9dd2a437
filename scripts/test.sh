#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite
# headless: Qt's offscreen platform, an Xvfb display for the tests that need a
# real X server, and a private D-Bus session with an unlocked gnome-keyring.
#
#   scripts/test.sh            the normal suite (preset "ci")
#   scripts/test.sh --asan     the same under AddressSanitizer + UBSan (preset "asan")
#   scripts/test.sh -- -R project   extra arguments after -- go to ctest
# The normal run ends with a 30 s libFuzzer smoke run of the image decoder
# (preset "fuzz", clang); CALSTUDIO_SKIP_FUZZ=1 leaves it out.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

preset=ci
ctest_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --asan) preset=asan ;;
        --) shift; ctest_args=("$@"); break ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
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

# Everything the tests write outside their temporary dirs stays in here.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
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
