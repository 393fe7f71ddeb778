#!/usr/bin/env bash
# Runs Cairn's keyed-state benchmarks and the same workloads on Apache Flink's backends, then prints one table.
#   benchmarks/compare-with-flink.sh          quick mode (1 fork, 1×1 s warm-up, 3×1 s measurement; under 15 minutes on 2 cores)
#   benchmarks/compare-with-flink.sh full     the benchmarks' own JMH settings (longer), plus ObjectCacheBenchmark
# Flink's RocksDB backend needs FRocksDB, whose classes clash with the rocksdbjni Cairn uses, so the two sides run
# from separate jars (each benchmark forks its own JVM anyway).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
pattern='ValueStateBenchmark|ValueShapeBenchmark|ListStateBenchmark|MapStateBenchmark|ReducingStateBenchmark|TimerBenchmark|RawRocksDBBenchmark|HeapSnapshotBenchmark|HeapMemoryBenchmark'
jmh_args=()
if [[ "$mode" == quick ]]; then
  jmh_args=(-wi 1 -w 1 -i 3 -r 1)
else
  # The full run adds the object cache rows (issue 22); Flink's side runs their uncached 'rocksdb' rows.
  pattern="$pattern|ObjectCacheBenchmark"
fi
./mvnw -B -q -DskipTests -Pflink package -pl benchmarks,benchmarks-flink -am
mkdir -p benchmarks/target/results
java -jar benchmarks/target/benchmarks.jar "$pattern" "${jmh_args[@]}" \
  -rf json -rff benchmarks/target/results/cairn.json
java -jar benchmarks-flink/target/benchmarks-flink.jar "$pattern" "${jmh_args[@]}" \
  -rf json -rff benchmarks/target/results/flink.json
java -cp benchmarks/target/benchmarks.jar dev.cairn.benchmarks.ResultsTable \
  benchmarks/target/results/cairn.json benchmarks/target/results/flink.json benchmarks/target/results/chart.png \
  | tee benchmarks/target/results/table.md
