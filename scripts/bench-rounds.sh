#!/usr/bin/env bash
# What a training round costs, guarded against a baseline kept in the repository.
#
# Trains scripts/bench-rounds/rounds.conf (an MLP with 16 hidden units on 16 CSV features, synchronous
# SGD, batch 16 per worker, 2 epochs) on local[2] and on a 2-worker standalone cluster (1 core each),
# with resident tasks (P = 2) and one Spark job per round (P = 2, 4, 8: where P exceeds the 2 task slots
# every round is a job of several waves), and reports milliseconds per round: epoch 2's train_seconds
# over its rounds. Each figure is printed against scripts/bench-rounds/baseline.csv with the ratio;
# a figure over 1.3 x its baseline is measured again at once, and the script exits 1 when it is over in
# both consecutive runs (a regression, not noise).
#
# Usage: scripts/bench-rounds.sh                   measure and compare; exit 1 on a regression
#        scripts/bench-rounds.sh --update-baseline measure and write the figures as the new baseline
#        scripts/bench-rounds.sh --cost-model [ROUNDS]   the per-round cost model with compute removed
#                                                  (scripts/bench-rounds/cost-model.sh, docs/performance.md)
# BENCH_ROUNDS_WHERE="local standalone" selects the masters, BENCH_ROUNDS_BASELINE another baseline file. Output also in runs/bench-rounds/guard.csv.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ "${1:-}" == --cost-model ]]; then
  shift
  exec bash "$here/bench-rounds/cost-model.sh" "$@"
fi
update=0
if [[ "${1:-}" == --update-baseline ]]; then
  update=1
  shift
fi
[[ $# -eq 0 ]] || { echo "usage: scripts/bench-rounds.sh [--update-baseline | --cost-model [ROUNDS]]" >&2; exit 2; }
source "$here/lib.sh"
source "$here/cluster-lib.sh"
BASELINE="${BENCH_ROUNDS_BASELINE:-$here/bench-rounds/baseline.csv}"
CONF="$here/bench-rounds/rounds.conf"
LIMIT=1.3
POINTS=("resident 2" "jobs 2" "jobs 4" "jobs 8")
WHERE=(${BENCH_ROUNDS_WHERE:-local standalone})

ensure_built
CLUSTER_KEEP=0
cluster_setup bench-rounds
DATA="$WORK/rounds.csv"
python3 - "$DATA" <<'PY'
import random, sys
rng = random.Random(16)
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"f{i}" for i in range(16)) + ",label\n")
    for _ in range(8000):
        x = [rng.gauss(0, 1) for _ in range(16)]
        f.write(",".join(f"{v:.5f}" for v in x) + f",{int(sum(x[:4]) > 0)}\n")
PY
MACHINE="$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"

ms_per_round() {  # ms_per_round METRICS_JSONL: epoch 2's train_seconds over its rounds (k = 1)
  python3 - "$1" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
e1, e2 = rows[0], rows[1]
print(f"{1000 * e2['train_seconds'] / (e2['step'] - e1['step']):.2f}")
PY
}

# measure WHERE TRANSPORT P: prints ms per round
measure() {
  local where=$1 transport=$2 p=$3 out="$WORK/out-$1-$2-$3-$RANDOM" log
  log="$LOGS/$where-$transport-$p.log"
  local args=(train "$CONF" --set data.train.path="file://$DATA" --set output.dir="$out" --run-id bench
    --set train.workers="$p" --set train.rounds="$transport")
  if [[ $where == local ]]; then
    run_job "${args[@]}" --set spark.master='local[2]' >"$log" 2>&1 || { tail -20 "$log" >&2; fail "$where $transport P=$p failed"; }
  else
    submit "$log" 2g --conf spark.executor.extraJavaOptions=-Djava.io.tmpdir="$JVM_TMP" \
      --conf spark.executor.memory=1g --conf spark.executor.cores=1 --conf spark.cores.max=2 -- "${args[@]}"
    wait_driver "$DRIVER_PID" 600
    [[ $DRIVER_RC -eq 0 ]] || { tail -20 "$log" >&2; fail "$where $transport P=$p exited with $DRIVER_RC"; }
  fi
  grep -q "resident rounds: listening" "$log" && [[ $transport == jobs ]] && fail "$where jobs P=$p ran resident rounds"
  ms_per_round "$out/runs/bench/metrics.jsonl"
}

baseline_of() {  # baseline_of WHERE TRANSPORT P: the baseline's figure, or nothing
  [[ -f "$BASELINE" ]] || return 0
  awk -F, -v w="$1" -v t="$2" -v p="$3" '!/^#/ && $1 == w && $2 == t && $3 == p { print $4 }' "$BASELINE"
}

results=()
regressions=0
for where in "${WHERE[@]}"; do
  if [[ $where == standalone ]]; then
    start_cluster 2 1 2g
  fi
  for point in "${POINTS[@]}"; do
    read -r transport p <<<"$point"
    ms=$(measure "$where" "$transport" "$p")
    base=$(baseline_of "$where" "$transport" "$p")
    line=$(printf '%-10s %-8s P=%-2s %8.2f ms/round' "$where" "$transport" "$p" "$ms")
    if [[ -n "$base" ]]; then
      ratio=$(awk -v a="$ms" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
      if [[ $update -eq 0 ]] && awk -v r="$ratio" -v l="$LIMIT" 'BEGIN { exit !(r > l) }'; then
        again=$(measure "$where" "$transport" "$p")
        ratio2=$(awk -v a="$again" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
        if awk -v r="$ratio2" -v l="$LIMIT" 'BEGIN { exit !(r > l) }'; then
          line+=$(printf '  baseline %8.2f  %sx, again %.2f ms %sx  REGRESSION' "$base" "$ratio" "$again" "$ratio2")
          regressions=$((regressions + 1))
        else
          line+=$(printf '  baseline %8.2f  %sx, again %.2f ms %sx  (noise)' "$base" "$ratio" "$again" "$ratio2")
          ms=$again
        fi
      else
        line+=$(printf '  baseline %8.2f  %sx' "$base" "$ratio")
      fi
    else
      line+="  (no baseline)"
    fi
    echo "$line"
    results+=("$where,$transport,$p,$ms")
  done
done

mkdir -p "$ROOT/runs/bench-rounds"
{
  echo "# $MACHINE; $(date -u +%Y-%m-%d); scripts/bench-rounds.sh ($(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown))"
  echo "where,transport,workers,ms_per_round"
  printf '%s\n' "${results[@]}"
} >"$ROOT/runs/bench-rounds/guard.csv"
echo "this machine: $MACHINE"
[[ -f "$BASELINE" ]] && echo "baseline:     $(head -1 "$BASELINE" | sed 's/^# //')"
if [[ $update -eq 1 ]]; then
  cp "$ROOT/runs/bench-rounds/guard.csv" "$BASELINE"
  echo "baseline written: $BASELINE (commit it)"
elif [[ $regressions -gt 0 ]]; then
  echo "FAILED: $regressions figure(s) over $LIMIT x the baseline in two consecutive runs" >&2
  exit 1
fi
