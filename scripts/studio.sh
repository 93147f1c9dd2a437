#!/usr/bin/env bash
# Installs what is missing, builds Calendar Studio and starts it.
#   scripts/studio.sh [project.calstudio] [--verbose]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

packaging/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/app/studio/calstudio "$@"
