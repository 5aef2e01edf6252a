#!/usr/bin/env bash
# Quick start, command 2: installs what is missing, builds everything, and runs
# every test with ctest (whose summary line is the last thing printed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RISKLEDGER_BUILD_DIR:-$root/build}"
"$root/deploy/setup.sh"
"$root/deploy/build.sh"
cd "$build_dir"
ctest --output-on-failure -j "${RISKLEDGER_JOBS:-$(nproc)}" --timeout 600
