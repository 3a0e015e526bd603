#!/usr/bin/env bash
# flink-cluster.sh: a local standalone Flink 1.20 session cluster built from Maven artifacts, for machines
# without a Flink distribution. One JobManager and one TaskManager as background processes.
#
#   deploy/flink-cluster.sh start              configure, start both, wait until the REST API answers
#   deploy/flink-cluster.sh start-taskmanager  one more TaskManager (e.g. after one was killed)
#   deploy/flink-cluster.sh status             the processes and what the REST API says (exit 3 if down)
#   deploy/flink-cluster.sh stop               stop every process of the cluster
#
# Configuration: flink-conf/config.yaml, copied to <dir>/conf with the state paths under <dir>.
#   FERRY_CLUSTER_DIR          the working directory <dir> (default deploy/flink-cluster/run)
#   FERRY_FLINK_REST_PORT      dashboard and REST API on 127.0.0.1 (default 8081)
#   FERRY_FLINK_RPC_PORT       JobManager RPC port (default 6123)
#   FERRY_FLINK_METRICS_PORTS  Prometheus port range (default 9249-9259)
# Jobs are submitted with deploy/flink (the flink CLI), e.g. deploy/flink run -d <jar> ...
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=flink-cluster/common.sh
source "$here/flink-cluster/common.sh"

conf=$work/conf
rest_port=${FERRY_FLINK_REST_PORT:-8081}
rest=http://127.0.0.1:$rest_port
start_timeout=${FERRY_FLINK_START_TIMEOUT:-120}

JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner

# a pid file names a live process of this cluster (not a reused pid)
alive() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--configDir $conf"
}

# replace (or add) one top-level key of the copied config.yaml
set_conf() {
  sed -i "/^$(printf '%s' "$1" | sed 's/\./\\./g'):/d" "$conf/config.yaml"
  printf '%s: %s\n' "$1" "$2" >> "$conf/config.yaml"
}

configure() {
  mkdir -p "$conf" "$work/log" "$work/checkpoints" "$work/savepoints" "$work/tmp"
  cp "$repo/flink-conf/config.yaml" "$conf/config.yaml"
  set_conf state.checkpoints.dir "file://$work/checkpoints"
  set_conf state.savepoints.dir "file://$work/savepoints"
  set_conf io.tmp.dirs "$work/tmp"
  set_conf rest.port "$rest_port"
  set_conf jobmanager.rpc.port "${FERRY_FLINK_RPC_PORT:-6123}"
  set_conf metrics.reporter.prom.port "${FERRY_FLINK_METRICS_PORTS:-9249-9259}"
  cp "$here/flink-cluster/log4j-cluster.properties" "$conf/log4j.properties"
  cp "$here/flink-cluster/log4j-cli.properties" "$conf/log4j-cli.properties"
}

