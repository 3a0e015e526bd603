#!/usr/bin/env bash
# Soak of two-way replication: the two-site checker (jobs/src/test/java/dev/ferry/it/checker, docs/checker.md) for
# a long time, through its failsafe test, then its figures. Not a benchmark: every invariant must hold.
#
#   bench/soak.sh                                  30 minutes of writes on MariaDB, a random seed
#   bench/soak.sh --minutes 30 --kind mysql --seed 123
#   bench/soak.sh --help
#
# Builds with the reactor (never `mvn install`). Exit code 0 when every invariant held, 1 when some did not, 2 when
# the checker did not get to check (build or set-up failure: see the log). Environment: MVN_OPTS_EXTRA (e.g. -o for
# offline), SOAK_PROPERTIES (more -D options for the checker, e.g. "-Dferry.checker.rate=30").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

minutes=30
kind=mariadb
seed=""
usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --minutes=*) minutes="${1#*=}"; shift ;;
    --kind) kind="$2"; shift 2 ;;
    --kind=*) kind="${1#*=}"; shift ;;
    --seed) seed="$2"; shift 2 ;;
    --seed=*) seed="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "soak.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$minutes" =~ ^[0-9]+$ && "$minutes" -gt 0 ]] || { echo "soak.sh: --minutes wants a positive whole number" >&2; exit 2; }
[[ -z "$seed" || "$seed" =~ ^-?[0-9]+$ ]] || { echo "soak.sh: --seed wants a number" >&2; exit 2; }
case "$kind" in
  mariadb) test_class=MariaDbTwoSiteCheckerITCase ;;
  mysql) test_class=MySqlTwoSiteCheckerITCase ;;
  *) echo "soak.sh: --kind is mariadb or mysql" >&2; exit 2 ;;
esac

read -r -a MVN_EXTRA <<< "${MVN_OPTS_EXTRA:-}"
read -r -a EXTRA_PROPERTIES <<< "${SOAK_PROPERTIES:-}"
properties=(-Dferry.checker=on -Dferry.checker.duration="${minutes}m")
[[ -n "$seed" ]] && properties+=(-Dferry.checker.seed="$seed")

report="jobs/target/checker/${kind}-latest.txt"
mkdir -p bench/target/logs
log="bench/target/logs/soak-${kind}-$(date +%Y%m%d-%H%M%S).log"
rm -f "$report"
echo "soak.sh: ${minutes} min of writes on ${kind}${seed:+, seed $seed}; log: $log" >&2
set +e
mvn -B "${MVN_EXTRA[@]}" -pl jobs -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="$test_class" -Dfailsafe.failIfNoSpecifiedTests=false \
  "${properties[@]}" "${EXTRA_PROPERTIES[@]}" verify > "$log" 2>&1
mvn_status=$?
set -e

if [[ ! -s "$report" ]]; then
  echo "soak.sh: the checker wrote no report (mvn exit $mvn_status); the end of $log:" >&2
  tail -40 "$log" >&2
  exit 2
fi
# the figures and the verdict per invariant; every violation is in the run's report.txt (see "files")
grep -v '^  - \|^  \.\.\. and \|^  event [0-9]' "$report"
if grep -q '^result: every invariant held' "$report"; then
  exit 0
fi
exit 1
