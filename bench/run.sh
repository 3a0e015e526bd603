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
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_java bench
exec "${JAVA_CMD[@]}" dev.ferry.bench.ReplicationBenchmark "$@"
