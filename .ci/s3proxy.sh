#!/usr/bin/env bash
# S3Proxy 4.1.0 for the S3 integration tests: a real S3 API (SigV4) over its filesystem-nio2 backend.
#   .ci/s3proxy.sh start   fetch the jar (Maven dependency plugin), start it on a free 127.0.0.1 port, wait until it
#                          answers, write target/s3proxy/s3proxy-test.properties (endpoint, credentials, jar, data
#                          directory) for the tests, which read it through S3PROXY_TEST_CONFIG
#   .ci/s3proxy.sh stop    stop the server 'start' started, by its PID
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/target/s3proxy"
version=4.1.0
jar="$dir/s3proxy-$version-jar-with-dependencies.jar"

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  return 1
}

case "${1:-}" in
  start)
    mkdir -p "$dir/data"
    if [[ ! -f "$jar" ]]; then
      ./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.11.0:copy \
        -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" -DoutputDirectory="$dir"
    fi
    port=$(free_port)
    cat > "$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=cairn-test
s3proxy.credential=cairn-test-secret
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$dir/data
CONF
    nohup java -jar "$jar" --properties "$dir/s3proxy.conf" > "$dir/s3proxy.log" 2>&1 &
    echo $! > "$dir/s3proxy.pid"
    for _ in $(seq 1 120); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        cat > "$dir/s3proxy-test.properties" <<PROPS
endpoint=http://127.0.0.1:$port
accessKey=cairn-test
secretKey=cairn-test-secret
jar=$jar
dataDirectory=$dir/data
PROPS
        echo "S3Proxy $version answers on http://127.0.0.1:$port (PID $(cat "$dir/s3proxy.pid"))"
        exit 0
      fi
      if ! kill -0 "$(cat "$dir/s3proxy.pid")" 2>/dev/null; then
        echo "S3Proxy exited; its log:" >&2
        cat "$dir/s3proxy.log" >&2
        exit 1
      fi
      sleep 0.5
    done
    echo "S3Proxy did not answer within 60 s; its log:" >&2
    cat "$dir/s3proxy.log" >&2
    exit 1
    ;;
  stop)
    if [[ -f "$dir/s3proxy.pid" ]]; then
      kill "$(cat "$dir/s3proxy.pid")" 2>/dev/null || true
      rm -f "$dir/s3proxy.pid" "$dir/s3proxy-test.properties"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
