# Shared by deploy/flink-cluster.sh and deploy/flink (sourced, not run). Expects $here = deploy/.
repo=$(cd "$here/.." && pwd)
# the cluster's working directory: conf/, log/, *.pid, checkpoints/, savepoints/, tmp/
work=${FERRY_CLUSTER_DIR:-$here/flink-cluster/run}
mkdir -p "$work"
work=$(cd "$work" && pwd)
# no plugins: the Prometheus reporter is on the class path (an empty directory keeps Flink from warning)
export FLINK_PLUGINS_DIR=${FLINK_PLUGINS_DIR:-$work/plugins}
mkdir -p "$FLINK_PLUGINS_DIR"
classpath_file=$here/flink-cluster/target/cluster.classpath

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

command -v java >/dev/null || die "java not found: install a Java 17 JDK (Debian: apt-get install openjdk-17-jdk-headless)"

# Flink, its web dashboard, RocksDB, the Prometheus reporter and log4j, as Maven resolved them
cluster_classpath() {
  if [ ! -s "$classpath_file" ]; then
    echo "building the cluster class path (first run only): mvn -B -q -pl deploy/flink-cluster package" >&2
    (cd "$repo" && mvn -B -q -pl deploy/flink-cluster package) >&2 \
      || die "could not build the class path; run 'mvn -B -pl deploy/flink-cluster package' in $repo to see why"
  fi
  cat "$classpath_file"
}

# env.java.opts.all of a config.yaml: the --add-opens flags Flink needs on Java 17
java_opts_all() { sed -n 's/^env\.java\.opts\.all:[[:space:]]*//p' "$1/config.yaml"; }
