#!/usr/bin/env bash
# Quick start, command 2: installs what is missing, builds everything, runs
# every test with ctest, then clang-tidy over the whole tree (deploy/lint.sh)
# as its own step. Both must pass; the last line is "test: N passed, N failed"
# over the two steps.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RISKLEDGER_BUILD_DIR:-$root/build}"
"$root/deploy/setup.sh" || exit 1
"$root/deploy/build.sh" || exit 1
passed=0
failed=0
if (cd "$build_dir" &&
    ctest --output-on-failure -j "${RISKLEDGER_JOBS:-$(nproc)}" --timeout 600); then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
if "$root/deploy/lint.sh"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
echo "test: $passed passed, $failed failed (ctest, clang-tidy)"
[ "$failed" -eq 0 ]
