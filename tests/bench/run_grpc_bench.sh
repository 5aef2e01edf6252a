#!/usr/bin/env bash
# The serving-path benchmark in one command (not part of the test suite):
# builds riskledgerd and the load generator, then runs every workload against
# a fresh riskledgerd with this machine's ceilings measured in the same run.
# Arguments go to grpc_bench, e.g. --seconds=10 --risks=100000
# --events=1000000 (the defaults). Figures: docs/PERFORMANCE.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${RISKLEDGER_BUILD_DIR:-$root/build}"
"$root/deploy/build.sh" grpc_bench riskledgerd >/dev/null
exec "$build_dir/tests/bench/grpc_bench" \
  --riskledgerd="$build_dir/services/server/riskledgerd" "$@"
