#!/usr/bin/env bash
# sparktrain against its peers, LeNet-5 on full Fashion-MNIST, Adam lr 0.001, one table:
#   PyTorch on the CPU (2 threads), global batch 64 and 128;
#   DL4J's own Spark trainer (SparkDl4jMultiLayer + ParameterAveragingTrainingMaster, averaging every 5,
#     DL4J's default) on local[2], 2 x 32 and 2 x 64, as shipped and with the oneDNN repair;
#   sparktrain --local (one process) at 64 and 128, and on local[2] with 2 x 32 and 2 x 64: synchronous
#     (k = 1) and parameter averaging with k = 5 (PATM's setting) and k = 8, with resident tasks (the
#     default where all tasks fit), and at 2 x 64 also with one Spark job per round (train.rounds = jobs).
# The table gives samples/s of the last epoch (epoch 1 includes JIT warm-up), ratios against PyTorch at
# the same global batch, against sparktrain --local at the same global batch and against PATM at the same
# workers x batch, and test accuracy after EPOCHS epochs.
# Run it on an otherwise idle machine: a busy core slows PyTorch's two OpenMP threads several times over.
# Usage: scripts/bench-peers.sh [--quick] [EPOCHS, default 2]
#   --quick (or BENCH_QUICK=1): smoke run, 1 epoch on the first 10,000 training examples (not a benchmark)
#   BENCH_ONLY=pytorch,patm,sparktrain: only these groups, or runs whose name starts with a token
#     (e.g. BENCH_ONLY=patm-repaired,st-avg5); run names are in the table file
# Writes runs/bench-peers/: one log per run, sparktrain's run folders, table.txt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
quick="${BENCH_QUICK:-0}"
if [[ "${1:-}" == "--quick" ]]; then
  quick=1
  shift
fi
epochs="${1:-2}"
limit=0
if [[ "$quick" == 1 ]]; then
  epochs=1
  limit=10000
fi
only="${BENCH_ONLY:-pytorch,patm,sparktrain}"
out="$ROOT/runs/bench-peers"
PEERS_JAR="$ROOT/bench-peers/target/sparktrain-bench-peers-0.1.0-SNAPSHOT.jar"
PEERS_CP_FILE="$ROOT/bench-peers/target/classpath.txt"

selected() { # group, name
  local token
  for token in ${only//,/ }; do
    [[ "$1" == "$token" || "$2" == "$token"* ]] && return 0
  done
  return 1
}

# The PATM baseline module (profile bench-peers: never part of the default build) and its classpath.
ensure_peers_built() {
  local newest
  newest=$(find "$ROOT/pom.xml" "$ROOT/bench-peers/pom.xml" "$ROOT/bench-peers/src" "$ROOT/common/pom.xml" "$ROOT/common/src" \
    -newer "$PEERS_JAR" \( -name '*.java' -o -name '*.xml' \) -print -quit 2>/dev/null || true)
  if [[ ! -f "$PEERS_JAR" || ! -f "$PEERS_CP_FILE" || -n "$newest" ]]; then
    echo "building the PATM baseline (mvn -Pbench-peers -pl bench-peers -am package)..." >&2
    (cd "$ROOT" && mvn -B -q -Pbench-peers -pl bench-peers -am package -DskipTests) >&2
    touch "$PEERS_JAR" # an unchanged jar keeps its old time: do not rebuild next time
  fi
}

# Appends a row to the run list the table is made from: name group source workers batch-per-worker k label
row() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$out/runs.tsv"
}

run_logged() { # name, command...
  local name="$1"
  shift
  echo "running $name ..." >&2
  "$@" > "$out/$name.log" 2>&1 || { tail -20 "$out/$name.log" >&2; exit 1; }
}

have_torch=""
pytorch() { # global batch
  local name="pytorch-b$1"
  selected pytorch "$name" || return 0
  if [[ -z "$have_torch" ]]; then
    have_torch=0
    /usr/bin/python3 -c 'import torch' 2>/dev/null && have_torch=1 \
      || echo "note: /usr/bin/python3 cannot import torch: the PyTorch rows are skipped (Debian: apt-get install python3-torch)" >&2
  fi
  if [[ "$have_torch" == 1 ]]; then
    # OpenMP's default wait policy, as PyTorch users run it (lib.sh exports PASSIVE for sparktrain's JVMs)
    run_logged "$name" env -u OMP_WAIT_POLICY /usr/bin/python3 "$ROOT/scripts/bench-peers/lenet_torch.py" --batch "$1" --epochs "$epochs" \
      --train-limit "$limit" --threads 2 --data-dir "$DATA_DIR"
  fi
  row "$name" pytorch log 1 "$1" - "PyTorch, CPU, 2 threads"
}

