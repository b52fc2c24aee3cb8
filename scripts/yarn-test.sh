#!/usr/bin/env bash
# The job on a real YARN and HDFS: a MiniDFSCluster and a MiniYARNCluster (two NodeManagers, their
# physical-memory checks on) from Hadoop's own hadoop-client-minicluster, in one JVM
# (scripts/yarn/MiniHadoop.java), which writes their client configs to a folder, HADOOP_CONF_DIR as on
# a gateway host. The job jar is shipped as users ship it, through scripts/submit.sh and
# spark-submit --master yarn, Spark's jars from the same Maven versions (spark.yarn.jars), data and
# experiment on HDFS:
#   Y1 cluster mode: day 1 trains from scratch and is promoted (exit 0): the reference figures;
#   Y2 cluster mode: day 2 warm-starts from production (exit 0) while a second run of the experiment
#      is refused by the lock (exit 4);
#   Y3 cluster mode: an lr = 50 run is not promoted (exit 3);
#   Y4 cluster mode: a bad config (exit 2), and a run that fails on its data (exit 1), their lines
#      printed by the launcher;
#   Y5 cluster mode, spark.yarn.maxAppAttempts = 2, no run id given: the first attempt's driver (the
#      application master) is killed (kill -9) inside epoch 2; YARN's second attempt continues the same
#      run from its newest checkpoint and ends with exactly Y1's figures (exit 0);
#   Y6 client mode: an executor container is killed (kill -9) inside epoch 2: the job ends with
#      exactly Y1's figures (exit 0);
#   Y7 bad input, each one line and exit 2 before any work: replicas that do not fit beside the
#      executor's heap (refused, not killed by the NodeManager); a missing HDFS path; executors larger
#      than YARN grants (client and cluster mode); an unknown queue (cluster mode).
# Exits non-zero on any failure or mismatch. Everything lives in a temporary folder that is removed at
# the end (YARN_TEST_KEEP=1 keeps it, with the containers' logs); every process started here is killed
# on exit. YARN_TEST_SCENARIOS="Y1 Y5" runs only those (Y1 always runs: it is the reference).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"

CONFIG="$ROOT/conf/fashion-mnist-lenet.conf"
EPOCHS=2
NODE_MB=5120           # memory of each NodeManager (and the largest container YARN grants)
RUN_TIMEOUT=${YARN_TEST_RUN_TIMEOUT:-300}  # seconds per submission
wants() { [[ " ${YARN_TEST_SCENARIOS:-Y1 Y2 Y3 Y4 Y5 Y6 Y7} " == *" $1 "* ]]; }
CLUSTER_KEEP=${YARN_TEST_KEEP:-0}

