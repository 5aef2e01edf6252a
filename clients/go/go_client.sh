#!/usr/bin/env bash
# The Go client, offline: generates riskledgerv1 (and the event and state
# packages it imports) from proto/ with Debian's protoc-gen-go and
# protoc-gen-go-grpc, then builds, vets or tests it in GOPATH mode against
# Debian's Go sources (/usr/share/gocode; see ../../../shared/BUILD-NOTES.md).
#
#   go_client.sh generate          generated packages into clients/go/ (for
#                                  users who build with modules, go.mod)
#   go_client.sh build WORK        generate, go vet and go build into WORK
#   go_client.sh test WORK RISKLEDGERD
#                                  build, then go test against that server
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
proto_dir="$(cd "$here/../../proto" && pwd)"
mode="${1:?usage: go_client.sh generate|build WORK|test WORK RISKLEDGERD}"

generate() {  # into $1, laid out by go_package (riskledger/clients/go/...)
  local out="$1"
  mkdir -p "$out"
  (cd "$proto_dir" &&
    protoc -I. --go_out="$out" --go-grpc_out="$out" \
      $(find riskledger -name '*.proto' | sort))
}

if [ "$mode" = generate ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  generate "$tmp"
  for package in "$tmp"/riskledger/clients/go/*/; do
    rm -rf "$here/$(basename "$package")"
    cp -r "$package" "$here/"
  done
  echo "go_client: generated $(cd "$tmp/riskledger/clients/go" && ls | tr '\n' ' ')into $here"
  exit 0
fi

work="$(realpath -m "${2:?missing WORK directory}")"
if [ "$mode" = test ]; then
  riskledgerd="$(realpath "${3:?missing RISKLEDGERD}")"
fi
gopath="$work/gopath"
module="$gopath/src/riskledger/clients/go"
rm -rf "$gopath/src"
generate "$gopath/src"
cp -r "$here/riskledger" "$here/example" "$module/"
export GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOCACHE="$work/cache"
cd "$module"
unformatted="$(gofmt -l riskledger example)"
if [ -n "$unformatted" ]; then
  echo "go_client: not gofmt-formatted: $unformatted" >&2
  exit 1
fi
go vet ./riskledger/... ./example/...
go build -o "$work/example" ./example
echo "go_client: built riskledgerv1, riskledger and the example in $work"
if [ "$mode" = test ]; then
  RISKLEDGERD="$riskledgerd" go test -count=1 -v ./riskledger/...
fi
