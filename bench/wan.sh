#!/usr/bin/env bash
# The WAN lab: replication lag across an emulated long-RTT, lossy link, Ferry beside native MariaDB master-master
# replication, both sites writing at once. A benchmark, not a test. Run as root on Linux (network namespaces, a TUN
# device); docs/benchmark.md, "WAN lab".
#
#   bench/wan.sh                                the rate-100 cell, 60 s measured per system
#   bench/wan.sh --cell=rate-5000 --seconds=60  cells: rate-100 rate-5000 loss-cubic loss-bbr cut-60 backlog max-rate
#   bench/wan.sh --cell=cut-60 --systems=ferry
#   bench/wan.sh --help                         all options (--rate, --loss, --cc, --delay-ms, --cut-seconds, ...)
#
# Reports go to bench/target/wan/ (a .txt and a .png per run). The namespaces, the router and the servers are always
# removed at the end, also on Ctrl-C or a failure. Environment: as bench/run.sh (BENCH_BUILD, BENCH_JAVA_OPTS,
# MVN_OPTS_EXTRA).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

help=false
for a in "$@"; do
  [[ "$a" == "--help" || "$a" == "-h" ]] && help=true
done
if ! $help && [[ $(id -u) -ne 0 ]]; then
  echo "wan.sh: run as root (it makes network namespaces and a TUN device)" >&2
  exit 2
fi

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_java wan
if $help; then
  exec "${JAVA_CMD[@]}" dev.ferry.bench.WanLab --help
fi

java_pid=""
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [[ -n "$java_pid" ]] && kill -0 "$java_pid" 2>/dev/null; then
    kill -TERM "$java_pid" 2>/dev/null || true # its shutdown hook kills the servers
    for _ in $(seq 100); do kill -0 "$java_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$java_pid" 2>/dev/null || true
  fi
  # whatever still runs in the lab's namespaces was started by this lab
  for ns in sh us wan; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  done
  bench/wan/net.sh down >/dev/null 2>&1 || true
  rm -rf bench/target/wan/state
  exit "$code"
}
trap cleanup EXIT INT TERM

echo "wan.sh: log of Flink and Ferry: $BENCH_LOG" >&2
commit="$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
[[ -z "$(git status --porcelain 2>/dev/null)" ]] || commit+=" (with uncommitted changes)"
"${JAVA_CMD[@]}" -Djava.awt.headless=true -Dferry.wan.commit="$commit" dev.ferry.bench.WanLab \
  --net-script=bench/wan/net.sh "$@" &
java_pid=$!
wait "$java_pid"
