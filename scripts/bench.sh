#!/usr/bin/env bash
# One epoch of full Fashion-MNIST, side by side:
#   (a) the single-process trainer (no Spark, global batch = 2 x BATCH, ND4J on all cores)
#   (b) sparktrain synchronous SGD on local[2] (2 workers x BATCH)
#   (c) sparktrain parameter averaging, k = 8, on local[2] (2 workers x BATCH)
# plus (b) and (c) with 2 ND4J threads per task (oversubscribed: 4 threads on 2 cores).
# Usage: scripts/bench.sh [BATCH per worker, default 64] [EPOCHS, default 1]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
batch="${1:-64}"
epochs="${2:-1}"
ensure_built
ensure_dataset
out="$ROOT/runs/bench"
rm -rf "$out"
cd "$ROOT"

run() { # name, args...
  local name="$1"
  shift
  echo "running $name ..." >&2
  local start=$(date +%s.%N)
  run_job train conf/fashion-mnist-lenet.conf --set train.epochs="$epochs" --set checkpoint.every-epochs=0 \
    --set output.dir="$out/$name" --run-id bench "$@" > "$out-$name.log" 2>&1 || { tail -20 "$out-$name.log" >&2; exit 1; }
  local end=$(date +%s.%N)
  echo "$name $(echo "$end - $start" | bc)" >> "$out-wall.txt"
}
mkdir -p "$out"
: > "$out-wall.txt"
global=$((2 * batch))
run a-single  --local --set train.workers=1 --set train.batch-size="$global"
run b-sync    --set spark.master="local[2]" --set train.workers=2 --set train.batch-size="$batch" --set train.averaging-frequency=1
run c-avg8    --set spark.master="local[2]" --set train.workers=2 --set train.batch-size="$batch" --set train.averaging-frequency=8
run b-sync-2t --set spark.master="local[2]" --set train.workers=2 --set train.batch-size="$batch" --set train.averaging-frequency=1 --set train.threads-per-worker=2
run c-avg8-2t --set spark.master="local[2]" --set train.workers=2 --set train.batch-size="$batch" --set train.averaging-frequency=8 --set train.threads-per-worker=2

python3 - "$out" "$epochs" <<'PY'
import json, sys
out, epochs = sys.argv[1], int(sys.argv[2])
rows = [("a-single", "(a) single process, 1 replica, all cores"),
        ("b-sync", "(b) sparktrain sync, local[2], k=1"),
        ("c-avg8", "(c) sparktrain averaging, local[2], k=8"),
        ("b-sync-2t", "(b') as (b), 2 ND4J threads per task"),
        ("c-avg8-2t", "(c') as (c), 2 ND4J threads per task")]
wall = dict(l.split() for l in open(out + "-wall.txt"))
base = None
print(f"{'run':44} {'samples/s':>10} {'vs (a)':>7} {'train s':>8} {'val_acc':>8} {'job wall s':>10}")
for key, label in rows:
    m = [json.loads(l) for l in open(f"{out}/{key}/runs/bench/metrics.jsonl")]
    examples = sum(x["train_examples"] for x in m)
    seconds = sum(x["train_seconds"] for x in m)
    sps = examples / seconds
    base = base or sps
    print(f"{label:44} {sps:10,.0f} {sps / base:6.2f}x {seconds:8.1f} {m[-1]['val_accuracy']:8.4f} {float(wall[key]):10.1f}")
PY
