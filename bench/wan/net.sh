#!/usr/bin/env bash
# The WAN lab's network (run as root): two sites and a router between them, each a network namespace.
#
#   net.sh up DELAY_MS LOSS CC    create it; start the router (DELAY_MS each way, LOSS a fraction, CC the TCP
#                                 congestion control of both sites: cubic or bbr)
#   net.sh down                   stop the router and delete everything `up` made (safe to repeat)
#   net.sh env                    the lab's addresses as shell assignments (wan.sh exports them to the lab JVM)
#
#   [sh] 10.77.1.1 ---- 10.77.1.254 [wan: router.py on TUN wan0] 10.77.2.254 ---- 10.77.2.1 [us]
#     \ 10.77.11.1                                                                  10.77.12.1 /
#      `--- 10.77.11.254 [this host's namespace: the lab JVM] 10.77.12.254 ------------------'
#
# The host reaches each site directly on its management link (no delay: the writer, the poller, a job's target).
# It reaches a site's WAN address only through the other site and the router: 10.77.1.1 (sh) via us, 10.77.2.1 (us)
# via sh. So a Ferry job in the lab JVM that reads sh at 10.77.1.1 and writes us at 10.77.12.1 sits next to us, and
# its binlog stream crosses the link, as the job would in us's data centre.
set -euo pipefail
RUN_DIR=${WAN_RUN_DIR:-/run/ferry-wan-lab}
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

addresses() {
  cat <<'ADDR'
WAN_SH_NS=sh
WAN_US_NS=us
WAN_SH_WAN=10.77.1.1
WAN_US_WAN=10.77.2.1
WAN_SH_MGMT=10.77.11.1
WAN_US_MGMT=10.77.12.1
ADDR
  echo "WAN_CONTROL=$RUN_DIR/router.sock"
}
eval "$(addresses)"

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# veth pair: name1 in ns1 with addr1, name2 in ns2 (empty: this host) with addr2, both /24
link() {
  local ns1=$1 name1=$2 addr1=$3 ns2=$4 name2=$5 addr2=$6
  ip link add "$name1" netns "$ns1" type veth peer name "$name2"
  in_ns "$ns1" ip addr add "$addr1/24" dev "$name1"
  in_ns "$ns1" ip link set "$name1" up
  if [[ -n "$ns2" ]]; then
    ip link set "$name2" netns "$ns2"
    in_ns "$ns2" ip addr add "$addr2/24" dev "$name2"
    in_ns "$ns2" ip link set "$name2" up
  else
    ip addr add "$addr2/24" dev "$name2"
    ip link set "$name2" up
  fi
}

up() {
  local delay=$1 loss=$2 cc=$3
  for ns in sh us wan; do
    if ip netns list | grep -qw "^$ns"; then
      echo "net.sh: namespace $ns exists already (another lab running? 'net.sh down' removes it)" >&2
      exit 1
    fi
  done
  mkdir -p "$RUN_DIR"
  for ns in sh us wan; do
    ip netns add "$ns"
    in_ns "$ns" ip link set lo up
    in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  done
  # a namespace may only pick an algorithm of the host's allowed list; add it there for the lab's time
  local allowed
  allowed=$(sysctl -n net.ipv4.tcp_allowed_congestion_control)
  if ! grep -qw -- "$cc" <<< "$allowed"; then
    echo "$allowed" > "$RUN_DIR/allowed-cc"
    sysctl -qw net.ipv4.tcp_allowed_congestion_control="$allowed $cc"
  fi
  for ns in sh us; do
    in_ns "$ns" sysctl -qw net.ipv4.tcp_congestion_control="$cc"
  done
  link sh wan-sh 10.77.1.1 wan wan-to-sh 10.77.1.254
  link us wan-us 10.77.2.1 wan wan-to-us 10.77.2.254
  link sh mgmt-sh 10.77.11.1 "" lab-sh 10.77.11.254
  link us mgmt-us 10.77.12.1 "" lab-us 10.77.12.254
  # the sites: the other site and the far side's management network go over the WAN
  in_ns sh ip route add 10.77.2.0/24 via 10.77.1.254
  in_ns sh ip route add 10.77.12.0/24 via 10.77.1.254
  in_ns us ip route add 10.77.1.0/24 via 10.77.2.254
  in_ns us ip route add 10.77.11.0/24 via 10.77.2.254
  # the host: a site's WAN address through the other site
  ip route add 10.77.1.0/24 via 10.77.12.1
  ip route add 10.77.2.0/24 via 10.77.11.1
  # the router: whatever arrives from a site goes into the TUN device; what the router writes back is routed normally
  in_ns wan ip route add 10.77.11.0/24 via 10.77.1.1
  in_ns wan ip route add 10.77.12.0/24 via 10.77.2.1
  in_ns wan ip tuntap add dev wan0 mode tun
  in_ns wan ip link set wan0 up
  in_ns wan ip route add default dev wan0 table 100
  in_ns wan ip rule add iif wan-to-sh lookup 100
  in_ns wan ip rule add iif wan-to-us lookup 100
  nohup ip netns exec wan python3 "$HERE/router.py" wan0 "$WAN_CONTROL" "$delay" "$loss" \
    > "$RUN_DIR/router.log" 2>&1 &
  echo $! > "$RUN_DIR/router.pid"
  for _ in $(seq 50); do
    [[ -S "$WAN_CONTROL" ]] && break
    sleep 0.1
  done
  [[ -S "$WAN_CONTROL" ]] || { echo "net.sh: the router did not start:" >&2; cat "$RUN_DIR/router.log" >&2; exit 1; }
  # one round trip across the link, as a check: a connection to a closed port is refused after one RTT
  in_ns sh python3 -c 'import socket, time
t = time.monotonic()
try:
    socket.create_connection(("10.77.2.1", 9), timeout=10)
except ConnectionRefusedError:
    print("net.sh: sh -> us round trip %.0f ms" % ((time.monotonic() - t) * 1000))'
}

down() {
  if [[ -f "$RUN_DIR/router.pid" ]]; then
    local pid
    pid=$(cat "$RUN_DIR/router.pid")
    kill "$pid" 2>/dev/null && sleep 0.3 || true
    tail -n 1 "$RUN_DIR/router.log" 2>/dev/null || true
    rm -f "$RUN_DIR/router.pid"
  fi
  # deleting a namespace deletes its veth ends, their peers on this host and the routes over them
  for ns in sh us wan; do
    ip netns del "$ns" 2>/dev/null || true
  done
  # the kernel removes them in the background; a new `up` needs their names
  for _ in $(seq 50); do
    ip link show lab-sh >/dev/null 2>&1 || ip link show lab-us >/dev/null 2>&1 || break
    sleep 0.1
  done
  rm -f "$WAN_CONTROL"
  if [[ -f "$RUN_DIR/allowed-cc" ]]; then
    sysctl -qw net.ipv4.tcp_allowed_congestion_control="$(cat "$RUN_DIR/allowed-cc")"
    rm -f "$RUN_DIR/allowed-cc"
  fi
}

case "${1:-}" in
  up) [[ $# -eq 4 ]] || { sed -n '4,6p' "$0" >&2; exit 2; }; up "$2" "$3" "$4" ;;
  down) down ;;
  env) addresses ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
