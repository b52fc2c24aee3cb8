#!/usr/bin/env bash
# Fault test on a real Spark standalone cluster (Master + 2 Workers on 127.0.0.1, started from Maven
# jars, no Spark distribution), with the job jar submitted in client mode like on a real cluster:
#   A  the 3-epoch job runs uninterrupted;
#   B  one executor JVM is killed (kill -9) after the first checkpoint: the job must finish with
#      exit code 0 and metrics identical to A's;
#   C  the driver is killed (kill -9) after the first checkpoint: its executors must exit, and the
#      same command with --resume must resume and finish with metrics identical to A's.
# Exits non-zero on any failure or mismatch. Everything lives in a temporary folder that is removed
# at the end (CLUSTER_TEST_KEEP=1 keeps it); every process started here is killed on exit.
# Builds the job jar when it is older than the sources (CLUSTER_TEST_NO_BUILD=1 takes the jar as is).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONFIG="$ROOT/conf/fashion-mnist-lenet.conf"
EPOCHS=3
JOB_ARGS=(--set data.train.limit=4000 --set data.val.limit=500 --set train.workers=2 --set train.batch-size=32
  --set train.averaging-frequency=4 --set train.epochs=$EPOCHS --set checkpoint.every-epochs=1)
RUN_TIMEOUT=${CLUSTER_TEST_RUN_TIMEOUT:-240}  # seconds per spark-submit run

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sparktrain-cluster.XXXXXX")
LOGS="$WORK/logs"
JVM_TMP="$WORK/tmp"  # java.io.tmpdir of every JVM here: native libs that killed JVMs leave behind
mkdir -p "$LOGS" "$JVM_TMP"
GROUPS_STARTED=()  # process group ids (= pids, started with setsid) of master, workers and drivers
WORKER_PIDS=()
FAILED_LOG=""      # the log whose tail is printed when the script fails

