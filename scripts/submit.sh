#!/usr/bin/env bash
# Submits the training job to a Spark cluster with the installed spark-submit (client deploy mode):
#   scripts/submit.sh [spark-submit options ...] -- [CONFIG] [--set key=value ...] [--resume]
# e.g. scripts/submit.sh --master spark://host:7077 --executor-cores 2 -- conf/my.conf \
#        --set checkpoint.dir=hdfs:///ckpt/my-job
# Data and checkpoint URIs must be readable from every executor (hdfs://, s3a://, or a shared file://).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
submit="${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit"
command -v "$submit" >/dev/null || { echo "spark-submit not found: set SPARK_HOME or put it on PATH" >&2; exit 2; }

spark_args=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  spark_args+=("$1")
  shift
done
[[ $# -gt 0 ]] && shift # the --
ensure_built

# Executors need the same native-backend settings as the driver; both get Spark's Java 17 flags
# from the jar manifest and from spark-submit itself.
backend="-Dorg.bytedeco.javacpp.platform.extension=-onednn -Dorg.eclipse.deeplearning4j.helpers.disable=false"
exec "$submit" --class dev.sparktrain.job.cli.Main \
  --driver-java-options "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties $backend" \
  --conf "spark.executor.extraJavaOptions=$backend" \
  "${spark_args[@]}" "$JOB_JAR" train "$@"
