#!/usr/bin/env bash
# Reproduces the request digest of storage/EVENT_FORMAT.md's test vector from
# another language's generated code and protobuf runtime, offline, and
# compares it with the pinned value.
# Usage: check_digest.sh go|java <proto dir> <work dir> <expected digest>
set -euo pipefail
lang="$1"; proto_dir="$2"; work="$3"; expected="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
protos=(riskledger/v1/common.proto riskledger/v1/methodology.proto
        riskledger/v1/assessment_service.proto)
rm -rf "$work"; mkdir -p "$work/gen" "$work/classes"
case "$lang" in
  go)
    # GOPATH mode against Debian's Go sources (no network, BUILD-NOTES.md).
    out="$work/src/riskledger/clients/go/riskledgerv1"
    mkdir -p "$out" "$work/src/digestcheck"
    protoc -I"$proto_dir" --go_out="$work/gen" "${protos[@]}"
    cp "$work"/gen/riskledger/clients/go/riskledgerv1/*.go "$out/"
    cp "$here/request_digest.go" "$work/src/digestcheck/main.go"
    actual=$(cd "$work/src/digestcheck" && GO111MODULE=off \
      GOPATH="$work:/usr/share/gocode" GOCACHE="$work/cache" go run .)
    ;;
  java)
    jar=/usr/share/java/protobuf.jar
    protoc -I"$proto_dir" --java_out="$work/gen" "${protos[@]}"
    cp "$here/RequestDigest.java" "$work/gen/"
    javac -nowarn -d "$work/classes" -cp "$jar" \
      $(find "$work/gen" -name '*.java')
    actual=$(java -cp "$work/classes:$jar" RequestDigest)
    ;;
  *) echo "unknown language $lang" >&2; exit 2 ;;
esac
echo "$lang: $actual"
if [ "$actual" != "$expected" ]; then
  echo "$lang digest differs from the pinned $expected" >&2
  exit 1
fi
