#!/usr/bin/env bash
# Fault test on a real Spark standalone cluster (Master + 2 Workers on 127.0.0.1, started from Maven
# jars, no Spark distribution), with the job jar submitted in client mode like on a real cluster:
#   A  the 3-epoch job runs uninterrupted;
#   B  one executor JVM is killed (kill -9) after the first checkpoint: the job must finish with
#      exit code 0 and metrics identical to A's;
#   C  the driver is killed (kill -9) after the first checkpoint: its executors must exit, and the
#      same command with --resume must resume and finish with metrics identical to A's;
#   D  with checkpoint.every-steps, the driver is killed inside epoch 2 after 3 mid-epoch checkpoints:
#      --resume must continue inside epoch 2 (not from its start) and finish with metrics identical
#      to A's.
#   E  the collective transport (train.transport = collective: the executors keep the parameters and
#      the optimizer state), checkpoints every 8 steps; one executor JVM is killed inside epoch 2 while
#      a round runs: the job must go back to its newest checkpoint by itself, finish with exit code 0
#      and metrics identical to A's (the collective transport gives the driver transport's numbers).
#   F  the collective transport, checkpoints every 8 steps; the driver is killed inside epoch 2 after
#      3 mid-epoch checkpoints: its executors (which held the training state) must exit, and --resume
#      must continue inside epoch 2 and finish with metrics identical to A's.
#   G  scripts/submit.sh in standalone cluster deploy mode (the driver runs on a Worker, as a
#      platform runs it): the launcher exits with the job's own codes: 0 (trained and promoted), 3
#      (not promoted) and 2 (bad config), read back from the outcome the driver wrote.
# Exits non-zero on any failure or mismatch. Everything lives in a temporary folder that is removed
# at the end (CLUSTER_TEST_KEEP=1 keeps it); every process started here is killed on exit.
# The cluster itself is scripts/cluster-lib.sh's. SPARK_LINE=spark4 runs it all on Spark 4 (the job jar of
# mvn -Pspark4 on a cluster of Spark 4's jars).
# Builds the job jar when it is older than the sources (CLUSTER_TEST_NO_BUILD=1 takes the jar as is).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"

CONFIG="$ROOT/conf/fashion-mnist-lenet.conf"
EPOCHS=3
JOB_ARGS=(--set data.train.limit=4000 --set data.val.limit=500 --set train.workers=2 --set train.batch-size=32
  --set train.averaging-frequency=4 --set train.epochs=$EPOCHS --set checkpoint.every-epochs=1)
RUN_TIMEOUT=${CLUSTER_TEST_RUN_TIMEOUT:-240}  # seconds per spark-submit run
# CLUSTER_TEST_SCENARIOS="A D": run only those (A always runs: it is the reference)
wants() { [[ " ${CLUSTER_TEST_SCENARIOS:-A B C D E F G} " == *" $1 "* ]]; }
CLUSTER_KEEP=${CLUSTER_TEST_KEEP:-0}

