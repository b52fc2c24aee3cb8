#!/usr/bin/env bash
# Memory benchmark: is memory flat in the data size? Generates image-folder datasets of N and 10 x N
# 32x32 PNGs (10 classes), trains an MLP on each for one epoch on local[2] (2 workers, images read
# lazily per minibatch, 10% validation split), each in a fresh JVM with a fixed heap (-Xms = -Xmx), and
# prints that JVM's peak heap used (garbage included), peak live heap (after the latest GC), heap
# retained after training (after a full GC, shards still cached), peak resident set and, the heap being
# pre-touched, the resident set beyond the heap (all off-heap use: ND4J's native buffers, which no
# Java counter sees, JIT code, metaspace, thread stacks, zlib), JavaCPP's tracked pointers
# (Pointer.totalBytes) and NIO direct buffers. With the default 512 MiB heap, the
# decoded pixels of the 10x set (20,000 x 3 x 32 x 32 floats = 234 MiB) are about twice the memory
# Spark gives storage and execution together in that JVM ((512 - 300) x 0.6 = 127 MiB).
# Then the same columns for a numeric table of N and 10 x N rows of 3x32x32 floats (CSV, val file of
# N/10 rows) trained with data.storage = local-disk: shards streamed into memory-mapped files, so the
# heap retained does not grow with the data; rss_file is the file-backed part of the resident set (the
# mapped shard pages, which the kernel drops and re-reads under memory pressure), included in peak_rss.
# Usage: scripts/bench-memory.sh [N, default 2000] [HEAP, default 512m]
# Datasets and runs go to $BENCH_DIR (default runs/bench-memory); generated sets are reused.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
base="${1:-2000}"
heap="${2:-512m}"
work="${BENCH_DIR:-$ROOT/runs/bench-memory}"
mkdir -p "$work"
cd "$ROOT"
echo "compiling and resolving the classpath ..." >&2
mvn -q -B -pl common,spark-job compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >&2
# the modules' own classes, then their dependencies (without installed copies of the modules)
deps=$(tr ':' '\n' < spark-job/target/bench-classpath.txt | grep -v '/sparktrain-' | paste -sd: -)
cp="$ROOT/spark-job/target/classes:$ROOT/common/target/classes:$deps"
bench() {
  java -Xms"$heap" -Xmx"$heap" -XX:+AlwaysPreTouch "${JAVA_OPENS[@]}" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
    -Dorg.eclipse.deeplearning4j.helpers.disable=false ${SPARKTRAIN_JAVA_OPTS:-} \
    -cp "$cp" dev.sparktrain.job.bench.MemoryBenchmark "$@"
}
results="$work/results.txt"
: > "$results"
for n in "$base" $((10 * base)); do
  data="$work/images-$n"
  if [[ ! -f "$data/.complete" ]]; then
    echo "generating $n images in $data ..." >&2
    rm -rf "$data"
    bench generate "$data" "$n"
    touch "$data/.complete"
  fi
  echo "training on $n images ..." >&2
  bench train "$data" | tee "$work/train-$n.log" | grep '^RESULT' >> "$results" \
    || { tail -30 "$work/train-$n.log" >&2; exit 1; }
done
# control: the 1x set for 10 epochs sees as many images as the 10x set's one epoch, so memory that
# grows with run length (JIT code, allocator arenas) shows here too, memory that grows with data not
echo "training on $base images for 10 epochs ..." >&2
bench train "$work/images-$base" train.epochs=10 | tee "$work/train-$base-x10.log" | grep '^RESULT' >> "$results" \
  || { tail -30 "$work/train-$base-x10.log" >&2; exit 1; }
# numeric rows (3x32x32 floats as CSV) with data.storage = local-disk: shards streamed into
# memory-mapped files in Spark's local directory; a separate validation file of N/10 rows
if [[ ! -f "$work/val-$base.csv" ]]; then
  bench generate-csv "$work/val-$base.csv" $((base / 10))
fi
for n in "$base" $((10 * base)); do
  csv="$work/table-$n.csv"
  if [[ ! -f "$csv.complete" ]]; then
    echo "generating $n numeric rows in $csv ..." >&2
    bench generate-csv "$csv" "$n"
    touch "$csv.complete"
  fi
  echo "training on $n csv rows (data.storage = local-disk) ..." >&2
  bench train-csv "$csv" "$work/val-$base.csv" | tee "$work/train-csv-$n.log" | grep '^RESULT' >> "$results" \
    || { tail -30 "$work/train-csv-$n.log" >&2; exit 1; }
done
fmt='%-13s %8s %10s %10s %9s %9s %13s %13s %11s %8s %7s %9s\n'
printf "$fmt" data train_ex peak_heap peak_live retained peak_rss rss_over_heap peak_javacpp peak_direct seconds val_acc rss_file
printf "$fmt" "" "" MiB MiB MiB MiB MiB MiB MiB "" "" MiB
i=0
for n in "img-$base" "img-$((10 * base))" "img-${base}x10ep" "csv-disk-$base" "csv-disk-$((10 * base))"; do
  i=$((i + 1))
  read -r _ ex heapmb livemb retmb rssmb offmb natmb dirmb secs acc filemb < <(sed -n "${i}p" "$results")
  printf "$fmt" "$n" "$ex" "$heapmb" "$livemb" "$retmb" "$rssmb" "$offmb" "$natmb" "$dirmb" "$secs" "$acc" "$filemb"
done