patm() { # shipped|repaired, batch per worker
  local name="patm-$1-2x$2"
  selected patm "$name" || return 0
  ensure_peers_built
  local label="DL4J PATM as shipped, k=5"
  [[ "$1" == repaired ]] && label="DL4J PATM + oneDNN repair, k=5"
  # repaired: also OpenMP's passive wait policy, as sparktrain's scripts and executors get it;
  # shipped: OpenMP's default (lib.sh exports PASSIVE for the sparktrain runs)
  local policy=(-u OMP_WAIT_POLICY)
  [[ "$1" == repaired ]] && policy=(OMP_WAIT_POLICY=PASSIVE)
  run_logged "$name" env "${policy[@]}" java -Xmx6g "${JAVA_OPENS[@]}" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
    -cp "$PEERS_JAR:$(cat "$PEERS_CP_FILE")" dev.sparktrain.bench.peers.PatmBenchmark --mode "$1" \
    --batch-per-worker "$2" --workers 2 --averaging-frequency 5 --epochs "$epochs" --lr 0.001 --seed 42 \
    --train-limit "$limit" --data-dir "$DATA_DIR" --work-dir "$out/$name-work"
  row "$name" patm log 2 "$2" 5 "$label"
}

job_built=""
sparktrain() { # name, workers, batch per worker, k (- for --local), label, settings...
  local name="$1" workers="$2" batch="$3" k="$4" label="$5"
  shift 5
  selected sparktrain "$name" || return 0
  [[ -n "$job_built" ]] || { ensure_built; job_built=1; }
  run_logged "$name" run_job train conf/fashion-mnist-lenet.conf --set optimizer.lr=0.001 --set train.epochs="$epochs" \
    --set checkpoint.every-epochs=0 --set data.train.limit="$limit" --set output.dir="$out/$name" --run-id bench \
    --set train.workers="$workers" --set train.batch-size="$batch" "$@"
  row "$name" sparktrain metrics "$workers" "$batch" "$k" "$label"
}

rm -rf "$out"
mkdir -p "$out"
: > "$out/runs.tsv"
ensure_dataset
cd "$ROOT"
started=$(date '+%Y-%m-%d %H:%M %Z')
load=$(cut -d' ' -f1 /proc/loadavg)

pytorch 64
pytorch 128
patm shipped 32
patm shipped 64
patm repaired 32
patm repaired 64
sparktrain st-local-b64 1 64 - "sparktrain --local, 1 process" --local
sparktrain st-local-b128 1 128 - "sparktrain --local, 1 process" --local
for b in 32 64; do
  sparktrain "st-sync-2x$b" 2 "$b" 1 "sparktrain sync, local[2]" --set spark.master="local[2]" --set train.averaging-frequency=1
done
for k in 5 8; do
  for b in 32 64; do
    sparktrain "st-avg$k-2x$b" 2 "$b" "$k" "sparktrain averaging, local[2]" --set spark.master="local[2]" \
      --set train.averaging-frequency="$k"
  done
done
# the same with one Spark job per round (train.rounds = jobs) instead of resident tasks
sparktrain "st-sync-jobs-2x64" 2 64 1 "sparktrain sync, 1 job/round" --set spark.master="local[2]" \
  --set train.averaging-frequency=1 --set train.rounds=jobs
sparktrain "st-avg5-jobs-2x64" 2 64 5 "sparktrain averaging, 1 job/round" --set spark.master="local[2]" \
  --set train.averaging-frequency=5 --set train.rounds=jobs

python3 "$ROOT/scripts/bench-peers/table.py" "$out" --epochs "$epochs" --limit "$limit" --started "$started" \
  --load "$load" --cpu "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)" --cores "$(nproc)" \
  | tee "$out/table.txt"
