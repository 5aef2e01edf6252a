#!/usr/bin/env bash
# Installs the Debian packages riskledger needs to build and test, skipping
# those already present. Idempotent and non-interactive.
set -euo pipefail

packages=(
  cmake g++ make ccache pkg-config clang-tidy clang-14 libclang-rt-14-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libssl-dev libjemalloc-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-grpcio
  golang-go protoc-gen-go golang-google-protobuf-dev golang-golang-x-mod-dev
  # Debian's gRPC for Go pulls github.com/golang/protobuf 1.3, which panics
  # on messages of protoc-gen-go 1.28; 1.5 (which replaces it) works.
  protoc-gen-go-grpc golang-google-grpc-dev golang-github-golang-protobuf-1-5-dev
  default-jdk-headless libprotobuf-java
  # The Java client: grpc-java, its plugin and transport; TLS goes through
  # OpenSSL (netty-tcnative), since Debian's Netty has no JDK ALPN.
  libgrpc-java protobuf-compiler-grpc-java-plugin libnetty-java libperfmark-java
  libnetty-tcnative-java libnetty-tcnative-jni libgeronimo-annotation-1.3-spec-java
  junit4 liberror-prone-java openssl
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
