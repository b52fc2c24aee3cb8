#!/usr/bin/env bash
# The per-round cost of distributed training with compute removed (dev.sparktrain.job.bench.RoundBenchmark):
# a synchronous round's request of N float32 parameters sent to P tasks and P gradient-sized results
# combined, each task answering at once. Measured for P = 2..32 tasks and N = 44k (LeNet), 420k, 4M and
# 40M parameters (the sizes of MLPs 784-56-10, 784-512-10+, 784-2048-1024-10+, 784-8192-4096-10+),
# with one Spark job per round (train.rounds = jobs) on local[2] and on the 2-worker standalone cluster
# of scripts/cluster-test.sh, and with resident tasks (train.rounds = resident) where all P tasks fit.
# Then fits a cost model (scripts/bench-rounds/costmodel.py) and extrapolates it to 256 executors.
# Usage: scripts/bench-rounds.sh --cost-model [ROUNDS per point, default 20]   (BENCH_ROUNDS_QUICK=1: fewer points)
# Output: runs/bench-rounds/rounds.csv and the model's table on stdout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../cluster-lib.sh"
rounds=${1:-20}
out="$ROOT/runs/bench-rounds"
mkdir -p "$out"
tasks=2,4,8,16,32
sizes=44426,420000,4000000,40000000
if [[ "${BENCH_ROUNDS_QUICK:-0}" == 1 ]]; then
  tasks=2,8
  sizes=44426,4000000
fi
ensure_built
CLUSTER_KEEP=0
cluster_setup bench-rounds

bench() {  # bench LOG ARGS... : RoundBenchmark's CSV lines (header dropped) on stdout
  local logfile=$1
  shift
  grep -E '^(jobs|resident|gemm),' "$logfile" || { tail -30 "$logfile" >&2; fail "the round benchmark failed ($logfile)"; }
}

log "local[2]: $tasks tasks x $sizes parameters, $rounds rounds each"
java -Xmx8g "${JAVA_OPENS[@]}" -Djava.io.tmpdir="$JVM_TMP" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -Dspark.master='local[2]' -Dspark.driver.maxResultSize=4g -cp "$JOB_JAR:$(cat "$SPARK_CP_FILE")" dev.sparktrain.job.bench.RoundBenchmark \
  jobs,resident "$tasks" "$sizes" "$rounds" >"$LOGS/local.log" 2>&1 || true
bench "$LOGS/local.log" | sed 's/^/local,/' >"$out/rounds.csv.tmp"

start_cluster 2 1 3g
log "standalone cluster, 2 workers x 1 core: $tasks tasks x $sizes parameters, $rounds rounds each"
CLUSTER_MAIN_CLASS=dev.sparktrain.job.bench.RoundBenchmark submit "$LOGS/cluster.log" 8g \
  --conf spark.executor.memory=2500m --conf spark.executor.cores=1 --conf spark.cores.max=2 \
  --conf spark.driver.maxResultSize=4g -- jobs,resident "$tasks" "$sizes" "$rounds"
wait_driver "$DRIVER_PID" 3600
[[ $DRIVER_RC -eq 0 ]] || { tail -30 "$LOGS/cluster.log" >&2; fail "the round benchmark on the cluster exited with $DRIVER_RC"; }
bench "$LOGS/cluster.log" | sed 's/^/standalone,/' >>"$out/rounds.csv.tmp"
{ echo "where,transport,master,tasks,params,rounds,median_ms,p10_ms,p90_ms"; cat "$out/rounds.csv.tmp"; } >"$out/rounds.csv"
rm -f "$out/rounds.csv.tmp"
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%Y-%m-%d)"
# LeNet's step at batch 64 on one ND4J thread, for the model's LeNet row (docs/performance.md, section 1)
lenet_ms=$(java -Xmx3g "${JAVA_OPENS[@]}" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -cp "$JOB_JAR:$(cat "$SPARK_CP_FILE")" dev.sparktrain.job.bench.StepProfile "$ROOT/conf/fashion-mnist-lenet.conf" 1 200 \
  train.batch-size=64 2>/dev/null | sed -n 's/^ *one training step[^0-9]*\([0-9.]*\) ms.*/\1/p')
python3 "$ROOT/scripts/bench-rounds/costmodel.py" "$out/rounds.csv" $lenet_ms
