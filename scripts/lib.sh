# Shared by the scripts: paths, the JVM flags Spark needs on Java 17, building the job jar.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# SPARK_LINE=spark4: the Spark 4 / Scala 2.13 line (mvn -Pspark4, sparktrain-job-spark4.jar); default Spark 3.5
SPARK_LINE=${SPARK_LINE:-spark3}
case "$SPARK_LINE" in
  spark3) MVN_LINE=(); SCALA_BINARY=2.12; JOB_JAR="$ROOT/spark-job/target/sparktrain-job.jar" ;;
  spark4) MVN_LINE=(-Pspark4); SCALA_BINARY=2.13; JOB_JAR="$ROOT/spark-job/target-spark4/sparktrain-job-spark4.jar" ;;
  *) echo "error: SPARK_LINE must be spark3 or spark4, found '$SPARK_LINE'" >&2; exit 2 ;;
esac
SPARK_CP_FILE="$(dirname "$JOB_JAR")/spark-classpath.txt"
DATA_DIR=/usr/share/datasets/fashion-mnist

# Spark's launcher list (JavaModuleOptions): Spark fails on Java 17 without these.
JAVA_OPENS=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false)

# Builds the shaded job jar and the classpath of Spark's own jars when missing or older than the sources.
ensure_built() {
  local newest
  newest=$(find "$ROOT/pom.xml" "$ROOT/cpu-backend" "$ROOT/common/pom.xml" "$ROOT/common/src" "$ROOT/spark-job/pom.xml" "$ROOT/spark-job/src" -newer "$JOB_JAR" \
    \( -name '*.java' -o -name '*.xml' -o -name '*.conf' \) -print -quit 2>/dev/null || true)
  if [[ ! -f "$JOB_JAR" || -n "$newest" ]] || ! { [[ -f "$SPARK_CP_FILE" ]] || spark_classpath >/dev/null 2>&1; }; then
    echo "building the job jar (mvn package${MVN_LINE[*]:+ ${MVN_LINE[*]}})..." >&2
    (cd "$ROOT" && mvn -q -B -DskipTests "${MVN_LINE[@]}" install) >&2
    spark_classpath >&2
  fi
}

# The job's classpath with Spark (provided) for embedded runs, into SPARK_CP_FILE.
spark_classpath() {
  (cd "$ROOT/spark-job" && mvn -q -B "${MVN_LINE[@]}" dependency:build-classpath -Dmdep.includeScope=provided \
    -Dmdep.outputFile="$SPARK_CP_FILE")
}

# Installs Debian's dataset-fashion-mnist when the default data is missing (asks first on a terminal).
ensure_dataset() {
  if [[ -f "$DATA_DIR/train-images-idx3-ubyte.gz" ]]; then
    return
  fi
  echo "Fashion-MNIST is not installed ($DATA_DIR)." >&2
  if [[ -t 0 && -z "${CI:-}" ]]; then
    read -r -p "Install Debian's dataset-fashion-mnist now with apt-get? [Y/n] " answer
    [[ "$answer" =~ ^[Nn] ]] && { echo "install it with: apt-get install -y dataset-fashion-mnist" >&2; exit 1; }
  fi
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq dataset-fashion-mnist >&2
}

# Idle OpenMP threads sleep instead of spinning on cores that concurrent tasks need (read once, when
# ND4J's native library loads; executors on a cluster get it from spark.executorEnv).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

run_job() {
  java -Xmx6g "${JAVA_OPENS[@]}" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
    ${SPARKTRAIN_JAVA_OPTS:-} -cp "$JOB_JAR:$(cat "$SPARK_CP_FILE")" dev.sparktrain.job.cli.Main "$@"
}
