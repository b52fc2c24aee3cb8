#!/usr/bin/env bash
# The same job on both Spark lines, on the same machine in one run: LeNet-5 on full Fashion-MNIST on an
# embedded local[2] Spark, 2 workers x batch 64, synchronous (k = 1) and averaging (k = 8); samples/s of
# the last epoch (the first one warms the JVM up) and its test accuracy, and the Spark 4 / Spark 3.5 ratio.
# Usage: scripts/bench-lines.sh [EPOCHS, default 2]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
epochs=${1:-2}
out="$ROOT/runs/bench-lines"
rm -rf "$out"
mkdir -p "$out"
ensure_dataset
for line in spark3 spark4; do
  for k in 1 8; do
    echo "running $line, k = $k ..." >&2
    SPARK_LINE=$line "$ROOT/scripts/sparktrain.sh" train "$ROOT/conf/fashion-mnist-lenet.conf" \
      --set train.epochs="$epochs" --set train.batch-size=64 --set train.workers=2 --set train.averaging-frequency=$k \
      --set checkpoint.every-epochs=0 --set progress.every-seconds=0 --set output.dir="$out/$line-k$k" \
      --run-id bench >"$out/$line-k$k.log" 2>&1 || { tail -20 "$out/$line-k$k.log" >&2; exit 1; }
  done
done
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); $(java -version 2>&1 | head -1)"
python3 - "$out" "$epochs" <<'PY'
import json, sys
out, epochs = sys.argv[1], int(sys.argv[2])
rows = {}
for line in ("spark3", "spark4"):
    for k in (1, 8):
        last = [json.loads(l) for l in open(f"{out}/{line}-k{k}/runs/bench/metrics.jsonl") if l.strip()][-1]
        rows[line, k] = last
names = {"spark3": "Spark 3.5.9, Scala 2.12", "spark4": "Spark 4.2.0, Scala 2.13"}
print(f"LeNet-5, full Fashion-MNIST, local[2], 2 x 64; epoch {epochs} of {epochs}")
print(f"{'line':<26}{'mode':<16}{'samples/s':>10}{'vs 3.5':>8}{'test_acc':>10}")
for k, mode in ((1, "sync"), (8, "averaging k=8")):
    base = rows["spark3", k]["samples_per_sec"]
    for line in ("spark3", "spark4"):
        r = rows[line, k]
        print(f"{names[line]:<26}{mode:<16}{r['samples_per_sec']:>10,.0f}{r['samples_per_sec'] / base:>7.2f}x{r['val_accuracy']:>10.4f}")
PY
