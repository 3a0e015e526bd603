#!/usr/bin/env bash
# Ferry vs native MariaDB replication benchmark (loopback, one direction). Not a test.
#
#   bench/run.sh            full run (~5-10 min)
#   bench/run.sh --quick    smaller backlogs and an 8 s lag phase (~2-3 min)
#   bench/run.sh --help     all options (--only=a,b,c, --lag-seconds=N, --lag-rate=N, ...)
#
# Environment: BENCH_BUILD=auto|always|never (default auto: `mvn install` when a main source or pom is newer
# than the last build), BENCH_JAVA_OPTS (default -Xmx3g), MVN_OPTS_EXTRA (e.g. -o for offline).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
read -r -a MVN_EXTRA <<< "${MVN_OPTS_EXTRA:-}"
MVN=(mvn -B -q "${MVN_EXTRA[@]}")
STAMP=bench/target/.bench-built
CLASSPATH_FILE=bench/target/bench.classpath

needs_build() {
  case "${BENCH_BUILD:-auto}" in
    always) return 0 ;;
    never) return 1 ;;
  esac
  [[ -f "$STAMP" && -d bench/target/classes && -d "$HOME/.m2/repository/dev/ferry/ferry-jobs" ]] || return 0
  [[ -n "$(find . -path '*/target' -prune -o -path './.git' -prune -o \
      \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$STAMP" -print -quit)" ]]
}

if needs_build; then
  echo "run.sh: building: mvn -B -q -DskipTests install" >&2
  mkdir -p bench/target
  if ! "${MVN[@]}" -DskipTests install > bench/target/build.log 2>&1; then
    # other modules' test sources may be mid-edit; the benchmark needs only main code
    echo "run.sh: that failed (see bench/target/build.log: $(grep -m1 -o 'on project [^:]*' bench/target/build.log ||
      true)); retrying without compiling tests (-Dmaven.test.skip=true)" >&2
    "${MVN[@]}" -Dmaven.test.skip=true install >&2
  fi
  rm -f "$CLASSPATH_FILE"
  touch "$STAMP"
fi
if [[ ! -s "$CLASSPATH_FILE" ]]; then
  "${MVN[@]}" -pl bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >&2
fi

# Run from a private copy of Ferry's own jars and the benchmark classes: other builds (`mvn install` in this
# tree) overwrite ~/.m2 and target/ while the benchmark runs, and a JVM whose jars change under it fails with
# NoClassDefFoundError.
RUN_LIB=bench/target/run-lib
rm -rf "$RUN_LIB"
mkdir -p "$RUN_LIB"
cp -r bench/target/classes "$RUN_LIB/bench-classes"
CP="$RUN_LIB/bench-classes"
IFS=':' read -r -a DEPS < "$CLASSPATH_FILE" || true
for jar in "${DEPS[@]}"; do
  case "$jar" in
    */dev/ferry/*) cp "$jar" "$RUN_LIB/"; CP+=":$RUN_LIB/$(basename "$jar")" ;;
    *) CP+=":$jar" ;;
  esac
done

# Java 17 needs these for Flink: the root pom's flink.add-opens property
ADD_OPENS="$(sed -n 's:.*<flink.add-opens>\(.*\)</flink.add-opens>.*:\1:p' pom.xml)"
[[ -n "$ADD_OPENS" ]] || { echo "run.sh: cannot read flink.add-opens from pom.xml" >&2; exit 1; }

mkdir -p bench/target/logs
LOG="bench/target/logs/bench-$(date +%Y%m%d-%H%M%S).log"
read -r -a JAVA_OPTS <<< "${BENCH_JAVA_OPTS:--Xmx3g}"
# shellcheck disable=SC2086 # ADD_OPENS is a list of flags
exec java "${JAVA_OPTS[@]}" $ADD_OPENS \
  -Dferry.bench.log="$ROOT/$LOG" -Dlog4j2.configurationFile=log4j2-bench.properties \
  -cp "$CP" \
  dev.ferry.bench.ReplicationBenchmark "$@"
