#!/usr/bin/env bash
# Signs a sample checkpoint with riskledger's code and verifies it with Go's
# golang.org/x/mod/sumdb/note, offline in GOPATH mode (BUILD-NOTES.md).
# Usage: verify_note.sh <sign_sample_checkpoint binary> <work dir>
set -euo pipefail
signer="$1"; work="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rm -rf "$work"; mkdir -p "$work/src/verifynote"
"$signer" "$work/key" "$work/note"
cp "$here/verify_note.go" "$work/src/verifynote/main.go"
cd "$work/src/verifynote"
GO111MODULE=off GOPATH="$work:/usr/share/gocode" GOCACHE="$work/cache" \
  go run . "$work/key" "$work/note"
