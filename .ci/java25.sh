#!/usr/bin/env bash
# Compiles every module and runs the unit tests of the library modules on Java 25 (the default build runs on Java 17;
# both compile with --release 17). The JDK is $CAIRN_JAVA25_HOME, else the Temurin 25 JDK of the build machines.
set -euo pipefail
cd "$(dirname "$0")/.."
jdk="${CAIRN_JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ ! -x "$jdk/bin/java" ]]; then
  echo "java25.sh: no JDK 25 at $jdk; install Temurin 25 there or set CAIRN_JAVA25_HOME to one" >&2
  exit 1
fi
version=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [[ "$version" != "25" ]]; then
  echo "java25.sh: $jdk is Java $version, not 25" >&2
  exit 1
fi
# clean: every class is compiled by javac 25 (the Java 17 build's classes would otherwise count as up to date).
# The modules are listed so that the root project's target/ (where S3Proxy keeps its PID file) is left alone.
modules=state-api,state-conformance,state-heap,state-rocksdb,checkpoint-storage,changelog,checkpoint-storage-s3
modules=$modules,config,state-processor,cli,kafka,metrics-micrometer,examples,benchmarks,jpms-consumer
JAVA_HOME="$jdk" ./mvnw -B clean test -pl "$modules"
