#!/usr/bin/env bash
# Runs the whole test suite (ctest) built with sanitizers:
#   deploy/sanitize.sh address   ASan + UBSan (and -Wthread-safety), in the
#                                fuzz build's directory build-fuzz/ (shared
#                                with deploy/fuzz.sh: one build serves both)
#   deploy/sanitize.sh thread    TSan, in build-tsan/
# Any report fails the test that produced it. The Debian libraries are not
# instrumented; tests/sanitizers/ explains how the job copes with that (and
# holds the suppression files, each entry with its reason). Tests skipped by a
# job are printed with the reason. Ends with "sanitize-<kind>: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kind="${1:-}"
jobs="${RISKLEDGER_JOBS:-$(nproc)}"
supp="$root/tests/sanitizers"
case "$kind" in
  address)
    build_dir="${RISKLEDGER_FUZZ_BUILD_DIR:-$root/build-fuzz}"
    config=(-DRISKLEDGER_FUZZ=ON)
    export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
    export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    skip=""
    ;;
  thread)
    build_dir="${RISKLEDGER_TSAN_BUILD_DIR:-$root/build-tsan}"
    config=(-DRISKLEDGER_TSAN=ON)
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$supp/tsan.supp:print_suppressions=0"
    skip=""
    ;;
  *)
    echo "usage: deploy/sanitize.sh address|thread" >&2
    exit 2
    ;;
esac

"$root/deploy/setup.sh" || exit 1
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  "${config[@]}" >/dev/null || exit 1
cmake --build "$build_dir" -j "$jobs" || exit 1

exclude=()
if [ -n "$skip" ]; then
  echo "sanitize-$kind: skipping tests matching '$skip' (see tests/sanitizers/README.md)"
  exclude=(-E "$skip")
fi
passed=0
failed=0
if (cd "$build_dir" &&
    ctest --output-on-failure -j "$jobs" --timeout 900 "${exclude[@]}"); then
  passed=1
else
  failed=1
fi
echo "sanitize-$kind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
