#!/usr/bin/env bash
# Installs the Debian 12 packages Calendar Studio needs, if any are missing.
# Safe to run again: it only calls apt-get when something is not installed.
#
#   packaging/install-deps.sh            build + run the studio
#   packaging/install-deps.sh --test     also what the test suite needs (Xvfb, keyring, …)
set -euo pipefail

want_test=0
for arg in "$@"; do
    case "$arg" in
        --test) want_test=1 ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) echo "unknown option: $arg" >&2; exit 2 ;;
    esac
done

# Build tools and libraries (see docs/TOOLCHAIN notes in the README for why each is listed).
packages=(
    build-essential cmake ninja-build pkg-config ccache
    qt6-base-dev qt6-declarative-dev qt6-webengine-dev qt6-httpserver-dev qt6-websockets-dev
    libqt6sql6-sqlite libqt6sql6-psql qtkeychain-qt6-dev
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
    qml6-module-qtquick-layouts qml6-module-qtquick-window qml6-module-qtqml-workerscript
    libopencv-dev opencv-data libvips-dev nlohmann-json3-dev libical-dev libsqlite3-dev
    libgl1-mesa-dri
)
if [ "$want_test" = 1 ]; then
    packages+=(xvfb xauth dbus dbus-x11 gnome-keyring libsecret-1-0 libsecret-tools qml6-module-qttest
        clang-14 libclang-rt-14-dev libvips-tools
        nginx-light # tests/companion/nginx: the shipped reverse-proxy configuration in front of the companion
        postgresql) # tests/companion/tst_fulfillmentpg: scripts/test.sh runs a throwaway cluster (initdb)
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: this script knows Debian 12 (apt). On other systems install the equivalents of:" >&2
    printf '  %s\n' "${packages[@]}" >&2
    exit 1
fi

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

sudo=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
fi
echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
