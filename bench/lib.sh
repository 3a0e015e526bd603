# Shared by bench/run.sh and bench/wan.sh (sourced from the repository root): build when needed, then the java
# command line of a benchmark main class, run from a private copy of Ferry's jars.
#
# Environment: BENCH_BUILD=auto|always|never (default auto: `mvn install` when a main source or pom is newer than the
# last build), BENCH_JAVA_OPTS (default -Xmx3g), MVN_OPTS_EXTRA (e.g. -o for offline).

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

# bench_java NAME: builds if needed and sets JAVA_CMD to the java command line (without the main class); NAME
# prefixes the messages and the log file
bench_java() {
  local name=$1
  if needs_build; then
    echo "$name: building: mvn -B -q -DskipTests install" >&2
    mkdir -p bench/target
    if ! "${MVN[@]}" -DskipTests install > bench/target/build.log 2>&1; then
      # other modules' test sources may be mid-edit; the benchmark needs only main code
      echo "$name: that failed (see bench/target/build.log: $(grep -m1 -o 'on project [^:]*' bench/target/build.log ||
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
  # NoClassDefFoundError. Ferry's jars come from this tree's modules when they are built: ~/.m2 holds whatever tree
  # (another worktree, another branch) ran `mvn install` last.
  local run_lib=bench/target/run-lib-$name
  rm -rf "$run_lib"
  mkdir -p "$run_lib"
  cp -r bench/target/classes "$run_lib/bench-classes"
  local cp="$run_lib/bench-classes" jar deps
  IFS=':' read -r -a deps < "$CLASSPATH_FILE" || true
  for jar in "${deps[@]}"; do
    case "$jar" in
      */dev/ferry/*)
        local own
        own=$(find . -mindepth 3 -maxdepth 3 -path "./*/target/$(basename "$jar")" -print -quit)
        cp "${own:-$jar}" "$run_lib/"
        cp+=":$run_lib/$(basename "$jar")" ;;
      *) cp+=":$jar" ;;
    esac
  done

  # Java 17 needs these for Flink: the root pom's flink.add-opens property
  local add_opens
  add_opens="$(sed -n 's:.*<flink.add-opens>\(.*\)</flink.add-opens>.*:\1:p' pom.xml)"
  [[ -n "$add_opens" ]] || { echo "$name: cannot read flink.add-opens from pom.xml" >&2; exit 1; }
  local opens java_opts
  read -r -a opens <<< "$add_opens"
  read -r -a java_opts <<< "${BENCH_JAVA_OPTS:--Xmx3g}"

  mkdir -p bench/target/logs
  BENCH_LOG="bench/target/logs/$name-$(date +%Y%m%d-%H%M%S).log"
  JAVA_CMD=(java "${java_opts[@]}" "${opens[@]}" -Dferry.bench.log="$PWD/$BENCH_LOG"
    -Dlog4j2.configurationFile=log4j2-bench.properties -cp "$cp")
}
