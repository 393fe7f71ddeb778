#!/usr/bin/env bash
# Runs Cairn's keyed-state benchmarks and the same workloads on Apache Flink's backends, then prints one table per
# RocksDB configuration.
#   benchmarks/compare-with-flink.sh [quick|full] [managed|unmanaged|defaults|all]
#     quick (default)  1 fork, 1×1 s warm-up, 3×1 s measurement; under 15 minutes per configuration on 2 cores
#     full             the benchmarks' own JMH settings (longer), plus ObjectCacheBenchmark
#     managed (default) both sides with the same 256 MB of managed memory
#     unmanaged        Flink's settings outside a job: no managed memory, an 8 MB block cache, Snappy — on both sides
#     defaults         each library's defaults (Cairn: 256 MB budget, LZ4; Flink: a default slot's 512 MB, Snappy)
#     all              the three, one after the other
#   KEYS=100000,500000,5000000 overrides the benchmarks' `keys` parameter (the issue-22 matrix); unset, each
#   benchmark's own values run.
# Flink's RocksDB backend needs FRocksDB, whose classes clash with the rocksdbjni Cairn uses, so the two sides run
# from separate jars (each benchmark forks its own JVM anyway). The configuration reaches both sides as the system
# property cairn.bench.rocksdb (BenchmarkSupport / FlinkBackends).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
configurations="${2:-managed}"
if [[ "$configurations" == all ]]; then
  configurations="managed unmanaged defaults"
fi
for configuration in $configurations; do
  case "$configuration" in
    managed|unmanaged|defaults) ;;
    *) echo "configuration must be managed, unmanaged, defaults or all, not '$configuration'" >&2; exit 2 ;;
  esac
done
pattern='ValueStateBenchmark|ValueShapeBenchmark|ListStateBenchmark|MapStateBenchmark|ReducingStateBenchmark|TimerBenchmark|RawRocksDBBenchmark|HeapSnapshotBenchmark|HeapMemoryBenchmark'
jmh_args=()
if [[ "$mode" == quick ]]; then
  jmh_args=(-wi 1 -w 1 -i 3 -r 1)
else
  # The full run adds the object cache rows (issue 22); Flink's side runs their uncached 'rocksdb' rows.
  pattern="$pattern|ObjectCacheBenchmark"
fi
if [[ -n "${KEYS:-}" ]]; then
  jmh_args+=(-p "keys=$KEYS")
fi
./mvnw -B -q -DskipTests -Pflink package -pl benchmarks,benchmarks-flink -am
for configuration in $configurations; do
  results="benchmarks/target/results/$configuration"
  mkdir -p "$results"
  java -jar benchmarks/target/benchmarks.jar "$pattern" "${jmh_args[@]}" \
    -jvmArgsPrepend "-Dcairn.bench.rocksdb=$configuration" -rf json -rff "$results/cairn.json"
  java -jar benchmarks-flink/target/benchmarks-flink.jar "$pattern" "${jmh_args[@]}" \
    -jvmArgsPrepend "-Dcairn.bench.rocksdb=$configuration" -rf json -rff "$results/flink.json"
  echo "## RocksDB configuration: $configuration" | tee "$results/table.md"
  java -cp benchmarks/target/benchmarks.jar dev.cairn.benchmarks.ResultsTable \
    "$results/cairn.json" "$results/flink.json" "$results/chart.png" \
    | tee -a "$results/table.md"
done
