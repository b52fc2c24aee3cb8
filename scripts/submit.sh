#!/usr/bin/env bash
# Submits the training job to a Spark cluster with the installed spark-submit, in client or cluster
# deploy mode, and exits with the job's own exit code (0 promoted or nothing to do, 1 failed, 2 bad
# config or usage, 3 not promoted, 4 locked) in every deploy mode:
#   scripts/submit.sh [spark-submit options ...] -- [CONFIG] [--set key=value ...] [--resume]
# e.g. scripts/submit.sh --master spark://host:7077 --executor-cores 2 -- conf/my.conf \
#        --set checkpoint.dir=hdfs:///ckpt/my-job
#      SPARKTRAIN_OUTCOME_DIR=hdfs:///sparktrain/outcomes \
#        scripts/submit.sh --master yarn --deploy-mode cluster -- conf/my.conf
# Data and checkpoint URIs must be readable from every executor (hdfs://, s3a://, or a shared file://).
#
# In cluster deploy mode the driver runs on a host of the cluster and spark-submit reports only the
# application's final status, not the driver's exit code: the job writes its outcome (train
# --outcome) under SPARKTRAIN_OUTCOME_DIR, a URI both the driver and this host reach (HDFS, an
# object store, a shared folder), and this script reads it back (sparktrain outcome) when
# spark-submit returns. It waits for the application in standalone cluster mode too
# (spark.standalone.submit.waitAppCompletion). In client mode the outcome goes to a local temporary
# file unless SPARKTRAIN_OUTCOME_DIR is set. The outcome's line is printed last. When YARN never ran
# the driver (resources above what it grants, an unknown queue), there is no outcome: the script
# prints YARN's or Spark's reason as a config error and exits 2.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# SPARK_SUBMIT_BIN: the spark-submit to run (default: $SPARK_HOME/bin/spark-submit, else the one on PATH)
submit="${SPARK_SUBMIT_BIN:-${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit}"
command -v "$submit" >/dev/null || { echo "spark-submit not found: set SPARK_HOME or put it on PATH" >&2; exit 2; }

spark_args=()
cluster_mode=0
master=""
while [[ $# -gt 0 && "$1" != "--" ]]; do
  case "$1" in
    --deploy-mode) [[ "${2:-}" == cluster ]] && cluster_mode=1 ;;
    --deploy-mode=cluster) cluster_mode=1 ;;
    --master) master="${2:-}" ;;
    --master=*) master="${1#--master=}" ;;
  esac
  spark_args+=("$1")
  shift
done
[[ $# -gt 0 ]] && shift # the --
ensure_built

outcome_dir="${SPARKTRAIN_OUTCOME_DIR:-}"
local_outcome=""
if [[ -z "$outcome_dir" ]]; then
  if [[ $cluster_mode -eq 1 ]]; then
    echo "config error: --deploy-mode cluster needs SPARKTRAIN_OUTCOME_DIR, a URI the driver's host and this one" \
      "both reach (e.g. hdfs:///sparktrain/outcomes), for the job's exit code to come back here" >&2
    exit 2
  fi
  local_outcome="$(mktemp -d "${TMPDIR:-/tmp}/sparktrain-outcome.XXXXXX")"
  outcome_dir="file://$local_outcome"
fi
outcome="${outcome_dir%/}/outcome-$(date -u +%Y%m%dT%H%M%SZ)-$$-$RANDOM.json"
if [[ $cluster_mode -eq 1 && "$master" == spark://* ]]; then
  spark_args+=(--conf spark.standalone.submit.waitAppCompletion=true)
fi

# Executors need the same native-backend settings as the driver; both get Spark's Java 17 flags
# from the jar manifest and from spark-submit itself.
backend="-Dorg.bytedeco.javacpp.platform.extension=-onednn -Dorg.eclipse.deeplearning4j.helpers.disable=false"
# In cluster mode the driver runs on a cluster host, launched by the cluster manager: it needs Spark's
# Java 17 flags given (spark-submit adds them only to a driver it starts itself), and this checkout's
# log settings are not there.
if [[ $cluster_mode -eq 1 ]]; then
  driver_opts="${JAVA_OPENS[*]} $backend"
else
  driver_opts="-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties $backend"
fi
rc=0
submit_log="$(mktemp "${TMPDIR:-/tmp}/sparktrain-submit.XXXXXX")"
trap 'rm -f "$submit_log"; [[ -z "$local_outcome" ]] || rm -rf "$local_outcome"' EXIT
"$submit" --class dev.sparktrain.job.cli.Main \
  --driver-java-options "$driver_opts" \
  --conf "spark.executor.extraJavaOptions=$backend" \
  "${spark_args[@]}" "$JOB_JAR" train --outcome "$outcome" "$@" 2> >(tee "$submit_log" >&2) || rc=$?
wait # for tee

# The job's own outcome, read here by the job jar with Spark's classpath and Hadoop settings (through
# spark-submit, in local mode: nothing reaches the cluster); spark-submit's status only when the job
# never wrote one (it did not start)
code=0
missing=""
"$submit" --master 'local[1]' --conf spark.ui.enabled=false --class dev.sparktrain.job.cli.Main \
  --driver-java-options "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties" \
  "$JOB_JAR" outcome "$outcome" 2>"$submit_log.outcome" || code=$?
grep -q '^error: no outcome at' "$submit_log.outcome" && missing=1
rm -f "$submit_log.outcome"
if [[ $code -eq 1 && $rc -ne 0 && $cluster_mode -eq 0 ]]; then
  code=$rc
elif [[ -n "$missing" && $cluster_mode -eq 1 && "$master" == yarn* ]] && ! grep -q '(state: RUNNING)' "$submit_log"; then
  # YARN never ran the driver: it refused the application (resources above what it grants, an unknown
  # queue) or spark-submit did before submitting it: a setting to fix, with YARN's or Spark's reason
  reason=$(awk '/diagnostics: / && !/diagnostics: N\/A/ && !/waiting for AM container/ { sub(/.*diagnostics: /, ""); d = $0 }
    /^Exception in thread/ { sub(/^Exception in thread "[^"]*" [A-Za-z0-9_.$]*: /, ""); e = $0 }
    END { print (d != "" ? d : e) }' "$submit_log")
  echo "config error: YARN did not run the application: ${reason:-see the output of spark-submit above}"
  code=2
elif [[ -n "$missing" ]]; then
  echo "error: the job ended without an outcome (its driver was killed, or never started); spark-submit exited $rc"
fi
exit "$code"
