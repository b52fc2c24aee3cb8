#!/usr/bin/env bash
# GPU scheduling on a real Spark standalone cluster without GPUs: 2 Workers of 2 cores each announce 2
# made-up GPUs through scripts/gpu-discovery.sh (over a stand-in nvidia-smi that lists devices 0 and 1),
# as Spark's own GPU scheduling tests do. The job runs with train.device = gpu and the recording binder
# (train.gpu-binder = record:DIR: each task records the addresses Spark gave it and the one it bound,
# instead of calling CUDA; the CPU backend computes):
#   A  the same job with train.device = cpu: the reference figures;
#   B  train.device = gpu, 2 GPUs per executor: every task got a GPU address and bound one of its own,
#      tasks running at once on one executor bound different GPUs, both GPUs of an executor were used,
#      and the figures equal A's;
#   C  train.device = auto with spark-submit asking for GPUs: it chooses the GPUs and says so;
#   D  more GPUs per executor than any worker has: the job fails before training within train.gpu-wait,
#      exit code 2, the last line naming the settings.
# Nothing here runs CUDA: the README says what has and has not run on a GPU.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"

CONFIG="$ROOT/conf/fashion-mnist-lenet.conf"
EPOCHS=2
JOB_ARGS=(--set data.train.limit=2000 --set data.val.limit=400 --set train.workers=4 --set train.batch-size=16
  --set train.epochs=$EPOCHS --set progress.every-seconds=0 --run-id run)
RUN_TIMEOUT=${CLUSTER_TEST_RUN_TIMEOUT:-300}
CLUSTER_KEEP=${CLUSTER_TEST_KEEP:-0}
on_failure() { :; }

cluster_setup gpu-cluster-test
ensure_built
ensure_dataset

mkdir -p "$WORK/fake-bin"
printf '#!/bin/sh\n# a stand-in nvidia-smi: two GPUs\necho 0\necho 1\n' >"$WORK/fake-bin/nvidia-smi"
chmod +x "$WORK/fake-bin/nvidia-smi"
export PATH="$WORK/fake-bin:$PATH"
CLUSTER_WORKER_OPTS="-Dspark.worker.resource.gpu.amount=2 -Dspark.worker.resource.gpu.discoveryScript=$ROOT/scripts/gpu-discovery.sh"
start_cluster 2 2 3g
grep -q 'gpu' "$LOGS/worker-1.log" || log "note: the Worker's log does not mention its GPUs"

submit_job() {  # submit_job LOGFILE OUTPUT_DIR [spark-submit options ...] -- [job args ...]
  local logfile=$1 out=$2
  shift 2
  local opts=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do opts+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  submit "$logfile" 2g --conf spark.executor.memory=1g --conf spark.executor.cores=2 --conf spark.cores.max=4 \
    --conf spark.executor.extraJavaOptions=-Djava.io.tmpdir="$JVM_TMP" "${opts[@]}" \
    -- train "$CONFIG" "${JOB_ARGS[@]}" --set output.dir="$out" "$@"
  wait_driver "$DRIVER_PID" "$RUN_TIMEOUT"
}

same_metrics() {  # same_metrics A_DIR B_DIR: every epoch's figures equal
  python3 - "$1/runs/run/metrics.jsonl" "$2/runs/run/metrics.jsonl" "$EPOCHS" <<'PY'
import json, sys
a, b = ([json.loads(l) for l in open(p) if l.strip()] for p in sys.argv[1:3])
n = int(sys.argv[3])
if len(a) != n or len(b) != n:
    sys.exit(f"expected {n} epochs, found {len(a)} and {len(b)}")
bad = [f"epoch {x['epoch']}: {k} {y[k]!r} != {x[k]!r}" for x, y in zip(a, b)
       for k in ("epoch", "step", "train_loss", "val_loss", "val_accuracy") if x[k] != y[k]]
if bad:
    sys.exit("figures differ from the CPU run:\n  " + "\n  ".join(bad))
PY
}

log "A: train.device = cpu (reference)"
submit_job "$LOGS/a.log" "$WORK/a" -- --set train.device=cpu
[[ $DRIVER_RC -eq 0 ]] || fail "A: the job exited with $DRIVER_RC"

log "B: train.device = gpu on fake GPUs, 2 per executor, the recording binder"
submit_job "$LOGS/b.log" "$WORK/b" --conf spark.executor.resource.gpu.amount=2 \
  -- --set train.device=gpu --set train.gpu-binder="\"record:$WORK/bindings\""
