#!/usr/bin/env bash
# How long `ferry verify` takes for one table, the second site on loopback and then across a long link (a TCP proxy
# delaying each byte by half the round trip). A benchmark, not a test; docs/benchmark.md, "Verify across a link".
#
#   bench/verify.sh                       1,000,000 rows, 150 ms round trip
#   bench/verify.sh --rows=200000 --rtt-ms=300
#   bench/verify.sh --help
#
# Environment: as bench/run.sh (BENCH_BUILD, BENCH_JAVA_OPTS, MVN_OPTS_EXTRA).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_java verify
exec "${JAVA_CMD[@]}" dev.ferry.bench.VerifyBenchmark "$@"
