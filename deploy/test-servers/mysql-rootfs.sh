#!/usr/bin/env bash
# Builds a Debian sid root filesystem holding Oracle MySQL (mysql-server-core, 9.x), so that
# tests can run a real MySQL on a Debian 12 host without Docker. Needs root and a Debian mirror.
# The tests (dev.ferry.testing.DatabaseServer) start mysqld inside it with chroot; this script
# only builds it, and does nothing if it is already there.
#
#   FERRY_MYSQL_ROOTFS  where to build it (default /var/tmp/ferry-mysql-rootfs)
#   DEBIAN_MIRROR       the Debian archive to debootstrap from; default: the one this machine's
#                       apt uses (/etc/apt/sources.list, sources.list.d/*.list and *.sources)
#   --print-mirror      only print the mirror that would be used, and exit
set -euo pipefail
ROOTFS=${FERRY_MYSQL_ROOTFS:-/var/tmp/ferry-mysql-rootfs}
# for tests of the mirror detection: another apt configuration and os-release
APT_ETC=${FERRY_APT_ETC:-/etc/apt}
OS_RELEASE=${FERRY_OS_RELEASE:-/etc/os-release}

say() { printf '[mysql-rootfs] %s\n' "$*" >&2; }

# "URI suite..." for every enabled 'deb' source, one-line (.list) and deb822 (.sources) formats
apt_sources() {
  local f
  for f in "$APT_ETC/sources.list" "$APT_ETC"/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI suite [component...]
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 3 { print $2, $3 }'
  done
  for f in "$APT_ETC"/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # stanzas separated by blank lines; fields Types, URIs, Suites, Enabled
    awk 'function flush() { if (types ~ /(^| )deb( |$)/ && enabled != "no")
             for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j]
           types = ""; enabled = ""; nu = 0; ns = 0 }
         /^[ \t]*#/ { next }
         /^[ \t]*$/ { flush(); next }
         { key = tolower($1); sub(/:$/, "", key) }
         key == "types" { types = ""; for (i = 2; i <= NF; i++) types = types " " $i; sub(/^ /, "", types) }
         key == "enabled" { enabled = tolower($2) }
         key == "uris" { for (i = 2; i <= NF; i++) u[++nu] = $i }
         key == "suites" { for (i = 2; i <= NF; i++) s[++ns] = $i }
         END { flush() }' "$f"
  done
}

# The archive of this machine's own release: the first source whose suite is its codename (not
# -updates or -security, which live elsewhere or lack the full archive).
apt_mirror() {
  local codename
  codename=$(. "$OS_RELEASE" 2>/dev/null && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || { say "no VERSION_CODENAME in $OS_RELEASE; set DEBIAN_MIRROR"; return 1; }
  local uri suite
  while read -r uri suite; do
    if [ "$suite" = "$codename" ]; then
      echo "${uri%/}"
      return 0
    fi
  done < <(apt_sources)
  say "no apt source for '$codename' in $APT_ETC/sources.list or $APT_ETC/sources.list.d/*.{list,sources}; set DEBIAN_MIRROR"
  return 1
}

MIRROR=${DEBIAN_MIRROR:-}
if [ "${1:-}" = --print-mirror ]; then
  [ -n "$MIRROR" ] || MIRROR=$(apt_mirror)
  echo "$MIRROR"
  exit 0
fi
[ "$(id -u)" = 0 ] || { say "must run as root (debootstrap and chroot need it)"; exit 1; }
if [ -x "$ROOTFS/usr/sbin/mysqld" ]; then say "already built: $ROOTFS"; exit 0; fi
[ -n "$MIRROR" ] || MIRROR=$(apt_mirror)
say "mirror: $MIRROR"

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
