#!/usr/bin/env bash
# Builds a Debian sid root filesystem holding Oracle MySQL (mysql-server-core, 9.x), so that
# tests can run a real MySQL on a Debian 12 host without Docker. Needs root and Debian's mirror.
# The tests (dev.ferry.testing.DatabaseServer) start mysqld inside it with chroot; this script
# only builds it, and does nothing if it is already there.
#
#   FERRY_MYSQL_ROOTFS  where to build it (default /var/tmp/ferry-mysql-rootfs)
#   DEBIAN_MIRROR       default http://deb.debian.org/debian
set -euo pipefail
ROOTFS=${FERRY_MYSQL_ROOTFS:-/var/tmp/ferry-mysql-rootfs}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

say() { printf '[mysql-rootfs] %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { say "must run as root (debootstrap and chroot need it)"; exit 1; }
if [ -x "$ROOTFS/usr/sbin/mysqld" ]; then say "already built: $ROOTFS"; exit 0; fi

command -v debootstrap >/dev/null || {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}
if [ ! -x "$ROOTFS/usr/bin/apt-get" ]; then
  rm -rf --one-file-system "$ROOTFS.partial"
  say "debootstrap sid into $ROOTFS"
  debootstrap --variant=minbase sid "$ROOTFS.partial" "$MIRROR" > "/tmp/ferry-debootstrap.log" 2>&1 \
    || { tail -20 /tmp/ferry-debootstrap.log >&2; say "debootstrap failed"; exit 1; }
  mv "$ROOTFS.partial" "$ROOTFS"
fi
# no service may start inside the chroot during package installation
printf '#!/bin/sh\nexit 101\n' > "$ROOTFS/usr/sbin/policy-rc.d"; chmod +x "$ROOTFS/usr/sbin/policy-rc.d"
mountpoint -q "$ROOTFS/proc" || mount -t proc proc "$ROOTFS/proc"
trap 'umount "$ROOTFS/proc" 2>/dev/null || true' EXIT
# a frozen mirror snapshot may serve a sid Release that is past its Valid-Until date
chroot "$ROOTFS" apt-get -o Acquire::Check-Valid-Until=false update -qq
chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 \
  --no-install-recommends mysql-server-core mysql-client-core >/dev/null
chroot "$ROOTFS" apt-get clean
mkdir -p "$ROOTFS/var/lib/mysql-files" "$ROOTFS/run/mysqld" "$ROOTFS/tmp"
say "ready: $(chroot "$ROOTFS" /usr/sbin/mysqld --version)"
