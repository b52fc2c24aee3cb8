#!/usr/bin/env bash
# Trains on an embedded local Spark: scripts/train.sh [CONFIG] [--set key=value ...] [--resume] [--local]
# CONFIG defaults to conf/fashion-mnist-lenet.conf. Builds the job jar first when needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
config="$ROOT/conf/fashion-mnist-lenet.conf"
if [[ $# -gt 0 && "$1" != -* ]]; then
  config="$1"
  shift
fi
ensure_built
if grep -q "$DATA_DIR" "$config" 2>/dev/null; then
  ensure_dataset
fi
cd "$ROOT"
run_job train "$config" "$@"
