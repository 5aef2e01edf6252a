#!/usr/bin/env bash
# Builds everything with clang, ASan, UBSan and -Wthread-safety into
# build-fuzz/ (or $RISKLEDGER_FUZZ_BUILD_DIR; deploy/sanitize.sh address runs
# the test suite from the same build), then runs every libFuzzer
# target of tests/fuzz for FUZZ_SECONDS seconds each (default 15) from its
# seed corpus tests/fuzz/corpus/<target>. New inputs go to
# build-fuzz/corpus/<target>, crashes to build-fuzz/crashes/. A longer run:
#   FUZZ_SECONDS=600 deploy/fuzz.sh [target...]
# Ends with "fuzz: N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RISKLEDGER_FUZZ_BUILD_DIR:-$root/build-fuzz}"
jobs="${RISKLEDGER_JOBS:-$(nproc)}"
seconds="${FUZZ_SECONDS:-15}"
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(resource_name_fuzzer update_mask_fuzzer etag_and_number_fuzzer risk_register_csv_fuzzer
           page_token_fuzzer list_filter_fuzzer text_fuzzer
           event_decoding_fuzzer request_validation_fuzzer
           evidence_bundle_fuzzer)
fi

"$root/deploy/setup.sh"
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DRISKLEDGER_FUZZ=ON >/dev/null
# Everything, so that -Wthread-safety sees all production code.
cmake --build "$build_dir" -j "$jobs"

passed=0
failed=0
mkdir -p "$build_dir/crashes"
printf '%-28s %10s %10s %8s\n' target runs execs/s corpus
for target in "${targets[@]}"; do
  corpus="$build_dir/corpus/$target"
  mkdir -p "$corpus"
  seeds=()
  if [ -d "$root/tests/fuzz/corpus/$target" ]; then
    seeds=("$root/tests/fuzz/corpus/$target")
  fi
  log="$build_dir/$target.log"
  if "$build_dir/tests/fuzz/$target" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build_dir/crashes/$target-" \
      "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    passed=$((passed + 1))
    status=""
  else
    failed=$((failed + 1))
    status="FAILED (see $log)"
    tail -n 40 "$log"
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1 || true)"
  size="$( (find "$corpus" "${seeds[@]}" -type f 2>/dev/null || true) | wc -l)"
  printf '%-28s %10s %10s %8s %s\n' "$target" "${runs:-?}" "${rate:-?}" \
    "$size" "$status"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