# JVM flags (line 1) and dynamic properties (line 2) that BashJavaUtils derives from the memory settings
resource_params() {
  local out
  out=$(java -cp "$cp" -Dlog4j.configurationFile="$conf/log4j-cli.properties" -Dlog.file="$work/log/bash-java-utils.log" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$conf" 2>&1) \
    || die "BashJavaUtils $1 failed (check the memory settings in flink-conf/config.yaml): $out"
  printf '%s\n' "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

# launch <name> <main class> <resource params command>
launch() {
  local name=$1 main=$2 params jvm dynamic
  params=$(resource_params "$3")
  jvm=$(printf '%s\n' "$params" | sed -n 1p)
  dynamic=$(printf '%s\n' "$params" | sed -n 2p)
  # shellcheck disable=SC2086 # the flag lists are meant to split into words
  nohup java $jvm $(java_opts_all "$conf") -Dlog.file="$work/log/$name.log" \
    -Dlog4j.configurationFile="$conf/log4j.properties" -cp "$cp" "$main" --configDir "$conf" $4 $dynamic \
    > "$work/log/$name.out" 2>&1 < /dev/null &
  echo $! > "$work/$name.pid"
}

# poll until <condition> holds or <what> times out; fails with the log of <pid file> if its process died
await() {
  local condition=$1 what=$2 pidfile=$3 log=$4 deadline=$((SECONDS + start_timeout))
  until eval "$condition"; do
    # (only kill -0: just after the launch the child may not have exec'd java yet)
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      tail -n 30 "$log" >&2 || true
      die "$what: the process exited (log: $log)"
    fi
    [ $SECONDS -lt $deadline ] || die "$what: not within ${start_timeout}s (log: $log)"
    sleep 0.5
  done
}

rest_up() { curl -sf -o /dev/null "$rest/overview"; }

start_taskmanager() {
  local n=1 name
  # a new number for each TaskManager: the pid file and log of a killed one stay until 'stop'
  while [ -e "$work/taskmanager-$n.pid" ]; do n=$((n + 1)); done
  name=taskmanager-$n
  if [ -e "$work/log/$name.log" ]; then mv "$work/log/$name.log" "$work/log/$name.log.previous"; fi
  launch "$name" "$TM_CLASS" GET_TM_RESOURCE_PARAMS ""
  await "grep -q 'Successful registration at resource manager' '$work/log/$name.log' 2>/dev/null" \
    "TaskManager $n registering at the JobManager" "$work/$name.pid" "$work/log/$name.log"
  echo "TaskManager $n started (pid $(cat "$work/$name.pid"), log $work/log/$name.log)"
}

start() {
  if alive "$work/jobmanager.pid"; then
    echo "the cluster already runs: dashboard $rest (deploy/flink-cluster.sh stop to stop it)"
    return 0
  fi
  if rest_up; then
    die "something else already answers at $rest: stop it, or set FERRY_FLINK_REST_PORT to a free port"
  fi
  configure
  cp=$(cluster_classpath)
  rm -f "$work"/*.pid
  if [ -e "$work/log/jobmanager.log" ]; then mv "$work/log/jobmanager.log" "$work/log/jobmanager.log.previous"; fi
  launch jobmanager "$JM_CLASS" GET_JM_RESOURCE_PARAMS "--executionMode cluster"
  await rest_up "the JobManager's REST API at $rest" "$work/jobmanager.pid" "$work/log/jobmanager.log"
  echo "JobManager started (pid $(cat "$work/jobmanager.pid"), log $work/log/jobmanager.log)"
  start_taskmanager
  echo "dashboard: $rest   submit jobs with: $here/flink run -d <jar> ..."
}

stop() {
  local f pid stopped=0
  for f in "$work"/taskmanager-*.pid "$work/jobmanager.pid"; do
    [ -e "$f" ] || continue
    if alive "$f"; then
      pid=$(cat "$f")
      kill "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      if kill -0 "$pid" 2>/dev/null; then
        echo "$(basename "$f" .pid) (pid $pid) did not stop within 30 s: killing it" >&2
        kill -9 "$pid"
      fi
      echo "$(basename "$f" .pid) stopped"
      stopped=1
    fi
    rm -f "$f"
  done
  [ $stopped = 1 ] || echo "the cluster was not running"
}

status() {
  local f up=0
  for f in "$work/jobmanager.pid" "$work"/taskmanager-*.pid; do
    [ -e "$f" ] || continue
    if alive "$f"; then echo "$(basename "$f" .pid): running (pid $(cat "$f"))"
    else echo "$(basename "$f" .pid): not running"; fi
  done
  if rest_up; then
    echo "REST API $rest: $(curl -sf "$rest/overview")"
    curl -sf "$rest/jobs/overview" | tr '{' '\n' | sed -n 's/.*"jid":"\([^"]*\)","name":"\([^"]*\)","start-time"[^}]*"state":"\([A-Z]*\)".*/  \1 \3 \2/p'
    up=1
  else
    echo "REST API $rest: not answering"
  fi
  [ $up = 1 ] || exit 3
}

case "${1:-}" in
  start) start ;;
  start-taskmanager)
    alive "$work/jobmanager.pid" || die "the JobManager does not run: deploy/flink-cluster.sh start first"
    cp=$(cluster_classpath)
    start_taskmanager ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|start-taskmanager|status|stop" >&2; exit 2 ;;
esac
