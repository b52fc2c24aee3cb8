#!/usr/bin/env bash
# One scheduled retraining of an experiment (cron, Airflow, a Kubernetes CronJob):
#   scripts/retrain.sh CONFIG [--date YYYY-MM-DD] [--set key=value ...] [other train options]
# The run id is retrain-<date> (default: today in UTC), so a scheduler's retry of the same day resumes
# the run if it failed, and does nothing if it finished. The run warm-starts from the production model
# (train.init=production; the first run of an experiment starts from scratch; --set train.init=scratch
# overrides), does nothing when the data files and the config are unchanged since a finished run
# (--skip-if-unchanged), and goes to production only past the promotion gate (promote.*).
# Exit code, for the scheduler: 0 promoted or nothing to do, 1 the run failed, 2 bad config or usage,
# 3 trained but not promoted, 4 the experiment is locked by another run.
# With SPARK_SUBMIT set (e.g. SPARK_SUBMIT="spark-submit --master yarn --deploy-mode client") the job jar
# is submitted with it through scripts/submit.sh, which brings the job's exit code back in cluster
# deploy mode too (it then needs SPARKTRAIN_OUTCOME_DIR, see submit.sh); otherwise the job runs on an
# embedded local Spark, as scripts/train.sh does.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [[ $# -eq 0 || "$1" == -* ]]; then
  echo "usage: scripts/retrain.sh CONFIG [--date YYYY-MM-DD] [--set key=value ...]" >&2
  exit 2
fi
config="$1"
shift
day=$(date -u +%F)
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --date) day="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [[ ! "$day" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  echo "--date must be YYYY-MM-DD, found '$day'" >&2
  exit 2
fi
job=(train "$config" --run-id "retrain-$day" --skip-if-unchanged --set train.init=production ${args[@]+"${args[@]}"})
if [[ -n "${SPARK_SUBMIT:-}" ]]; then
  read -r -a submit_cmd <<<"$SPARK_SUBMIT"  # the command, then its options
  SPARK_SUBMIT_BIN="${submit_cmd[0]}" exec bash "$ROOT/scripts/submit.sh" "${submit_cmd[@]:1}" \
    -- "${job[@]:1}"
fi
ensure_built
cd "$ROOT"
run_job "${job[@]}"
