#!/usr/bin/env bash
# Data at scale on the standalone cluster that scripts/cluster-test.sh uses (a Master and 2 Workers on
# 127.0.0.1 from Spark's own jars, executors of EXECUTOR_MEMORY, 1 core each): a generated
# multi-file Parquet dataset of ROWS rows (FEATURES float32 values and a label in [0, 4) each) is trained
# for one epoch with data.storage = local-disk (the shards are 3 x the executors' memory and more at
# the default size) and a 1% validation split, the driver's heap at 256 MiB; then the same at a
# quarter of the rows, to show what grows. Prints one row per size: the load time and the bytes the
# load read against the source's size (the load's own log line), the peak driver and executor heap
# (the highest occupancy before a collection, from -Xlog:gc; after a collection in parentheses), the
# epoch's samples/s and validation accuracy.
# Usage: scripts/bench-data.sh [ROWS, default 5000000] [FEATURES, default 168]
# Datasets are generated once into $BENCH_DIR (default runs/bench-data) and reused.
# Spark refuses a heap under 450 MiB unless its reserved memory is lowered: the jobs set
# spark.testing.reservedMemory = 64 MiB (for the executors too).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"
rows=${1:-5000000}
features=${2:-168}
EXECUTOR_MEMORY=${EXECUTOR_MEMORY:-512m}
DRIVER_HEAP=256m
data_dir="${BENCH_DIR:-$ROOT/runs/bench-data}"
mkdir -p "$data_dir"
ensure_built
CLUSTER_KEEP=${BENCH_KEEP:-0}
cluster_setup bench-data

generate() {  # generate ROWS FILES: the dataset's folder, written if missing
  local n=$1 files=$2 dir="$data_dir/rows-$1-features-$features"
  if [[ ! -f "$dir/.complete" ]]; then
    log "generating $n rows of $features features in $files Parquet files: $dir"
    rm -rf "$dir"
    java -Xmx2g "${JAVA_OPENS[@]}" -Djava.io.tmpdir="$JVM_TMP" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
      -cp "$JOB_JAR:$(cat "$SPARK_CP_FILE")" dev.sparktrain.job.bench.DataBenchmark generate "$dir" "$n" "$files" \
      "$features" >"$LOGS/generate-$n.log" 2>&1 || { tail -20 "$LOGS/generate-$n.log" >&2; fail "generating $n rows"; }
    touch "$dir/.complete"
  fi
  echo "$dir"
}

quarter_dir=$(generate $((rows / 4)) 8)
full_dir=$(generate "$rows" 32)
start_cluster 2 1 1g

RESULTS=()
run_one() {  # run_one ROWS DIR
  local n=$1 dir=$2 gc="$WORK/gc-$1" log="$LOGS/driver-$1.log" t0
  mkdir -p "$gc"
  log "training one epoch on $n rows (driver heap $DRIVER_HEAP, executors $EXECUTOR_MEMORY)"
  t0=$(now)
  CLUSTER_DRIVER_JAVA_OPTS="-Xlog:gc:file=$gc/driver.log" submit "$log" "$DRIVER_HEAP" \
    --conf spark.executor.memory="$EXECUTOR_MEMORY" --conf spark.executor.cores=1 --conf spark.cores.max=2 \
    --conf spark.testing.reservedMemory=67108864 --conf spark.locality.wait=30s \
    --conf "spark.executor.extraJavaOptions=-Djava.io.tmpdir=$JVM_TMP -Xlog:gc:file=$gc/executor-%p.log" \
    -- train --set data.format=parquet --set "data.train.path=\"$dir\"" --set data.val-fraction=0.01 \
    --set data.classes=4 --set data.image.channels=1 --set data.image.height=1 --set data.image.width="$features" \
    --set data.storage=local-disk --set model.type=mlp --set 'model.hidden=[32]' --set train.epochs=1 \
    --set train.batch-size=256 --set train.workers=2 --set train.averaging-frequency=8 --set optimizer.lr=0.001 \
    --set checkpoint.every-epochs=0 --set output.dir="$WORK/run-$n"
  wait_driver "$DRIVER_PID" 7200
  [[ $DRIVER_RC -eq 0 ]] || fail "the job on $n rows exited with $DRIVER_RC"
  RESULTS+=("$(python3 - "$n" "$log" "$gc" "$(elapsed "$t0")" <<'PY'
import glob, re, sys
n, log, gc, wall = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
text = open(log).read()
load = re.search(r"into \d+ \+ \d+ shards in ([\d.]+) s; read ([\d.]+) MiB from sources of ([\d.]+) MiB \(([\d.]+) x\)", text)
epoch = re.search(r"val_acc ([\d.]+)\s.*?([\d,]+) samples/s", text)
unit = {"K": 1 / 1024, "M": 1, "G": 1024}
def peaks(files):
    before = after = 0.0
    for f in files:
        for m in re.finditer(r"(\d+)([KMG])->(\d+)([KMG])\(\d+[KMG]\)", open(f).read()):
            before = max(before, int(m.group(1)) * unit[m.group(2)])
            after = max(after, int(m.group(3)) * unit[m.group(4)])
    return f"{before:.0f} ({after:.0f})"
print(f"{int(n):>10,} {float(load.group(3)):>10,.0f} {float(load.group(1)):>7.1f} {float(load.group(4)):>10.3f} "
      f"{peaks([gc + '/driver.log']):>12} {peaks(glob.glob(gc + '/executor-*.log')):>14} "
      f"{epoch.group(2):>10} {epoch.group(1):>7} {wall:>7.0f}")
PY
)")
}

run_one $((rows / 4)) "$quarter_dir"
run_one "$rows" "$full_dir"
echo
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; 2 workers x 1 core," \
  "executors $EXECUTOR_MEMORY, driver heap $DRIVER_HEAP; data.storage = local-disk, 1 epoch, MLP $features-32-4"
printf '%10s %10s %7s %10s %12s %14s %10s %7s %7s\n' rows source_MiB load_s read/size driver_MiB executor_MiB \
  samples/s val_acc wall_s
printf '%s\n' "${RESULTS[@]}"
