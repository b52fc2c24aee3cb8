#!/usr/bin/env bash
# Fetches the natives jar of ND4J's CUDA backend (nd4j-cuda-11.6, linux-x86_64: libnd4jcuda, about 600 MB)
# from Maven Central into DIR (default runs/cuda-natives), once, for spark-submit's --jars next to
# sparktrain-job-cuda-11.6.jar (mvn -Pcuda -DskipTests package). The hosts need CUDA 11.6 and cuDNN 8.3.
# Usage: scripts/cuda-natives.sh [DIR]     (prints the --jars argument to use)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir=${1:-$ROOT/runs/cuda-natives}
version=$(sed -n 's:.*<dl4j.version>\(.*\)</dl4j.version>.*:\1:p' "$ROOT/pom.xml")
artifact=$(sed -n 's:.*<nd4j.cuda.artifactId>\(.*\)</nd4j.cuda.artifactId>.*:\1:p' "$ROOT/pom.xml")
mkdir -p "$dir"
mvn -B -q dependency:copy -Dartifact="org.nd4j:$artifact:$version:jar:linux-x86_64" -DoutputDirectory="$dir" \
  -Dmdep.overWriteIfNewer=false
jar="$dir/$artifact-$version-linux-x86_64.jar"
[[ -f "$jar" ]] || { echo "error: $jar was not written" >&2; exit 1; }
echo "--jars $jar"
