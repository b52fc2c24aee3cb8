#!/usr/bin/env bash
# The oneDNN primitives inside one training step: StepProfile (docs/performance.md, section 1) run with
# oneDNN's verbose mode, its "exec" lines summed per primitive, direction and problem. Names the
# convolution directions (forward, backward data, backward weights) and the layout reorders between
# them, which ND4J's op profiler reports only as one conv2d_bp.
# Usage: scripts/profile-onednn.sh [CONFIG] [STEPS] [key=value ...]
#        (default conf/fashion-mnist-lenet.conf, 100 steps, train.batch-size=64, one ND4J thread)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
config=${1:-$ROOT/conf/fashion-mnist-lenet.conf}
steps=${2:-100}
shift $(( $# < 2 ? $# : 2 ))
overrides=("$@")
[[ ${#overrides[@]} -gt 0 ]] || overrides=(train.batch-size=64)
ensure_built
log="$ROOT/runs/profile-onednn.log"
mkdir -p "$ROOT/runs"
DNNL_VERBOSE=1 java "${JAVA_OPENS[@]}" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -cp "$JOB_JAR:$(cat "$SPARK_CP_FILE")" dev.sparktrain.job.bench.StepProfile "$config" 1 "$steps" "${overrides[@]}" \
  >"$log" 2>&1 || { tail -20 "$log" >&2; echo "error: StepProfile failed (log: $log)" >&2; exit 1; }
grep -vE '^(dnnl_verbose|[0-9:]+ )' "$log" | grep -E 'parameters|one training step' | head -2
echo "oneDNN primitives, all runs of StepProfile (timed, warm-up and profiled steps); share of oneDNN time:"
# exec lines: dnnl_verbose,exec,cpu,PRIMITIVE,IMPL,PROP,MEMORY,ATTRS,AUX,PROBLEM,MS
grep '^dnnl_verbose,exec' "$log" | awk -F, '
  { key = sprintf("%-13s %-17s %-15s %s", $4, $6, $5, $(NF-1)); t[key] += $NF; n[key]++; total += $NF }
  END {
    for (k in t) printf "%6.1f%%  %7.3f ms x %5d  %s\n", 100 * t[k] / total, t[k] / n[k], n[k], k
  }' | sort -rn | head -"${PROFILE_TOP:-14}"