ROWS=()
print_table() {
  [[ ${#ROWS[@]} -gt 0 ]] || return 0
  printf '\n%-28s %9s %15s %8s\n' scenario exit_code val_accuracy@3 wall_s
  printf '%s\n' "${ROWS[@]}"
}
on_failure() { print_table; }

cluster_setup cluster-test

# ---------------------------------------------------------------------------------------------------
if [[ "${CLUSTER_TEST_NO_BUILD:-0}" == 1 ]]; then  # test the job jar as it is
  [[ -f "$JOB_JAR" ]] || fail "no job jar at $JOB_JAR"
else
  ensure_built
fi
ensure_dataset
start_cluster 2 1 2g

submit_run() {  # submit_run LOGFILE OUTPUT_DIR [extra job args]: starts the driver in the background
  local logfile=$1 out=$2
  shift 2
  submit "$logfile" 2g \
    --conf spark.executor.extraJavaOptions=-Djava.io.tmpdir="$JVM_TMP" --conf spark.executor.memory=1g \
    --conf spark.executor.cores=1 --conf spark.cores.max=2 --conf spark.task.maxFailures=4 \
    -- train "$CONFIG" "${JOB_ARGS[@]}" --set output.dir="$out" --run-id run "$@"
}

wait_checkpoint() {  # wait_checkpoint OUTPUT_DIR PID: until the first checkpoint is in place
  local out=$1 pid=$2 start
  start=$SECONDS
  until [[ -f "$out/runs/run/checkpoints/latest" ]]; do
    kill -0 "$pid" 2>/dev/null || fail "the job exited before writing its first checkpoint"
    [[ $((SECONDS - start)) -lt $RUN_TIMEOUT ]] || fail "no checkpoint within $RUN_TIMEOUT s"
    sleep 0.1
  done
}

wait_mid_epoch() {  # wait_mid_epoch OUTPUT_DIR PID N: until N checkpoints inside epoch 2 are in place
  local out=$1 pid=$2 n=$3 start
  start=$SECONDS
  until [[ $(ls "$out/runs/run/checkpoints" 2>/dev/null | grep -c '^epoch-000001-step-') -ge $n ]]; do
    kill -0 "$pid" 2>/dev/null || fail "the job exited before writing a checkpoint inside epoch 2"
    [[ $((SECONDS - start)) -lt $RUN_TIMEOUT ]] || fail "no checkpoint inside epoch 2 within $RUN_TIMEOUT s"
    sleep 0.05
  done
}

metric_lines() {
  local n=0
  [[ -f "$1/runs/run/metrics.jsonl" ]] && n=$(grep -c . "$1/runs/run/metrics.jsonl" || true)
  echo "${n:-0}"
}

# compare_metrics REFERENCE_DIR DIR: exactly EPOCHS lines, each epoch's figures equal the reference's.
compare_metrics() {
  python3 - "$1/runs/run/metrics.jsonl" "$2/runs/run/metrics.jsonl" "$EPOCHS" <<'EOF'
import json, sys
ref_file, got_file, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def load(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError as e:
        sys.exit(f"cannot read {path}: {e}")
ref, got = load(ref_file), load(got_file)
if len(got) != epochs:
    sys.exit(f"{got_file} has {len(got)} lines, expected {epochs}")
keys = ("epoch", "step", "train_loss", "val_loss", "val_accuracy")
if len(ref) != epochs or any(k not in r for r in ref for k in keys):
    sys.exit(f"reference {ref_file}: expected {epochs} lines with keys {keys}")
bad = []
for r, g in zip(ref, got):
    for key in keys:
        if r.get(key) != g.get(key):
            bad.append(f"epoch {r.get('epoch')}: {key} {g.get(key)!r} != reference {r.get(key)!r}")
if bad:
    sys.exit("metrics differ from scenario A:\n  " + "\n  ".join(bad))
EOF
}

val_acc() {  # epoch-EPOCHS val_accuracy of a run directory, or "-"
  python3 - "$1/runs/run/metrics.jsonl" "$EPOCHS" <<'EOF' 2>/dev/null || echo "-"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(next(l["val_accuracy"] for l in lines if l["epoch"] == int(sys.argv[2])))
EOF
}

row() { ROWS+=("$(printf '%-28s %9s %15s %8s' "$1" "$2" "$3" "$4")"); }

# ---------------------------------------------------------------------------------------------------
log "scenario A: uninterrupted run"
OUT_A="$WORK/run-a"
t0=$(now)
submit_run "$LOGS/driver-a.log" "$OUT_A"
wait_driver "$DRIVER_PID" "$RUN_TIMEOUT"
WALL_A=$(elapsed "$t0")
[[ $DRIVER_RC -eq 0 ]] || fail "scenario A: the job exited with $DRIVER_RC"
[[ $(metric_lines "$OUT_A") -eq $EPOCHS ]] || fail "scenario A: $(metric_lines "$OUT_A") metrics lines, expected $EPOCHS"
[[ -f "$OUT_A/runs/run/model.zip" ]] || fail "scenario A: no model.zip"
row "A uninterrupted" "$DRIVER_RC" "$(val_acc "$OUT_A")" "$WALL_A"
log "scenario A: done in $WALL_A s; final metrics: $(tail -n 1 "$OUT_A/runs/run/metrics.jsonl")"

# ---------------------------------------------------------------------------------------------------
if wants B; then
log "scenario B: kill -9 one executor after the first checkpoint"
OUT_B="$WORK/run-b"
t0=$(now)
submit_run "$LOGS/driver-b.log" "$OUT_B"
wait_checkpoint "$OUT_B" "$DRIVER_PID"
victim=$(executor_pids | head -n 1)
[[ -n "$victim" ]] || fail "scenario B: no executor JVM found"
victim_args=$(ps -o args= -p "$victim")
app_b=$(sed -n 's/.*--app-id \([^ ]*\).*/\1/p' <<<"$victim_args")
victim_id=$(sed -n 's/.*--executor-id \([^ ]*\).*/\1/p' <<<"$victim_args")
victim_log=$(echo "$WORK"/worker-*/"$app_b/$victim_id/stderr")
[[ -f "$victim_log" ]] || fail "scenario B: no log of executor $victim_id ($victim_log)"
# Kill it while it runs a task (the checkpoint is written between rounds): its last task line says so.
start=$SECONDS
until tail -n 30 "$victim_log" | grep -E 'Running task|Finished task' | tail -n 1 | grep -q 'Running task'; do
  kill -0 "$DRIVER_PID" 2>/dev/null || fail "scenario B: the job finished before the executor was killed"
  [[ $((SECONDS - start)) -lt 60 ]] || fail "scenario B: executor $victim_id ran no task within 60 s"
  sleep 0.02
done
lines_at_kill=$(metric_lines "$OUT_B")
kill -9 "$victim"
kill -0 "$DRIVER_PID" 2>/dev/null && [[ $lines_at_kill -lt $EPOCHS ]] ||
  fail "scenario B: the job finished before the executor was killed: no fault was injected"
log "scenario B: killed executor $victim_id (pid $victim) of $app_b running a task; latest checkpoint $(cat "$OUT_B/runs/run/checkpoints/latest" 2>/dev/null || echo "?")"
wait_driver "$DRIVER_PID" "$RUN_TIMEOUT"
WALL_B=$(elapsed "$t0")
row "B executor killed" "$DRIVER_RC" "$(val_acc "$OUT_B")" "$WALL_B"
[[ $DRIVER_RC -eq 0 ]] || fail "scenario B: the job exited with $DRIVER_RC after losing an executor"
# The Worker must have launched a replacement: 3 executor folders for the app across both workers.
launched=$(find "$WORK"/worker-*/"$app_b" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)
[[ $launched -ge 3 ]] || fail "scenario B: expected a replacement executor, found $launched executor(s) for $app_b"
compare_metrics "$OUT_A" "$OUT_B" || fail "scenario B: results differ from the uninterrupted run"
lost_tasks=$(grep -c 'Lost task' "$LOGS/driver-b.log" || true)
[[ $lost_tasks -gt 0 ]] || log "scenario B: note: the executor's task had finished just before the kill (no task lost)"
log "scenario B: done in $WALL_B s; $launched executors launched, $lost_tasks lost task attempt(s) re-run"

fi

# ---------------------------------------------------------------------------------------------------
if wants C; then
log "scenario C: kill -9 the driver after the first checkpoint, then --resume"
OUT_C="$WORK/run-c"
t0=$(now)
submit_run "$LOGS/driver-c1.log" "$OUT_C"
wait_checkpoint "$OUT_C" "$DRIVER_PID"
lines_at_kill=$(metric_lines "$OUT_C")
app_executors=$(executor_pids | tr '\n' ' ')
[[ -n "${app_executors// /}" ]] || fail "scenario C: no executor JVM found"
kill -0 "$DRIVER_PID" 2>/dev/null || fail "scenario C: the driver exited before it could be killed"
kill -9 "$DRIVER_PID"
DRIVER_RC=0
wait "$DRIVER_PID" 2>/dev/null || DRIVER_RC=$?
WALL_C1=$(elapsed "$t0")
[[ $lines_at_kill -lt $EPOCHS ]] || fail "scenario C: the job finished before the driver was killed"
row "C driver killed" "$DRIVER_RC" "-" "$WALL_C1"
log "scenario C: killed the driver (latest checkpoint $(cat "$OUT_C/runs/run/checkpoints/latest" 2>/dev/null || echo "?")); waiting for its executors ($app_executors) to exit"
t1=$(now)
for pid in $app_executors; do
  while kill -0 "$pid" 2>/dev/null; do
    [[ $(awk -v a="$t1" -v b="$(now)" 'BEGIN { print (b - a < 60) }') == 1 ]] ||
      fail "scenario C: executor $pid still running 60 s after the driver was killed"
    sleep 0.1
  done
done
[[ -z "$(executor_pids)" ]] || fail "scenario C: executors running with no driver: $(executor_pids | tr '\n' ' ')"
log "scenario C: executors gone $(elapsed "$t1") s after the driver; resuming"
t0=$(now)
submit_run "$LOGS/driver-c2.log" "$OUT_C" --resume
wait_driver "$DRIVER_PID" "$RUN_TIMEOUT"
WALL_C2=$(elapsed "$t0")
row "C resumed (--resume)" "$DRIVER_RC" "$(val_acc "$OUT_C")" "$WALL_C2"
[[ $DRIVER_RC -eq 0 ]] || fail "scenario C: the resumed job exited with $DRIVER_RC"
resumed=$(grep -m 1 -E 'resuming run [^ ]+ from' "$LOGS/driver-c2.log" || true)
[[ -n "$resumed" ]] || fail "scenario C: the resumed job did not print 'resuming run ID from'"
log "scenario C: $resumed"
compare_metrics "$OUT_A" "$OUT_C" || fail "scenario C: results differ from the uninterrupted run"

fi

# ---------------------------------------------------------------------------------------------------
# Kills the driver (kill -9) after 3 mid-epoch checkpoints inside epoch 2, waits for its executors to
# exit, resumes with --resume, and checks the run resumed inside epoch 2 and ends with A's metrics.
# driver_killed_mid_epoch SCENARIO ROW_LABEL [job arguments ...]
driver_killed_mid_epoch() {
  local sc=$1 label=$2 name out t0 t1 resumed
  shift 2
  name=$(echo "$sc" | tr '[:upper:]' '[:lower:]')
  out="$WORK/run-$name"
  t0=$(now)
  submit_run "$LOGS/driver-${name}1.log" "$out" --set checkpoint.every-steps=8 "$@"
  wait_mid_epoch "$out" "$DRIVER_PID" 3
  if [[ " $* " == *train.transport=collective* ]]; then
    grep -q 'train.transport = collective' "$LOGS/driver-${name}1.log" ||
      fail "scenario $sc: the job did not use the collective transport"
  fi
  kill -0 "$DRIVER_PID" 2>/dev/null || fail "scenario $sc: the driver exited before it could be killed"
  kill -9 "$DRIVER_PID"
  DRIVER_RC=0
  wait "$DRIVER_PID" 2>/dev/null || DRIVER_RC=$?
  [[ $(metric_lines "$out") -eq 1 ]] || fail "scenario $sc: killed with $(metric_lines "$out") epochs done, expected 1"
  row "$sc $label, driver killed" "$DRIVER_RC" "-" "$(elapsed "$t0")"
  log "scenario $sc: killed the driver; checkpoints: $(ls "$out/runs/run/checkpoints" | grep '^epoch-' | tr '\n' ' ')"
  t1=$(now)
  until [[ -z "$(executor_pids)" ]]; do
    [[ $(awk -v a="$t1" -v b="$(now)" 'BEGIN { print (b - a < 60) }') == 1 ]] ||
      fail "scenario $sc: executors still running 60 s after the driver was killed"
    sleep 0.1
  done
  log "scenario $sc: executors gone $(elapsed "$t1") s after the driver; resuming"
  t0=$(now)
  submit_run "$LOGS/driver-${name}2.log" "$out" --set checkpoint.every-steps=8 "$@" --resume
  wait_driver "$DRIVER_PID" "$RUN_TIMEOUT"
  row "$sc $label, resumed" "$DRIVER_RC" "$(val_acc "$out")" "$(elapsed "$t0")"
  [[ $DRIVER_RC -eq 0 ]] || fail "scenario $sc: the resumed job exited with $DRIVER_RC"
  resumed=$(grep -m 1 -E 'resuming run [^ ]+ from .* in epoch 2 after its step [0-9]+' "$LOGS/driver-${name}2.log" || true)
  [[ -n "$resumed" ]] || fail "scenario $sc: the resumed job did not resume inside epoch 2: $(grep -m 1 'resuming' "$LOGS/driver-${name}2.log" || echo 'no resuming line')"
  log "scenario $sc: $resumed"
  compare_metrics "$OUT_A" "$out" || fail "scenario $sc: results differ from the uninterrupted run"
}

if wants D; then
log "scenario D: checkpoints every 8 steps; kill -9 the driver after 3 of them inside epoch 2, then --resume"
driver_killed_mid_epoch D "mid-epoch"
fi

# ---------------------------------------------------------------------------------------------------
if wants E; then
log "scenario E: collective transport, checkpoints every 8 steps; kill -9 one executor inside epoch 2"
OUT_E="$WORK/run-e"
t0=$(now)
submit_run "$LOGS/driver-e.log" "$OUT_E" --set train.transport=collective --set checkpoint.every-steps=8
wait_mid_epoch "$OUT_E" "$DRIVER_PID" 1
grep -q 'train.transport = collective' "$LOGS/driver-e.log" || fail "scenario E: the job did not use the collective transport"
victim=$(executor_pids | head -n 1)
[[ -n "$victim" ]] || fail "scenario E: no executor JVM found"
lines_at_kill=$(metric_lines "$OUT_E")
kill -9 "$victim"
kill -0 "$DRIVER_PID" 2>/dev/null && [[ $lines_at_kill -lt $EPOCHS ]] ||
  fail "scenario E: the job finished before the executor was killed: no fault was injected"
log "scenario E: killed executor pid $victim; latest checkpoint $(cat "$OUT_E/runs/run/checkpoints/latest" 2>/dev/null || echo "?")"
wait_driver "$DRIVER_PID" "$RUN_TIMEOUT"
WALL_E=$(elapsed "$t0")
row "E collective, executor killed" "$DRIVER_RC" "$(val_acc "$OUT_E")" "$WALL_E"
[[ $DRIVER_RC -eq 0 ]] || fail "scenario E: the job exited with $DRIVER_RC after losing an executor"
back=$(grep -m 1 'the executors lost the training state' "$LOGS/driver-e.log" || true)
[[ -n "$back" ]] || fail "scenario E: the job did not say it went back to a checkpoint"
log "scenario E: ${back#*] }"
compare_metrics "$OUT_A" "$OUT_E" || fail "scenario E: results differ from the uninterrupted run"
fi
# ---------------------------------------------------------------------------------------------------
if wants F; then
log "scenario F: collective transport, checkpoints every 8 steps; kill -9 the driver inside epoch 2, then --resume"
driver_killed_mid_epoch F "collective" --set train.transport=collective
fi
# ---------------------------------------------------------------------------------------------------
if wants G; then
log "scenario G: scripts/submit.sh in standalone cluster deploy mode: the job's exit codes reach the launcher"
mkdir -p "$SPARK_HOME/bin" "$WORK/outcomes"
# spark-submit as Spark's own script runs it, from the jars of this cluster
{ echo '#!/usr/bin/env bash'
  printf 'exec java -Xmx512m'; printf ' %q' "${JAVA_OPENS[@]}"; printf ' -cp %q org.apache.spark.deploy.SparkSubmit "$@"\n' "$SPARK_CP"
} >"$SPARK_HOME/bin/spark-submit"
chmod +x "$SPARK_HOME/bin/spark-submit"
OUT_G="$WORK/run-g"
submit_cluster() {  # submit_cluster NAME [job arguments ...]: sets G_RC
  local name=$1
  shift
  G_RC=0
  FAILED_LOG="$LOGS/submit-$name.log"
  SPARKTRAIN_OUTCOME_DIR="file://$WORK/outcomes" timeout "$RUN_TIMEOUT" bash "$ROOT/scripts/submit.sh" \
    --master "$MASTER_URL" --deploy-mode cluster --driver-memory 1g --conf spark.driver.cores=1 \
    --conf spark.executor.memory=1g --conf spark.ui.enabled=false -- "$CONFIG" "${JOB_ARGS[@]}" \
    --set train.workers=1 --set train.epochs=1 --set output.dir="\"$OUT_G\"" "$@" >"$LOGS/submit-$name.log" 2>&1 || G_RC=$?
  log "scenario G: $name: exit $G_RC, $(tail -n 1 "$LOGS/submit-$name.log")"
}
t0=$(now)
submit_cluster day1 --run-id day1
[[ $G_RC -eq 0 ]] || fail "scenario G: the first run exited $G_RC through submit.sh, expected 0 (promoted)"
[[ "$(cat "$OUT_G/production")" == day1 ]] || fail "scenario G: day1 is not production"
submit_cluster bad --run-id bad --set train.init=production --set optimizer.lr=50
[[ $G_RC -eq 3 ]] || fail "scenario G: the lr = 50 run exited $G_RC through submit.sh, expected 3 (not promoted)"
submit_cluster config --run-id config --set train.batch-size=0
[[ $G_RC -eq 2 ]] || fail "scenario G: a bad config exited $G_RC through submit.sh, expected 2"
grep -q 'train.batch-size' "$LOGS/submit-config.log" || fail "scenario G: the launcher did not print the config error"
row "G cluster mode: 0, 3, 2" 0 "$(val_acc "$OUT_G" 2>/dev/null || echo -)" "$(elapsed "$t0")"
fi
FAILED_LOG=""

print_table
echo "cluster test passed (scenarios ${CLUSTER_TEST_SCENARIOS:-A B C D E F G}, $SPARK_LINE): every failure injected was recovered with the uninterrupted run's epoch figures, every exit code came back"