[[ $DRIVER_RC -eq 0 ]] || fail "B: the job exited with $DRIVER_RC"
grep -q 'train.device = gpu: the check' "$LOGS/b.log" || fail "B: no GPU check in the driver's log"
same_metrics "$WORK/a" "$WORK/b" || fail "B: the GPU path's figures differ from the CPU run's"
python3 - "$WORK/bindings" <<'PY' || fail "B: the recorded bindings are wrong"
import glob, re, sys
from collections import defaultdict
events = []
for path in glob.glob(sys.argv[1] + "/*.log"):
    for line in open(path):
        kind, rest = line.split(" ", 1)
        f = dict(re.findall(r"(\w+)=(\S+)", rest))
        events.append((kind, f))
binds = [f for k, f in events if k == "bind"]
if not binds:
    sys.exit("no task recorded a binding")
tasks = defaultdict(dict)
for kind, f in events:
    key = (f["executor"], f["pid"], f["stage"], f["partition"], f["attempt"], f["thread"])
    tasks[key][kind] = f
for key, t in tasks.items():
    if "bind" not in t or "release" not in t:
        sys.exit(f"task {key} has no bind/release pair: {t}")
    assigned = t["bind"]["assigned"].split(",")
    if not t["bind"]["assigned"] or t["bind"]["bound"] not in assigned:
        sys.exit(f"task {key} bound {t['bind']['bound']} of what Spark gave it: {assigned}")
# tasks running at the same time in one executor JVM hold different GPUs
per_jvm = defaultdict(list)
for key, t in tasks.items():
    per_jvm[(key[0], key[1])].append((int(t["bind"]["t"]), int(t["release"]["t"]), t["bind"]["bound"], key))
overlapping = 0
for jvm, spans in per_jvm.items():
    for i, (s1, e1, g1, k1) in enumerate(spans):
        for s2, e2, g2, k2 in spans[i + 1:]:
            if s1 < e2 and s2 < e1:
                overlapping += 1
                if g1 == g2:
                    sys.exit(f"tasks {k1} and {k2} ran at once in executor {jvm} on the same GPU {g1}")
used = {jvm: sorted({g for _, _, g, _ in spans}) for jvm, spans in per_jvm.items()}
if overlapping == 0:
    sys.exit("no two tasks ran at once in one executor: the check proves nothing")
if not any(len(g) >= 2 for g in used.values()):
    sys.exit(f"no executor used both of its GPUs: {used}")
stages = len({f["stage"] for f in binds})
print(f"{len(tasks)} tasks in {stages} stages on {len(per_jvm)} executors bound a GPU Spark gave them; "
      f"{overlapping} pairs ran at once on different GPUs; GPUs used per executor: {sorted(used.values())}")
PY

log "C: train.device = auto, spark-submit asking for GPUs"
submit_job "$LOGS/c.log" "$WORK/c" --conf spark.executor.resource.gpu.amount=2 --conf spark.task.resource.gpu.amount=1 \
  -- --set train.device=auto --set train.epochs=1 --set train.gpu-binder="\"record:$WORK/bindings-c\""
[[ $DRIVER_RC -eq 0 ]] || fail "C: the job exited with $DRIVER_RC"
grep -m 1 'train.device = auto: training on GPUs' "$LOGS/c.log" >&2 || fail "C: auto did not choose the GPUs"

log "D: 3 GPUs per executor asked, the workers have 2"
submit_job "$LOGS/d.log" "$WORK/d" --conf spark.executor.resource.gpu.amount=3 --conf spark.scheduler.maxRegisteredResourcesWaitingTime=5s \
  -- --set train.device=gpu --set train.gpu-wait=20s --set train.gpu-binder="\"record:$WORK/bindings-d\""
last=$(grep -v '^\s*$' "$LOGS/d.log" | tail -n 1)
[[ $DRIVER_RC -eq 2 ]] || fail "D: exit code $DRIVER_RC, expected 2 (last line: $last)"
[[ "$last" == "config error: train.device = gpu: no executor with GPUs ran a task within train.gpu-wait = 20 s"* ]] ||
  fail "D: the last line is not the GPU error: $last"
[[ ! -e "$WORK/d/runs" ]] || fail "D: the failed job wrote a run"
log "D: $last"
FAILED_LOG=""
echo "GPU cluster test passed: tasks bound the fake GPUs Spark assigned them, figures equal the CPU run's"
