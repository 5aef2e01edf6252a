#!/usr/bin/env bash
# Configures and builds riskledger into build/ (or $RISKLEDGER_BUILD_DIR).
# Usage: deploy/build.sh [cmake --build targets...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RISKLEDGER_BUILD_DIR:-$root/build}"
jobs="${RISKLEDGER_JOBS:-$(nproc)}"

cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "$build_dir" -j "$jobs" "${targets[@]}"
