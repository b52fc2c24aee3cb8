#!/usr/bin/env bash
# Builds and installs the CUDA job (mvn -Pcuda -DskipTests install) and checks what it carries: ND4J's CUDA
# backend (JCublasBackend, registered as the ND4J backend service) and JavaCPP's CUDA bindings; not the
# CPU backend, its natives or the CPU-only oneDNN shim; not the 600 MB libnd4jcuda natives, which reach
# the cluster as a jar of their own (scripts/cuda-natives.sh). Nothing here needs a GPU or CUDA.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
jar="spark-job/target/sparktrain-job-cuda-11.6.jar"
mvn -B -q -Pcuda -DskipTests install -pl spark-job -am
[[ -f "$jar" ]] || { echo "error: the CUDA build wrote no $jar" >&2; exit 1; }
list=$(unzip -l "$jar")
fail() { echo "error: $jar: $*" >&2; exit 1; }
grep -q 'org/nd4j/linalg/jcublas/JCublasBackend.class' <<<"$list" || fail "no ND4J CUDA backend (JCublasBackend)"
grep -q 'org/bytedeco/cuda/linux-x86_64/libjnicudart.so' <<<"$list" || fail "no JavaCPP CUDA runtime bindings"
[[ "$(unzip -p "$jar" META-INF/services/org.nd4j.linalg.factory.Nd4jBackend | grep -v '^#' | grep -v '^\s*$')" == \
  "org.nd4j.linalg.jcublas.JCublasBackend" ]] || fail "the ND4J backend service does not name JCublasBackend alone"
! grep -q 'org/nd4j/linalg/cpu/nativecpu/' <<<"$list" || fail "carries ND4J's CPU backend"
! grep -q 'libjnind4jcpu.so\|libnd4jcpu.so' <<<"$list" || fail "carries CPU natives"
! grep -q 'org/nd4j/nativeblas/Nd4jCpu' <<<"$list" || fail "carries the CPU-only oneDNN shim"
! grep -q 'libnd4jcuda.so\|libjnind4jcuda.so' <<<"$list" || fail "carries the CUDA natives (600 MB; they go with --jars)"
size=$(stat -c %s "$jar")
echo "CUDA build ok: $jar ($((size / 1024 / 1024)) MB): ND4J's CUDA backend, no CPU backend, no natives of libnd4j"