ROWS=()
print_table() {
  [[ ${#ROWS[@]} -gt 0 ]] || return 0
  printf '\n%-28s %9s %15s %8s\n' scenario exit_code val_accuracy@3 wall_s
  printf '%s\n' "${ROWS[@]}"
}

log() { printf '[cluster-test %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [[ $rc -ne 0 ]]; then
    print_table
    if [[ -n "$FAILED_LOG" && -f "$FAILED_LOG" ]]; then
      echo "---- last 40 lines of $FAILED_LOG ----" >&2
      tail -n 40 "$FAILED_LOG" >&2
      echo "----" >&2
    fi
  fi
  # The groups hold the executors too: Workers launch them in their own process group.
  local g alive i
  for g in "${GROUPS_STARTED[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
  for ((i = 0; i < 50; i++)); do
    alive=0
    for g in "${GROUPS_STARTED[@]}"; do kill -0 -- "-$g" 2>/dev/null && alive=1; done
    [[ $alive -eq 0 ]] && break
    sleep 0.1
  done
  for g in "${GROUPS_STARTED[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
  wait 2>/dev/null
  if [[ "${CLUSTER_TEST_KEEP:-0}" == 1 ]]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

fail() {
  log "FAILED: $*"
  exit 1
}

# Starts "$@" in the background in a new session/process group; sets STARTED_PID.
start_group() {
  local logfile=$1
  shift
  setsid "$@" >"$logfile" 2>&1 </dev/null &
  STARTED_PID=$!
  GROUPS_STARTED+=("$STARTED_PID")
  # setsid must exec in place (it forks only when already a group leader): the pid is the JVM's.
  local i
  for ((i = 0; i < 100; i++)); do
    [[ "$(ps -o pgid= -p "$STARTED_PID" | tr -d ' ')" == "$STARTED_PID" ]] && return 0
    sleep 0.02
  done
  fail "could not start $1 in its own process group"
}

free_ports() {  # N distinct free TCP ports on 127.0.0.1
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------------
if [[ "${CLUSTER_TEST_NO_BUILD:-0}" == 1 ]]; then  # test the job jar as it is
  [[ -f "$JOB_JAR" ]] || fail "no job jar at $JOB_JAR"
else
  ensure_built
fi
ensure_dataset

# Spark's own jars: the classpath a Spark distribution's jars/ holds (spark-core, Hadoop client, Scala),
# resolved with the project's pinned versions. The job's dependencies (DL4J, ND4J, ...) come from the
# shaded job jar only, as on a real cluster.
# (spark-job/target/spark-classpath.txt is no such list: it also holds DL4J, ND4J, sparktrain-common from
# ~/.m2 and JUnit, which would shadow the job jar's own classes on the executors.)
SPARK_DIST="$WORK/spark-dist"
mkdir -p "$SPARK_DIST"
cat >"$SPARK_DIST/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>dev.sparktrain</groupId>
    <artifactId>sparktrain-parent</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <relativePath>$(realpath --relative-to="$SPARK_DIST" "$ROOT/pom.xml")</relativePath>
  </parent>
  <artifactId>cluster-test-spark-dist</artifactId>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-core_\${scala.binary.version}</artifactId></dependency>
    <dependency><groupId>org.scala-lang</groupId><artifactId>scala-library</artifactId></dependency>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client-api</artifactId></dependency>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client-runtime</artifactId></dependency>
  </dependencies>
</project>
EOF
resolve_spark_cp() {
  (cd "$SPARK_DIST" && mvn -q -B "$@" dependency:build-classpath -Dmdep.outputFile="$SPARK_DIST/classpath.txt") \
    >"$LOGS/mvn-spark-dist.log" 2>&1
}
FAILED_LOG="$LOGS/mvn-spark-dist.log"
resolve_spark_cp -o || resolve_spark_cp || fail "cannot resolve Spark's classpath with Maven"
SPARK_CP=$(cat "$SPARK_DIST/classpath.txt")

# The Worker builds executor command lines from $SPARK_HOME/jars/*.
export SPARK_HOME="$WORK/spark-home"
mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf"
IFS=: read -r -a spark_jars <<<"$SPARK_CP"
ln -s "${spark_jars[@]}" "$SPARK_HOME/jars/"
export SPARK_CONF_DIR="$SPARK_HOME/conf"  # empty: no stray spark-defaults.conf
export SPARK_SCALA_VERSION=2.12           # else every executor launch fails, in a tight loop
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_DIRS="$WORK/local"     # scratch space of workers, executors and drivers (wins over spark.local.dir)
mkdir -p "$SPARK_LOCAL_DIRS"
unset SPARK_MASTER_HOST SPARK_WORKER_DIR SPARK_WORKER_OPTS SPARK_DAEMON_JAVA_OPTS

# ---------------------------------------------------------------------------------------------------
read -r MASTER_PORT MASTER_UI W1_UI W2_UI <<<"$(free_ports 4)"
MASTER_URL="spark://127.0.0.1:$MASTER_PORT"
t_cluster=$(now)
log "starting Master on $MASTER_URL and 2 Workers (work folder $WORK)"
FAILED_LOG="$LOGS/master.log"
start_group "$LOGS/master.log" java -Xmx512m -Djava.io.tmpdir="$JVM_TMP" "${JAVA_OPENS[@]}" -cp "$SPARK_CP" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_UI"
i=0
for ui in "$W1_UI" "$W2_UI"; do
  i=$((i + 1))
  mkdir -p "$WORK/worker-$i"
  start_group "$LOGS/worker-$i.log" java -Xmx512m -Djava.io.tmpdir="$JVM_TMP" "${JAVA_OPENS[@]}" -cp "$SPARK_CP" \
    org.apache.spark.deploy.worker.Worker "$MASTER_URL" --cores 1 --memory 2g --work-dir "$WORK/worker-$i" \
    --host 127.0.0.1 --webui-port "$ui"
  WORKER_PIDS+=("$STARTED_PID")
done
for ((i = 0; i < 600; i++)); do
  [[ $(grep -c 'Registering worker' "$LOGS/master.log" || true) -ge 2 ]] && break
  for g in "${GROUPS_STARTED[@]}"; do
    kill -0 "$g" 2>/dev/null || fail "a cluster process exited while starting (see the logs in $LOGS)"
  done
  sleep 0.1
done
[[ $i -lt 600 ]] || fail "the 2 Workers did not register with the Master within 60 s"
log "cluster up in $(elapsed "$t_cluster") s"

# Executor JVMs of the cluster (children of the Workers, in their process groups).
executor_pids() {
  local w
  for w in "${WORKER_PIDS[@]}"; do pgrep -g "$w" -f CoarseGrainedExecutorBackend || true; done
}

# spark-submit in client mode, as on a real cluster; the driver JVM needs Spark's --add-opens itself.
DRIVER_PID=""
submit() {  # submit LOGFILE OUTPUT_DIR [extra job args]: starts the driver in the background
  local logfile=$1 out=$2
  shift 2
  FAILED_LOG=$logfile
  start_group "$logfile" java -Xmx2g -Djava.io.tmpdir="$JVM_TMP" "${JAVA_OPENS[@]}" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
    -cp "$SPARK_CP" org.apache.spark.deploy.SparkSubmit \
    --master "$MASTER_URL" --deploy-mode client \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.ui.enabled=false \
    --conf spark.executor.extraJavaOptions=-Djava.io.tmpdir="$JVM_TMP" --conf spark.executor.memory=1g --conf spark.executor.cores=1 --conf spark.cores.max=2 \
    --conf spark.scheduler.minRegisteredResourcesRatio=1.0 \
    --conf spark.scheduler.maxRegisteredResourcesWaitingTime=60s \
    --conf spark.task.maxFailures=4 \
    --class dev.sparktrain.job.cli.Main "$JOB_JAR" \
    train "$CONFIG" "${JOB_ARGS[@]}" --set output.dir="$out" "$@"
  DRIVER_PID=$STARTED_PID
}

wait_driver() {  # wait_driver PID: waits (at most RUN_TIMEOUT s) and sets DRIVER_RC
  local pid=$1 start
  start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    [[ $((SECONDS - start)) -lt $RUN_TIMEOUT ]] || fail "the job did not finish within $RUN_TIMEOUT s"
    sleep 0.2
  done
  DRIVER_RC=0
  wait "$pid" || DRIVER_RC=$?
}

wait_checkpoint() {  # wait_checkpoint OUTPUT_DIR PID: until the first checkpoint is in place
  local out=$1 pid=$2 start
  start=$SECONDS
  until [[ -f "$out/checkpoints/latest" ]]; do
    kill -0 "$pid" 2>/dev/null || fail "the job exited before writing its first checkpoint"
    [[ $((SECONDS - start)) -lt $RUN_TIMEOUT ]] || fail "no checkpoint within $RUN_TIMEOUT s"
    sleep 0.1
  done
}

metric_lines() {
  local n=0
  [[ -f "$1/metrics.jsonl" ]] && n=$(grep -c . "$1/metrics.jsonl" || true)
  echo "${n:-0}"
}

# compare_metrics REFERENCE_DIR DIR: exactly EPOCHS lines, each epoch's figures equal the reference's.
compare_metrics() {
  python3 - "$1/metrics.jsonl" "$2/metrics.jsonl" "$EPOCHS" <<'EOF'
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
  python3 - "$1/metrics.jsonl" "$EPOCHS" <<'EOF' 2>/dev/null || echo "-"
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
submit "$LOGS/driver-a.log" "$OUT_A"
wait_driver "$DRIVER_PID"
WALL_A=$(elapsed "$t0")
[[ $DRIVER_RC -eq 0 ]] || fail "scenario A: the job exited with $DRIVER_RC"
[[ $(metric_lines "$OUT_A") -eq $EPOCHS ]] || fail "scenario A: $(metric_lines "$OUT_A") metrics lines, expected $EPOCHS"
[[ -f "$OUT_A/model.zip" ]] || fail "scenario A: no model.zip"
row "A uninterrupted" "$DRIVER_RC" "$(val_acc "$OUT_A")" "$WALL_A"
log "scenario A: done in $WALL_A s; final metrics: $(tail -n 1 "$OUT_A/metrics.jsonl")"

# ---------------------------------------------------------------------------------------------------
log "scenario B: kill -9 one executor after the first checkpoint"
OUT_B="$WORK/run-b"
t0=$(now)
submit "$LOGS/driver-b.log" "$OUT_B"
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
log "scenario B: killed executor $victim_id (pid $victim) of $app_b running a task; latest checkpoint $(cat "$OUT_B/checkpoints/latest" 2>/dev/null || echo "?")"
wait_driver "$DRIVER_PID"
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

# ---------------------------------------------------------------------------------------------------
log "scenario C: kill -9 the driver after the first checkpoint, then --resume"
OUT_C="$WORK/run-c"
t0=$(now)
submit "$LOGS/driver-c1.log" "$OUT_C"
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
log "scenario C: killed the driver (latest checkpoint $(cat "$OUT_C/checkpoints/latest" 2>/dev/null || echo "?")); waiting for its executors ($app_executors) to exit"
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
submit "$LOGS/driver-c2.log" "$OUT_C" --resume
wait_driver "$DRIVER_PID"
WALL_C2=$(elapsed "$t0")
row "C resumed (--resume)" "$DRIVER_RC" "$(val_acc "$OUT_C")" "$WALL_C2"
[[ $DRIVER_RC -eq 0 ]] || fail "scenario C: the resumed job exited with $DRIVER_RC"
resumed=$(grep -m 1 'resuming from' "$LOGS/driver-c2.log" || true)
[[ -n "$resumed" ]] || fail "scenario C: the resumed job did not print 'resuming from'"
log "scenario C: $resumed"
compare_metrics "$OUT_A" "$OUT_C" || fail "scenario C: results differ from the uninterrupted run"
FAILED_LOG=""

print_table
echo "cluster test passed: executor and driver failures recovered, epoch figures identical to the uninterrupted run"
