#!/usr/bin/env bash
# Any command of the job jar on an embedded local Spark: scripts/sparktrain.sh COMMAND [ARGS...]
# (train, evaluate, predict, summary, plot, inspect; `scripts/sparktrain.sh help COMMAND` for its options).
# Builds the job jar first when needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_built
for arg in "$@"; do # a config (or a run's config.json) that reads the Fashion-MNIST package
  if grep -qs "$DATA_DIR" -- "$arg" "$arg/config.json"; then
    ensure_dataset
    break
  fi
done
cd "$ROOT"
run_job "$@"
