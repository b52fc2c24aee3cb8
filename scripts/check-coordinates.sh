#!/usr/bin/env bash
# Each build of the job installs under its own Maven coordinates, side by side in the local repository:
#   sparktrain-spark-job-spark3.5_2.12 (Spark 3.5, CPU), sparktrain-spark-job-spark4_2.13 (Spark 4,
#   CPU), sparktrain-spark-job-spark3.5-cuda11.6_2.12 (Spark 3.5, CUDA); sparktrain-common and
#   sparktrain-cpu hold no Spark or Scala and serve every build.
#   scripts/check-coordinates.sh record   after installing the first build: notes its files' checksums
#   scripts/check-coordinates.sh check    after installing the others: each build's jar and pom are there,
#                                         the pom names the build's own artifact and Spark's Scala line,
#                                         and the first build's files are unchanged
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="${MAVEN_LOCAL_REPO:-$HOME/.m2/repository}"  # Maven's default local repository
VERSION=0.1.0-SNAPSHOT
dir_of() { echo "$REPO/dev/sparktrain/$1/$VERSION"; }
FIRST=sparktrain-spark-job-spark3.5_2.12
RECORD="$ROOT/spark-job/target/coordinates.sha256"

case "${1:-}" in
  record)
    d=$(dir_of "$FIRST")
    [[ -f "$d/$FIRST-$VERSION.jar" ]] || { echo "error: $FIRST is not installed in $REPO" >&2; exit 1; }
    (cd "$d" && sha256sum "$FIRST-$VERSION.jar" "$FIRST-$VERSION.pom") >"$RECORD"
    echo "recorded $FIRST's checksums"
    ;;
  check)
    for build in "sparktrain-spark-job-spark3.5_2.12 2.12" "sparktrain-spark-job-spark4_2.13 2.13" \
        "sparktrain-spark-job-spark3.5-cuda11.6_2.12 2.12"; do
      read -r artifact scala <<<"$build"
      d=$(dir_of "$artifact")
      for f in "$artifact-$VERSION.jar" "$artifact-$VERSION.pom"; do
        [[ -f "$d/$f" ]] || { echo "error: $artifact: no $f in $d" >&2; exit 1; }
      done
      grep -q "<artifactId>$artifact</artifactId>" "$d/$artifact-$VERSION.pom" ||
        { echo "error: $artifact's pom does not name it" >&2; exit 1; }
      grep -q "<artifactId>spark-core_$scala</artifactId>" "$d/$artifact-$VERSION.pom" ||
        { echo "error: $artifact's pom does not depend on spark-core_$scala" >&2; exit 1; }
      echo "installed: dev.sparktrain:$artifact:$VERSION"
    done
    (cd "$(dir_of "$FIRST")" && sha256sum -c --quiet "$RECORD") ||
      { echo "error: installing the other builds changed $FIRST" >&2; exit 1; }
    echo "the three builds install side by side; $FIRST unchanged by the other two"
    ;;
  *) echo "usage: scripts/check-coordinates.sh record|check" >&2; exit 2 ;;
esac
