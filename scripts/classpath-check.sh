#!/usr/bin/env bash
# The job jar of one Spark line on that line's own Spark classpath, as spark-submit assembles it
# (dev.sparktrain.job.bench.ClasspathCheck): the versions of Jackson, slf4j, Netty, Guava, protobuf,
# Hadoop, Scala, Spark, ND4J and DL4J that win and where from, classes shared with Spark's jars, and
# one JVM touching Spark SQL, Parquet through Hadoop's FileSystem, Jackson, ND4J and DL4J.
# Usage: [SPARK_LINE=spark3|spark4] scripts/classpath-check.sh [JAVA]   (JAVA: another JDK's java binary)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"
java_bin=${1:-java}
cluster_setup classpath-check
ensure_built
resolve_spark_dist
log "$SPARK_LINE: $(basename "$JOB_JAR") on Spark's jars ($(tr ':' '\n' <<<"$SPARK_CP" | grep -c .) jars), $("$java_bin" -version 2>&1 | head -1)"
"$java_bin" -Xmx2g -Djava.io.tmpdir="$JVM_TMP" "${JAVA_OPENS[@]}" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -cp "$SPARK_CP:$JOB_JAR" dev.sparktrain.job.bench.ClasspathCheck "$JOB_JAR" 2> >(grep -v ' WARN ' >&2)