ROWS=()
row() { ROWS+=("$(printf '%-48s %5s %15s %8s' "$1" "$2" "$3" "$4")"); }
print_table() {
  [[ ${#ROWS[@]} -gt 0 ]] || return 0
  printf '\n%-48s %5s %15s %8s\n' scenario exit val_accuracy@$EPOCHS wall_s
  printf '%s\n' "${ROWS[@]}"
}
on_failure() { print_table; }

cluster_setup yarn-test
if [[ "${YARN_TEST_NO_BUILD:-0}" == 1 ]]; then
  [[ -f "$JOB_JAR" ]] || fail "no job jar at $JOB_JAR"
else
  ensure_built
fi
ensure_dataset

# --- Hadoop: HDFS + YARN ----------------------------------------------------------------------------
resolve_deps minicluster "
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client-minicluster</artifactId></dependency>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client-api</artifactId></dependency>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client-runtime</artifactId></dependency>
    <dependency><groupId>org.bouncycastle</groupId><artifactId>bcprov-jdk18on</artifactId></dependency>
    <dependency><groupId>org.bouncycastle</groupId><artifactId>bcpkix-jdk18on</artifactId></dependency>
    <dependency><groupId>javax.xml.bind</groupId><artifactId>jaxb-api</artifactId></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-1.2-api</artifactId></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId></dependency>"
MINI_CP=$RESOLVED_CP
export HADOOP_CONF_DIR="$WORK/hadoop-conf"
t0=$(now)
log "starting HDFS (1 DataNode) and YARN (2 NodeManagers of $NODE_MB MB, physical-memory checks on)"
FAILED_LOG="$LOGS/hadoop.log"
data_copies=()
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  data_copies+=("$DATA_DIR/$f=/data/fashion-mnist/$f")
done
start_group "$LOGS/hadoop.log" java -Xmx2g -Djava.io.tmpdir="$JVM_TMP" "${JAVA_OPENS[@]}" -cp "$MINI_CP" \
  -Dlog4j2.configurationFile="$ROOT/scripts/yarn/log4j2.properties" \
  "$ROOT/scripts/yarn/MiniHadoop.java" "$HADOOP_CONF_DIR" "$WORK/hadoop" 2 "$NODE_MB" 2 "${data_copies[@]}"
HADOOP_PID=$STARTED_PID
for ((i = 0; i < 1800; i++)); do
  grep -q '^ready ' "$LOGS/hadoop.log" && break
  kill -0 "$HADOOP_PID" 2>/dev/null || fail "HDFS and YARN did not start"
  sleep 0.1
done
[[ $i -lt 1800 ]] || fail "HDFS and YARN did not start within 180 s"
read -r _ HDFS WEBHDFS < <(grep -m 1 '^ready ' "$LOGS/hadoop.log")
FAILED_LOG=""
log "HDFS $HDFS and YARN up in $(elapsed "$t0") s; data copied to $HDFS/data/fashion-mnist"

# --- Spark on YARN ----------------------------------------------------------------------------------
# Spark's jars with spark-yarn, as a distribution's jars/ holds them; the containers take them from
# this host's disk (spark.yarn.jars=local:...), the job jar goes through HDFS like any application's.
SPARK_DIST_EXTRA='<dependency><groupId>org.apache.spark</groupId><artifactId>spark-yarn_${scala.binary.version}</artifactId></dependency>'
resolve_spark_dist
unset SPARK_LOCAL_IP SPARK_LOCAL_DIRS  # the containers' own folders, as YARN sets them
mkdir -p "$SPARK_HOME/bin"
# spark-submit as Spark's own script runs it: the Hadoop client config on the classpath
{ echo '#!/usr/bin/env bash'
  printf 'exec java -Xmx512m -Djava.io.tmpdir=%q' "$JVM_TMP"; printf ' %q' "${JAVA_OPENS[@]}"
  printf ' -cp %q org.apache.spark.deploy.SparkSubmit "$@"\n' "$HADOOP_CONF_DIR:$SPARK_CP"
} >"$SPARK_HOME/bin/spark-submit"
chmod +x "$SPARK_HOME/bin/spark-submit"
export SPARK_SUBMIT_BIN="$SPARK_HOME/bin/spark-submit"
export SPARKTRAIN_OUTCOME_DIR="$HDFS/outcomes"

JOB_ARGS=(--set "data.train.images=\"$HDFS/data/fashion-mnist/train-images-idx3-ubyte.gz\""
  --set "data.train.labels=\"$HDFS/data/fashion-mnist/train-labels-idx1-ubyte.gz\""
  --set "data.val.images=\"$HDFS/data/fashion-mnist/t10k-images-idx3-ubyte.gz\""
  --set "data.val.labels=\"$HDFS/data/fashion-mnist/t10k-labels-idx1-ubyte.gz\""
  --set data.train.limit=2000 --set data.val.limit=500 --set train.workers=2 --set train.batch-size=32
  --set train.averaging-frequency=4 --set train.epochs=$EPOCHS --set checkpoint.every-steps=8)
SPARK_ARGS=(--master yarn --driver-memory 1g --executor-memory 1g --executor-cores 1 --num-executors 2
  --conf "spark.yarn.jars=local:$SPARK_HOME/jars/*" --conf spark.ui.enabled=false
  --conf spark.yarn.maxAppAttempts=1 --conf spark.task.maxFailures=4)

# yarn_submit NAME MODE [spark-submit options ...] -- [job arguments ...]: scripts/submit.sh in the
# background (its log: $LOGS/NAME.log); sets SUBMIT_PID
yarn_submit() {
  local name=$1 mode=$2
  shift 2
  local spark=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do spark+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  FAILED_LOG="$LOGS/$name.log"
  start_group "$LOGS/$name.log" timeout "$RUN_TIMEOUT" bash "$ROOT/scripts/submit.sh" "${SPARK_ARGS[@]}" \
    --deploy-mode "$mode" --name "sparktrain-$name" "${spark[@]}" -- "$CONFIG" "${JOB_ARGS[@]}" "$@"
  SUBMIT_PID=$STARTED_PID
}

# wait_submit PID NAME EXPECTED: waits for scripts/submit.sh, checks its exit code
wait_submit() {
  local pid=$1 name=$2 expected=$3 rc=0
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  wait "$pid" || rc=$?
  SUBMIT_RC=$rc
  log "$name: exit $rc: $(tail -n 1 "$LOGS/$name.log")"
  [[ $rc -eq $expected ]] || fail "$name: scripts/submit.sh exited $rc, expected $expected"
  FAILED_LOG=""
}

# HDFS through the NameNode's WebHDFS: ls PATH (names, one per line; nothing when missing), cat PATH
hdfs() {
  python3 - "$WEBHDFS" "$@" <<'PY'
import json, sys, urllib.error, urllib.request
base, op, path = sys.argv[1], sys.argv[2], sys.argv[3]
url = f"{base}/webhdfs/v1{path}?user.name=root&op=" + ("LISTSTATUS" if op == "ls" else "OPEN")
try:
    with urllib.request.urlopen(url, timeout=30) as r:
        body = r.read()
except urllib.error.HTTPError as e:
    if e.code == 404:
        sys.exit(0 if op == "ls" else 1)
    raise
if op == "ls":
    for s in json.loads(body)["FileStatuses"]["FileStatus"]:
        print(s["pathSuffix"])
else:
    sys.stdout.write(body.decode())
PY
}

# metrics EXPERIMENT RUN_ID: the run's metrics.jsonl
metrics() { hdfs cat "/$1/runs/$2/metrics.jsonl"; }

# compare_metrics EXPERIMENT RUN_ID: exactly EPOCHS lines, each epoch's figures equal Y1's
compare_metrics() {
  metrics "$1" "$2" >"$WORK/metrics-$1-$2.jsonl" || fail "no metrics for run $2 of /$1"
  python3 - "$WORK/metrics-exp-day1.jsonl" "$WORK/metrics-$1-$2.jsonl" "$EPOCHS" <<'PY'
import json, sys
ref_file, got_file, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
load = lambda p: [json.loads(l) for l in open(p) if l.strip()]
ref, got = load(ref_file), load(got_file)
if len(got) != epochs or len(ref) != epochs:
    sys.exit(f"{len(got)} metrics lines (reference {len(ref)}), expected {epochs}")
keys = ("epoch", "step", "train_loss", "val_loss", "val_accuracy")
bad = [f"epoch {r['epoch']}: {k} {g.get(k)!r} != reference {r.get(k)!r}" for r, g in zip(ref, got) for k in keys
       if r.get(k) != g.get(k)]
if bad:
    sys.exit("metrics differ from Y1's:\n  " + "\n  ".join(bad))
PY
}

val_acc() {  # val_acc EXPERIMENT RUN_ID: epoch-EPOCHS val_accuracy, or -
  metrics "$1" "$2" 2>/dev/null | python3 -c 'import json,sys; print([json.loads(l) for l in sys.stdin if l.strip()][-1]["val_accuracy"])' 2>/dev/null || echo -
}

# wait_for PID WHAT COMMAND...: until COMMAND succeeds; fails when PID (the submission) ends first or
# after RUN_TIMEOUT s, naming WHAT it waited for
wait_for() {
  local pid=$1 what=$2 start=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || fail "the job ended before $what"
    [[ $((SECONDS - start)) -lt $RUN_TIMEOUT ]] || fail "no $what within $RUN_TIMEOUT s"
    sleep 0.3
  done
}

checkpoints_in_epoch2() {  # checkpoints_in_epoch2 EXPERIMENT RUN_ID N: N checkpoints inside epoch 2 exist
  [[ $(hdfs ls "/$1/runs/$2/checkpoints" | grep -c '^epoch-000001-step-') -ge $3 ]]
}
has_runs() { [[ -n "$(hdfs ls "/$1/runs")" ]]; }          # has_runs EXPERIMENT
submitted() { [[ -n "$(app_id "$1")" ]]; }                # submitted NAME: YARN accepted it

# container_pid APPLICATION PATTERN: the JVM of the application's container whose command line matches
container_pid() {
  pgrep -f "^[^ ]*java .*$2.*$1" | head -n 1 || true
}

app_id() {  # app_id NAME: the YARN application a submission's log names
  grep -o -m 1 'application_[0-9]*_[0-9]*' "$LOGS/$1.log" || true
}

# ---------------------------------------------------------------------------------------------------
log "Y1: cluster mode, day 1 from scratch: trained and promoted (exit 0)"
t0=$(now)
yarn_submit y1-day1 cluster -- --set output.dir="\"$HDFS/exp\"" --run-id day1
wait_submit "$SUBMIT_PID" y1-day1 0
[[ "$(hdfs cat /exp/production)" == day1 ]] || fail "Y1: production is not day1"
metrics exp day1 >"$WORK/metrics-exp-day1.jsonl"
[[ $(grep -c . "$WORK/metrics-exp-day1.jsonl") -eq $EPOCHS ]] || fail "Y1: expected $EPOCHS metrics lines"
grep -q "^promoted run day1 to production" "$LOGS/y1-day1.log" || fail "Y1: the launcher did not print the outcome"
row "Y1 cluster: day 1, promoted" 0 "$(val_acc exp day1)" "$(elapsed "$t0")"

# ---------------------------------------------------------------------------------------------------
if wants Y2; then
log "Y2: cluster mode, day 2 warm-starts from production; meanwhile a second run is refused (exit 4)"
t0=$(now)
# (day 2 reads 4x the data for 3 epochs: it is still running when the second run reaches the lock)
yarn_submit y2-day2 cluster -- --set output.dir="\"$HDFS/exp\"" --run-id day2 --set train.init=production \
  --set data.train.limit=8000 --set train.epochs=3
DAY2=$SUBMIT_PID
wait_for "$DAY2" "day 2's run.json (Y2)" hdfs cat /exp/runs/day2/run.json
# (its driver does not wait for its executor before it goes for the lock)
yarn_submit y2-second cluster --num-executors 1 --conf spark.scheduler.minRegisteredResourcesRatio=0 -- \
  --set output.dir="\"$HDFS/exp\"" --run-id second
wait_submit "$SUBMIT_PID" y2-second 4
grep -q "locked: .*run day2" "$LOGS/y2-second.log" || fail "Y2: the refusal does not name the holder day2"
kill -0 "$DAY2" 2>/dev/null || fail "Y2: day 2 ended before the second run was refused"
row "Y2 cluster: concurrent run refused" 4 - "$(elapsed "$t0")"
wait_submit "$DAY2" y2-day2 0
hdfs cat /exp/runs/day2/run.json | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["parent"] == "day1" and r["init"].startswith("production"), f"day 2 did not start from day 1: {r}"
assert r["status"] == "succeeded", r' || fail "Y2: day 2 is not a warm start from day 1"
row "Y2 cluster: day 2 from production" 0 "$(val_acc exp day2)" "$(elapsed "$t0")"
fi

# ---------------------------------------------------------------------------------------------------
if wants Y3; then
log "Y3: cluster mode, lr = 50 from production: not promoted (exit 3)"
t0=$(now)
yarn_submit y3-lr50 cluster -- --set output.dir="\"$HDFS/exp\"" --run-id lr50 --set train.init=production \
  --set optimizer.lr=50 --set train.epochs=1
wait_submit "$SUBMIT_PID" y3-lr50 3
[[ "$(hdfs cat /exp/production)" != lr50 ]] || fail "Y3: the lr = 50 run was promoted"
row "Y3 cluster: lr = 50, not promoted" 3 - "$(elapsed "$t0")"
fi

# ---------------------------------------------------------------------------------------------------
if wants Y4; then
log "Y4: cluster mode, a bad config (exit 2)"
t0=$(now)
yarn_submit y4-config cluster -- --set output.dir="\"$HDFS/exp\"" --run-id config --set train.batch-size=0
wait_submit "$SUBMIT_PID" y4-config 2
grep -q 'config error: .*train.batch-size' "$LOGS/y4-config.log" || fail "Y4: the launcher did not print the config error"
row "Y4 cluster: bad config" 2 - "$(elapsed "$t0")"
log "Y4: cluster mode, a run that fails: Fashion-MNIST's labels 0-9 with data.classes = 5 (exit 1)"
t0=$(now)
PRODUCTION=$(hdfs cat /exp/production)
yarn_submit y4-failed cluster -- --set output.dir="\"$HDFS/exp\"" --run-id failed --set data.classes=5
wait_submit "$SUBMIT_PID" y4-failed 1
grep -q '^error: .*label' "$LOGS/y4-failed.log" || fail "Y4: the launcher did not print the failure's line"
[[ "$(hdfs cat /exp/production)" == "$PRODUCTION" ]] || fail "Y4: production moved"
row "Y4 cluster: run failed" 1 - "$(elapsed "$t0")"
fi

# ---------------------------------------------------------------------------------------------------
if wants Y5; then
log "Y5: cluster mode, 2 attempts, no run id: kill -9 the driver inside epoch 2; YARN's attempt 2 continues"
t0=$(now)
yarn_submit y5-attempts cluster --conf spark.yarn.maxAppAttempts=2 -- --set output.dir="\"$HDFS/exp-attempts\""
Y5=$SUBMIT_PID
wait_for "$Y5" "a run (Y5)" has_runs exp-attempts
RUN5=$(hdfs ls /exp-attempts/runs | head -n 1)
wait_for "$Y5" "3 checkpoints inside epoch 2 (Y5)" checkpoints_in_epoch2 exp-attempts "$RUN5" 3
APP5=$(app_id y5-attempts)
AM=$(container_pid "$APP5" org.apache.spark.deploy.yarn.ApplicationMaster)
[[ -n "$AM" ]] || fail "Y5: no application master process of $APP5"
kill -9 "$AM"
log "Y5: killed the driver (application master of $APP5, pid $AM) after checkpoints $(hdfs ls "/exp-attempts/runs/$RUN5/checkpoints" | grep '^epoch-' | tr '\n' ' ')"
wait_submit "$Y5" y5-attempts 0
[[ "$(hdfs ls /exp-attempts/runs)" == "$RUN5" ]] || fail "Y5: attempt 2 did not continue run $RUN5: $(hdfs ls /exp-attempts/runs | tr '\n' ' ')"
AM2_LOG=$(find "$WORK/hadoop/yarn" -path "*/$APP5/container_*_02_000001/stdout" | head -n 1)
[[ -n "$AM2_LOG" ]] || fail "Y5: YARN did not start a second attempt of $APP5"
grep -q "attempt 2 of $APP5: continuing run $RUN5" "$AM2_LOG" || AM2_LOG=""
[[ -n "$AM2_LOG" ]] || fail "Y5: attempt 2's driver did not say it continues run $RUN5"
grep -m 1 -E "resuming run $RUN5 from .* in epoch 2 after its step [0-9]+" "$AM2_LOG" >/dev/null ||
  fail "Y5: attempt 2 did not resume inside epoch 2: $(grep -m 1 resuming "$AM2_LOG" || echo 'no resuming line')"
compare_metrics exp-attempts "$RUN5" || fail "Y5: the figures differ from the uninterrupted run's"
row "Y5 cluster: driver killed, attempt 2" 0 "$(val_acc exp-attempts "$RUN5")" "$(elapsed "$t0")"
fi

# ---------------------------------------------------------------------------------------------------
if wants Y6; then
log "Y6: client mode: kill -9 an executor container inside epoch 2"
t0=$(now)
yarn_submit y6-executor client -- --set output.dir="\"$HDFS/exp-executor\"" --run-id day1
Y6=$SUBMIT_PID
wait_for "$Y6" "YARN's application id (Y6)" submitted y6-executor
wait_for "$Y6" "a checkpoint inside epoch 2 (Y6)" checkpoints_in_epoch2 exp-executor day1 1
EXECUTOR=$(container_pid "$(app_id y6-executor)" CoarseGrainedExecutorBackend)
[[ -n "$EXECUTOR" ]] || fail "Y6: no executor process"
kill -9 "$EXECUTOR"
log "Y6: killed executor pid $EXECUTOR"
wait_submit "$Y6" y6-executor 0
compare_metrics exp-executor day1 || fail "Y6: the figures differ from the uninterrupted run's"
row "Y6 client: executor killed" 0 "$(val_acc exp-executor day1)" "$(elapsed "$t0")"
fi

# ---------------------------------------------------------------------------------------------------
if wants Y7; then
log "Y7: bad input: one line, exit 2, before any work"
t0=$(now)
# 784 x 40000 weights: 3 copies (parameters, gradients, optimizer) do not fit in the 256 MiB that the
# default spark.executor.memoryOverhead (384 MiB) leaves beside the JVM's own native memory
yarn_submit y7-memory client -- --set output.dir="\"$HDFS/exp-memory\"" --run-id m --set model.type=mlp \
  --set 'model.hidden=[40000]'
wait_submit "$SUBMIT_PID" y7-memory 2
grep -q 'config error: .*spark.executor.memoryOverhead' "$LOGS/y7-memory.log" ||
  fail "Y7: the refusal does not name spark.executor.memoryOverhead"
[[ -z "$(hdfs ls /exp-memory/runs)" ]] || fail "Y7: the refused run wrote a run"
row "Y7 client: replicas do not fit" 2 - "$(elapsed "$t0")"

t0=$(now)
yarn_submit y7-missing cluster -- --set output.dir="\"$HDFS/exp-missing\"" --run-id m \
  --set "data.train.images=\"$HDFS/data/nowhere/train-images-idx3-ubyte.gz\""
wait_submit "$SUBMIT_PID" y7-missing 2
grep -q "config error: data file not found: $HDFS/data/nowhere" "$LOGS/y7-missing.log" ||
  fail "Y7: the launcher did not print the missing path"
row "Y7 cluster: missing HDFS path" 2 - "$(elapsed "$t0")"

for mode in client cluster; do
  t0=$(now)
  yarn_submit "y7-too-large-$mode" "$mode" --executor-memory 8g -- --set output.dir="\"$HDFS/exp-large\"" --run-id l
  wait_submit "$SUBMIT_PID" "y7-too-large-$mode" 2
  grep -q 'max threshold' "$LOGS/y7-too-large-$mode.log" || fail "Y7: the launcher did not say why ($mode mode)"
  row "Y7 $mode: executors larger than YARN grants" 2 - "$(elapsed "$t0")"
done

t0=$(now)
yarn_submit y7-queue cluster --queue nowhere -- --set output.dir="\"$HDFS/exp-queue\"" --run-id q
wait_submit "$SUBMIT_PID" y7-queue 2
grep -q 'nowhere' "$LOGS/y7-queue.log" || fail "Y7: the launcher did not name the queue"
row "Y7 cluster: unknown queue" 2 - "$(elapsed "$t0")"
fi
FAILED_LOG=""

print_table
echo "YARN test passed (${YARN_TEST_SCENARIOS:-Y1 Y2 Y3 Y4 Y5 Y6 Y7}, $SPARK_LINE): every exit code came back through scripts/submit.sh, every failure injected was recovered with the uninterrupted run's figures"
