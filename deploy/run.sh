#!/usr/bin/env bash
# Quick start, command 1: installs what is missing, builds, and starts
# riskledgerd on 127.0.0.1:50051 with its data in ./riskledger-data.
# Extra arguments go to riskledgerd (e.g. --listen=127.0.0.1:6000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/deploy/setup.sh"
"$root/deploy/build.sh" riskledgerd
exec "${RISKLEDGER_BUILD_DIR:-$root/build}/services/server/riskledgerd" \
  --data_dir="$root/riskledger-data" "$@"
