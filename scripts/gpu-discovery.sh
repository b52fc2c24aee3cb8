#!/usr/bin/env bash
# Spark's resource discovery script for GPUs (spark.worker.resource.gpu.discoveryScript on a standalone
# worker, spark.executor.resource.gpu.discoveryScript on YARN and Kubernetes): prints, in Spark's JSON
# format, the CUDA device indices nvidia-smi lists, e.g. {"name": "gpu", "addresses": ["0","1"]}.
# A task binds the address Spark gives it as the CUDA device number, so executors must see every GPU
# as nvidia-smi numbers them (no CUDA_VISIBLE_DEVICES narrowing it).
set -euo pipefail
command -v nvidia-smi >/dev/null || { echo "gpu-discovery.sh: nvidia-smi is not on the PATH" >&2; exit 1; }
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' \r' | awk 'NF { printf "%s\"%s\"", (n++ ? "," : ""), $1 }')
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
