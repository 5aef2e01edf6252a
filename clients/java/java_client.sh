#!/usr/bin/env bash
# The Java client, offline: generates the messages and stubs of proto/
# (riskledger and google.rpc) with Debian's protoc and grpc-java plugin,
# compiles them and the dev.riskledger.client package against Debian's jars
# (/usr/share/java; see ../../../shared/BUILD-NOTES.md), and runs its JUnit
# test against a real riskledgerd.
#
#   java_client.sh build WORK      WORK/riskledger-client.jar (generated code
#                                  and the client), the example and the test
#   java_client.sh test WORK RISKLEDGERD
#                                  the JUnit test of a WORK made by build,
#                                  against that server
#   java_client.sh classpath       the Debian jars the client needs at run time
#
# TLS: Debian's Netty has no JDK ALPN support (gRPC needs ALPN), so TLS goes
# through OpenSSL (netty-tcnative). Netty loads that library only under the
# name libnetty_tcnative.so and checks the path it was loaded from; Debian
# installs it as libnetty-tcnative.so, so the build copies it into WORK/jni:
# run with -Djava.library.path=WORK/jni.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
proto_dir="$(cd "$here/../../proto" && pwd)"
mode="${1:?usage: java_client.sh build WORK|test WORK RISKLEDGERD|classpath}"

jars=/usr/share/java
runtime_jars=(
  protobuf grpc-api grpc-context grpc-core grpc-stub grpc-protobuf
  grpc-protobuf-lite grpc-netty netty-buffer netty-codec netty-codec-http
  netty-codec-http2 netty-codec-socks netty-common netty-handler
  netty-handler-proxy netty-resolver netty-transport netty-tcnative perfmark-api guava
  geronimo-annotation-1.3-spec
)
runtime_classpath="$(printf "$jars/%s.jar:" "${runtime_jars[@]}")"
runtime_classpath="${runtime_classpath%:}"
if [ "$mode" = classpath ]; then
  echo "$runtime_classpath"
  exit 0
fi

work="$(realpath -m "${2:?missing WORK directory}")"
test_classpath="$runtime_classpath:$work/riskledger-client.jar:$jars/junit4.jar:$jars/hamcrest-core.jar:$jars/error_prone_annotations.jar"
if [ "$mode" = test ]; then
  riskledgerd="$(realpath "${3:?missing RISKLEDGERD}")"
  exec env RISKLEDGERD="$riskledgerd" java -Djava.library.path="$work/jni" \
    -cp "$test_classpath:$work/test-classes" org.junit.runner.JUnitCore \
    dev.riskledger.client.CallPolicyTest dev.riskledger.client.RiskledgerClientTest \
    dev.riskledger.client.TransportSecurityTest
fi
rm -rf "$work/generated" "$work/classes" "$work/test-classes"
mkdir -p "$work/generated" "$work/classes/generated" "$work/classes/client" "$work/test-classes"
(cd "$proto_dir" &&
  protoc -I. --java_out="$work/generated" \
    --plugin=protoc-gen-grpc-java=/usr/bin/grpc_java_plugin \
    --grpc-java_out="$work/generated" \
    $(find riskledger google -name '*.proto' | sort))

# Generated code is compiled without lint; the hand-written code with every
# warning an error.
javac -nowarn -encoding UTF-8 -d "$work/classes/generated" -cp "$runtime_classpath" \
  $(find "$work/generated" -name '*.java')
javac -Xlint:all -Werror -encoding UTF-8 -d "$work/classes/client" \
  -cp "$runtime_classpath:$work/classes/generated" \
  $(find "$here/src/main/java" -name '*.java')
jar --create --file "$work/riskledger-client.jar" \
  -C "$work/classes/generated" . -C "$work/classes/client" .
javac -Xlint:all -Werror -encoding UTF-8 -d "$work/test-classes" -cp "$test_classpath" \
  $(find "$here/src/example/java" "$here/src/test/java" -name '*.java')
mkdir -p "$work/jni"
cp "$(dpkg -L libnetty-tcnative-jni | grep "/libnetty-tcnative.so$")" "$work/jni/libnetty_tcnative.so"
echo "java_client: built $work/riskledger-client.jar, the example and the test"
