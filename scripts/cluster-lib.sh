# A Spark standalone cluster on 127.0.0.1 for scripts: a Master and Workers started from the Spark
# jars Maven resolves with the project's pinned versions (no Spark distribution), and spark-submit in
# client mode, as on a real cluster. Shared by cluster-test.sh and bench-data.sh; source lib.sh first.
#
#   cluster_setup NAME        temporary folder $WORK (logs, worker dirs, local dirs); CLUSTER_KEEP=1
#                             keeps it; every process started here is killed on exit
#   start_cluster N CORES MEM N workers of CORES cores and MEM memory each; sets MASTER_URL
#   submit LOG HEAP [spark-submit options ...] -- [job arguments ...]
#                             starts the driver (heap HEAP) in the background; sets DRIVER_PID
#   wait_driver PID TIMEOUT   waits at most TIMEOUT s; sets DRIVER_RC
# A script may define on_failure (called before cleanup when it exits non-zero).

log() { printf '[%s %s] %s\n' "${CLUSTER_NAME:-cluster}" "$(date +%H:%M:%S)" "$*" >&2; }

fail() {
  log "FAILED: $*"
  exit 1
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

cluster_setup() {
  CLUSTER_NAME=$1
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/sparktrain-$CLUSTER_NAME.XXXXXX")
  LOGS="$WORK/logs"
  JVM_TMP="$WORK/tmp"  # java.io.tmpdir of every JVM here: native libs that killed JVMs leave behind
  mkdir -p "$LOGS" "$JVM_TMP"
  GROUPS_STARTED=()  # process group ids (= pids, started with setsid) of master, workers and drivers
  WORKER_PIDS=()
  FAILED_LOG=""      # the log whose tail is printed when the script fails
  trap cluster_cleanup EXIT
  trap 'log "interrupted"; exit 130' INT
  trap 'log "terminated"; exit 143' TERM
}

cluster_cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [[ $rc -ne 0 ]]; then
    declare -F on_failure >/dev/null && on_failure
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
  if [[ "${CLUSTER_KEEP:-0}" == 1 ]]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit $rc
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
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# resolve_deps NAME DEPENDENCIES: the classpath of DEPENDENCIES (<dependency> elements, versions from
# the parent pom's dependencyManagement) into RESOLVED_CP, offline first.
resolve_deps() {
  local name=$1 deps=$2 dir="$WORK/$1" attempt
  mkdir -p "$dir"
  cat >"$dir/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>dev.sparktrain</groupId>
    <artifactId>sparktrain-parent</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <relativePath>$(realpath --relative-to="$dir" "$ROOT/pom.xml")</relativePath>
  </parent>
  <artifactId>cluster-$name</artifactId>
  <packaging>pom</packaging>
  <dependencies>
$deps
  </dependencies>
</project>
POM
  FAILED_LOG="$LOGS/mvn-$name.log"
  RESOLVED_CP=""
  for attempt in -o ""; do
    if (cd "$dir" && mvn -q -B $attempt "${MVN_LINE[@]}" dependency:build-classpath \
        -Dmdep.outputFile="$dir/classpath.txt") >"$LOGS/mvn-$name.log" 2>&1; then
      RESOLVED_CP=$(cat "$dir/classpath.txt")
      break
    fi
  done
  [[ -n "$RESOLVED_CP" ]] || fail "cannot resolve the classpath of $name with Maven"
  FAILED_LOG=""
}

# Spark's own jars: the classpath a Spark distribution's jars/ holds (spark-core, spark-sql, Hadoop client, Scala),
# resolved with the project's pinned versions; SPARK_DIST_EXTRA: more <dependency> elements (spark-yarn).
# The job's dependencies (DL4J, ND4J, ...) come from the shaded job jar only, as on a real cluster. (spark-job/target/spark-classpath.txt is no such list: it
# also holds DL4J, ND4J, sparktrain-common and JUnit, which would shadow the job jar's own classes.)
resolve_spark_dist() {
  resolve_deps spark-dist "
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-core_\${scala.binary.version}</artifactId></dependency>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-sql_\${scala.binary.version}</artifactId></dependency>
    <dependency><groupId>org.scala-lang</groupId><artifactId>scala-library</artifactId></dependency>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client-api</artifactId></dependency>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client-runtime</artifactId></dependency>
    ${SPARK_DIST_EXTRA:-}"
  SPARK_CP=$RESOLVED_CP
  # The Worker builds executor command lines from $SPARK_HOME/jars/*.
  export SPARK_HOME="$WORK/spark-home"
  mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf"
  local spark_jars
  IFS=: read -r -a spark_jars <<<"$SPARK_CP"
  ln -s "${spark_jars[@]}" "$SPARK_HOME/jars/"
  export SPARK_CONF_DIR="$SPARK_HOME/conf"  # empty: no stray spark-defaults.conf
  export SPARK_SCALA_VERSION=$SCALA_BINARY  # else every executor launch fails, in a tight loop
  export SPARK_LOCAL_IP=127.0.0.1
  export SPARK_LOCAL_DIRS="$WORK/local"     # scratch space of workers, executors and drivers (wins over spark.local.dir)
  mkdir -p "$SPARK_LOCAL_DIRS"
  unset SPARK_MASTER_HOST SPARK_WORKER_DIR SPARK_WORKER_OPTS SPARK_DAEMON_JAVA_OPTS
  FAILED_LOG=""
}

start_cluster() {  # start_cluster WORKERS CORES MEMORY
  local workers=$1 cores=$2 memory=$3 ports i t0
  [[ -n "${SPARK_CP:-}" ]] || resolve_spark_dist
  read -r -a ports <<<"$(free_ports $((workers + 2)))"
  MASTER_URL="spark://127.0.0.1:${ports[0]}"
  t0=$(now)
  log "starting Master on $MASTER_URL and $workers Workers of $cores core(s), $memory (work folder $WORK)"
  FAILED_LOG="$LOGS/master.log"
  start_group "$LOGS/master.log" java -Xmx512m -Djava.io.tmpdir="$JVM_TMP" "${JAVA_OPENS[@]}" -cp "$SPARK_CP" \
    org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "${ports[0]}" --webui-port "${ports[1]}"
  for ((i = 1; i <= workers; i++)); do
    mkdir -p "$WORK/worker-$i"
    # shellcheck disable=SC2086 # CLUSTER_WORKER_OPTS: extra -D options of the Workers, word-split
    start_group "$LOGS/worker-$i.log" java -Xmx512m -Djava.io.tmpdir="$JVM_TMP" "${JAVA_OPENS[@]}" ${CLUSTER_WORKER_OPTS:-} \
      -cp "$SPARK_CP" org.apache.spark.deploy.worker.Worker "$MASTER_URL" --cores "$cores" --memory "$memory" \
      --work-dir "$WORK/worker-$i" --host 127.0.0.1 --webui-port "${ports[$((i + 1))]}"
    WORKER_PIDS+=("$STARTED_PID")
  done
  local g
  for ((i = 0; i < 600; i++)); do
    [[ $(grep -c 'Registering worker' "$LOGS/master.log" || true) -ge $workers ]] && break
    for g in "${GROUPS_STARTED[@]}"; do
      kill -0 "$g" 2>/dev/null || fail "a cluster process exited while starting (see the logs in $LOGS)"
    done
    sleep 0.1
  done
  [[ $i -lt 600 ]] || fail "the $workers Workers did not register with the Master within 60 s"
  FAILED_LOG=""
  log "cluster up in $(elapsed "$t0") s"
}

# Executor JVMs of the cluster (children of the Workers, in their process groups).
executor_pids() {
  local w
  for w in "${WORKER_PIDS[@]}"; do pgrep -g "$w" -f CoarseGrainedExecutorBackend || true; done
}

# spark-submit in client mode, as on a real cluster; the driver JVM needs Spark's --add-opens itself.
# submit LOGFILE DRIVER_HEAP [spark-submit options ...] -- [job arguments ...]
DRIVER_PID=""
submit() {
  local logfile=$1 heap=$2
  shift 2
  local spark_opts=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do
    spark_opts+=("$1")
    shift
  done
  [[ $# -gt 0 ]] && shift
  FAILED_LOG=$logfile
  start_group "$logfile" java -Xmx"$heap" -Djava.io.tmpdir="$JVM_TMP" "${JAVA_OPENS[@]}" \
    -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" ${CLUSTER_DRIVER_JAVA_OPTS:-} \
    -cp "$SPARK_CP" org.apache.spark.deploy.SparkSubmit \
    --master "$MASTER_URL" --deploy-mode client \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.ui.enabled=false \
    --conf spark.scheduler.minRegisteredResourcesRatio=1.0 \
    --conf spark.scheduler.maxRegisteredResourcesWaitingTime=60s \
    "${spark_opts[@]}" \
    --class "${CLUSTER_MAIN_CLASS:-dev.sparktrain.job.cli.Main}" "$JOB_JAR" "$@"
  DRIVER_PID=$STARTED_PID
}

wait_driver() {  # wait_driver PID TIMEOUT: waits (at most TIMEOUT s) and sets DRIVER_RC
  local pid=$1 timeout=$2 start
  start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    [[ $((SECONDS - start)) -lt $timeout ]] || fail "the job did not finish within $timeout s"
    sleep 0.2
  done
  DRIVER_RC=0
  wait "$pid" || DRIVER_RC=$?
}
