#!/usr/bin/env bash
# clang-tidy with the checks of .clang-tidy over the whole tree (services/,
# storage/ and tests/), on the compile commands of an existing build. Any
# warning fails. deploy/test.sh runs it after ctest, so it never competes with
# the tests for the cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RISKLEDGER_BUILD_DIR:-$root/build}"
tidy="$(command -v run-clang-tidy || command -v run-clang-tidy-14 || true)"
if [ -z "$tidy" ]; then
  echo "lint: run-clang-tidy not found (deploy/setup.sh installs clang-tidy)" >&2
  exit 1
fi
"$tidy" -p "$build_dir" -quiet -j "${RISKLEDGER_JOBS:-$(nproc)}" \
  "$root/(services|storage|tests|clients)/" >"$build_dir/clang-tidy.log" 2>&1 || {
  grep -E '(warning|error):' "$build_dir/clang-tidy.log" | sed 's/\x1b\[[0-9;]*m//g' | sort -u >&2
  echo "lint: clang-tidy FAILED (full output: $build_dir/clang-tidy.log)" >&2
  exit 1
}
echo "lint: clang-tidy clean (services/, storage/, tests/, clients/)"
