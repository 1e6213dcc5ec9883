#!/usr/bin/env bash
# compare.sh: runs both Python peers (python_peer.py for the executors, python_mp_peer.py for the
# multiprocessing toolbox) and their Java sides (PeerWorkloads, MpPeerWorkloads), CPython and
# jfutures alternating, round after round; then prints one table of the medians over the rounds,
# with their spread, the ratios and targets, the floors (java -version, a worker's start, a CPython
# spawn child) and the load average before each run (io.jfutures.benchmarks.Compare).
#
#   benchmarks/compare.sh [PYTHON_PEER] [--rounds K] [--quick] [--jdk25] [--workers N] [--only LIST]
#                         [--suite all|executors|toolbox|cluster]
#
# PYTHON_PEER defaults to ../shared/bench/python_peer.py, relative to the repository root; the
# toolbox's peer is python_mp_peer.py beside it.
# Results: benchmarks/results/<timestamp>/{python,jfutures}[_mp]_roundK.{json,log}, table.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: benchmarks/compare.sh [PYTHON_PEER] [--rounds K] [--quick] [--jdk25] [--workers N] [--only LIST]
                             [--suite all|executors|toolbox|cluster]

  PYTHON_PEER   path to python_peer.py (default: <repo>/../shared/bench/python_peer.py)
  --rounds K    run CPython then jfutures K times, alternating (default 1); the table shows medians
  --quick       smaller sizes, passed to both sides
  --jdk25       run jfutures on JDK 25: $JAVA25_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64
                (also exported as JAVA25_HOME, so that the Python peer measures anchor A4)
  --workers N   workers per pool, passed to both sides (default 2, as the targets assume)
  --only LIST   workloads, each passed to the peers that know it: executors W1,...,W8, WS, RSS, RSSI,
                RSSP, A1-A5 (W7b for CPython); toolbox G1, P1, Q1, ..., PL3, F0, F1 (A6 for CPython)
  --suite S     all (default), executors (python_peer.py only), toolbox (python_mp_peer.py only),
                or cluster (ours only: a loopback Hazelcast cluster against the local process
                pool, H1-H3; all runs it too)
  --toolbox-warmup W  untimed runs of each toolbox throughput body before its timed repeats, for
                the JIT (default 3; PeerWorkloads does 10 of its own; 0 measures a cold program)

Builds benchmarks/target/benchmarks.jar and benchmarks-cluster.jar only if one is missing (mvn -q -o, or mvn -q if offline
fails; set JFUTURES_MVN_LOCK=/path to run Maven under flock). python3 must be on PATH (stdlib only);
jfutures runs on java from PATH (or $JAVA17_HOME/bin/java) unless --jdk25.
EOF
}

die() {
  echo "compare.sh: $*" >&2
  exit 2
}

invocation="$0 $*"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

peer=""
rounds=1
quick=()
workers=()
only=""
suite=all
toolbox_warmup=3
jdk25=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) [ $# -ge 2 ] || die "--rounds needs a value"; rounds=$2; shift 2 ;;
    --rounds=*) rounds=${1#*=}; shift ;;
    --quick) quick=(--quick); shift ;;
    --jdk25) jdk25=1; shift ;;
    --suite) [ $# -ge 2 ] || die "--suite needs a value"; suite=$2; shift 2 ;;
    --suite=*) suite=${1#*=}; shift ;;
    --toolbox-warmup) [ $# -ge 2 ] || die "--toolbox-warmup needs a value"; toolbox_warmup=$2; shift 2 ;;
    --toolbox-warmup=*) toolbox_warmup=${1#*=}; shift ;;
    --workers) [ $# -ge 2 ] || die "--workers needs a value"; workers=(--workers "$2"); shift 2 ;;
    --workers=*) workers=(--workers "${1#*=}"); shift ;;
    --only) [ $# -ge 2 ] || die "--only needs a value"; only=$2; shift 2 ;;
    --only=*) only=${1#*=}; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) [ -z "$peer" ] || die "only one PYTHON_PEER, got '$peer' and '$1'"; peer=$1; shift ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, got '$rounds'"
[[ "$toolbox_warmup" =~ ^[0-9]+$ ]] || die "--toolbox-warmup must be a count, got '$toolbox_warmup'"
case "$suite" in all | executors | toolbox | cluster) ;; *) die "--suite must be all, executors, toolbox or cluster, got '$suite'" ;; esac
peer=${peer:-$root/../shared/bench/python_peer.py}
[ -f "$peer" ] || die "no Python peer at $peer"
peer=$(cd "$(dirname "$peer")" && pwd)/$(basename "$peer")
mp_peer=$(dirname "$peer")/python_mp_peer.py
[ "$suite" = executors ] || [ -f "$mp_peer" ] || die "no toolbox peer at $mp_peer"
command -v python3 >/dev/null || die "python3 is not on PATH"

if [ "$jdk25" = 1 ]; then
  export JAVA25_HOME=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
  java_cmd=$JAVA25_HOME/bin/java
else
  java_cmd=${JAVA17_HOME:+$JAVA17_HOME/bin/java}
  java_cmd=${java_cmd:-java}
fi
command -v "$java_cmd" >/dev/null || die "no java at $java_cmd"

jar=$here/target/benchmarks.jar
cluster_jar=$here/target/benchmarks-cluster.jar
if [ ! -f "$jar" ] || [ ! -f "$cluster_jar" ]; then
  echo "compare.sh: $jar or $cluster_jar is missing; building them" >&2
  mvn_cmd=(mvn)
  if [ -n "${JFUTURES_MVN_LOCK:-}" ] && command -v flock >/dev/null; then
    mvn_cmd=(flock "$JFUTURES_MVN_LOCK" mvn)
  fi
  (cd "$root" && { "${mvn_cmd[@]}" -q -o -pl benchmarks -am package -DskipTests \
    || "${mvn_cmd[@]}" -q -pl benchmarks -am package -DskipTests; })
  [ -f "$jar" ] && [ -f "$cluster_jar" ] || die "the build did not produce $jar and $cluster_jar"
fi

# Run from private copies: other builds in this checkout may rewrite target/ while we measure, and
# every worker JVM reads the parent's class path. A copy's path and time depend only on the jar's
# content, so that the workers' trained class archive (keyed by each jar's path, size and time; made
# on first use in ~/.cache/jfutures/cds) serves every run of the same build, as it would an
# application's own jar; it is kept for that reason.
snapshot_of() {
  local from=$1 name
  name=$(basename "$from")
  local dir
  dir="${TMPDIR:-/tmp}/jfutures-bench-$(sha256sum "$from" | cut -c1-16)"
  mkdir -p "$dir"
  if [ ! -f "$dir/$name" ]; then
    cp -p "$from" "$dir/$name.$$" && mv "$dir/$name.$$" "$dir/$name"
  fi
  echo "$dir/$name"
}
built=$(date -r "$jar" -Is)
jar_copy=$(snapshot_of "$jar")
cluster_jar_copy=$(snapshot_of "$cluster_jar")

# Each id of --only goes to the peers that know it. Executors: python_peer.py takes W1-W8, W7b and
# the anchors A1-A5s; PeerWorkloads takes W1-W8, A5 and our own WS, RSS, RSSI, RSSP. Toolbox: everything
# else; F0, F1, P1s and M1b are ours only, A6 and the A5 variants CPython's only.
py_only="" jf_only="" pymp_only="" jfmp_only="" cl_only=""
add() { eval "$1=\${$1:+\$$1,}$2"; }
if [ -n "$only" ]; then
  IFS=',' read -r -a names <<<"$only"
  for name in "${names[@]}"; do
    id=$(echo "$name" | tr -d '[:space:]')
    case "$id" in
      "") ;;
      W[0-9] | W[0-9]b | A1 | A2 | A2S | A3 | A4 | A5s | A5x)
        add py_only "$id"; [[ "$id" =~ ^W[0-9]$ ]] && add jf_only "$id" ;;
      A5) add py_only A5; add jf_only A5 ;;
      WS | RSS | RSSI | RSSP) add jf_only "$id" ;;
      H1 | H2 | H3) add cl_only "$id" ;;
      F0 | F1 | P1s | M1b) add jfmp_only "$id" ;;
      A6) add pymp_only A6 ;;
      *) add pymp_only "$id"; add jfmp_only "$id" ;;
    esac
  done
fi
run_executors=0 run_toolbox=0 run_cluster=0
case "$suite" in all | executors) { [ -z "$only" ] || [ -n "$py_only$jf_only" ]; } && run_executors=1 ;; esac
case "$suite" in all | toolbox) { [ -z "$only" ] || [ -n "$pymp_only$jfmp_only" ]; } && run_toolbox=1 ;; esac
case "$suite" in all | cluster) { [ -z "$only" ] || [ -n "$cl_only" ]; } && run_cluster=1 ;; esac
[ $run_executors = 1 ] || [ $run_toolbox = 1 ] || [ $run_cluster = 1 ] ||
  die "nothing to run: --only '$only' with --suite $suite"

results=$here/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
{
  echo "command: $invocation"
  echo "date: $(date -Is)"
  echo "python_peer: $peer ($(python3 --version 2>&1))"
  echo "python_mp_peer: $mp_peer"
  echo "java: $java_cmd ($("$java_cmd" -version 2>&1 | sed -n 1p))"
  echo "jar: $jar (built $built, run from a copy; the cluster suite from $(basename "$cluster_jar"))"
  echo "checkout: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "cpus: $(nproc 2>/dev/null || echo '?')"
} >"$results/meta.txt"
cat "$results/meta.txt"

load() {
  cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"
}

# A new build's children get their class archive (or AOT cache) on first use, made in the
# background by a maker JVM, and the first child of the next run teaches it the application's
# classes, which a second maker adds. Untimed, two short runs of each kind of child (a pool's
# workers, with and without recycling; a JvmProcess, and a manager's) each followed by a wait for
# the makers, so that round 1 neither goes without the archives nor shares the CPU with their
# making. A maker runs WorkerClassArchive, or reads an argument file beside its archive.
echo "== priming: short untimed runs, each followed by a wait for the children's class archives"
primed=("$jar_copy")
# The cluster suite runs from its own jar (with Hazelcast), whose workers have an archive of their own.
[ $run_cluster = 1 ] && primed+=("$cluster_jar_copy")
makers='io[.]jfutures[.]impl[.]internal[.]process[.]WorkerClassArchive|/worker-[0-9a-f]+[.][a-z.]+[.]args'
waited=0
for pass in 1 2; do
  for primed_jar in "${primed[@]}"; do
    "$java_cmd" -cp "$primed_jar" io.jfutures.benchmarks.PeerWorkloads --quick --only W1,W7 >/dev/null 2>&1 || true
    [ $run_toolbox = 1 ] && [ "$primed_jar" = "$jar_copy" ] && { "$java_cmd" -cp "$primed_jar" io.jfutures.benchmarks.MpPeerWorkloads \
      --quick --only P1,M4 >/dev/null 2>&1 || true; }
    for ((i = 0; i < 120; i++)); do
      pgrep -f "$makers" >/dev/null || break
      sleep 1
      waited=$((waited + 1))
    done
  done
done
echo "primed: waited ${waited}s in all for the archive makers" >>"$results/meta.txt"

# One run of a peer: SIDE LABEL COMMAND...; appends its load average to meta.txt.
run_side() {
  local file=$1 label=$2
  shift 2
  echo "== round $k/$rounds: $label (load average $(load))"
  echo "round $k $file load $(load)" >>"$results/meta.txt"
  "$@" --json "$results/${file}_round$k.json" 2>&1 | tee "$results/${file}_round$k.log"
}

for ((k = 1; k <= rounds; k++)); do
  if [ $run_executors = 1 ]; then
    if [ -z "$only" ] || [ -n "$py_only" ]; then
      run_side python "CPython, executors" python3 "$peer" ${quick[@]+"${quick[@]}"} \
        ${workers[@]+"${workers[@]}"} ${py_only:+--only "$py_only"}
    fi
    if [ -z "$only" ] || [ -n "$jf_only" ]; then
      # PeerWorkloads collects its garbage before each timed interval (System.gc()); without
      # this flag G1 then gives back the heap, and the interval pays the page faults of taking
      # it again, which no program that does not call System.gc() pays (benchmarks/README.md,
      # issue 17, session 13).
      run_side jfutures "jfutures, executors" "$java_cmd" -XX:MaxHeapFreeRatio=100 -cp "$jar_copy" \
        io.jfutures.benchmarks.PeerWorkloads ${quick[@]+"${quick[@]}"} \
        ${workers[@]+"${workers[@]}"} ${jf_only:+--only "$jf_only"}
    fi
  fi
  if [ $run_toolbox = 1 ]; then
    if [ -z "$only" ] || [ -n "$pymp_only" ]; then
      run_side python_mp "CPython, toolbox" python3 "$mp_peer" ${quick[@]+"${quick[@]}"} \
        ${workers[@]+"${workers[@]}"} ${pymp_only:+--only "$pymp_only"}
    fi
    if [ -z "$only" ] || [ -n "$jfmp_only" ]; then
      run_side jfutures_mp "jfutures, toolbox" "$java_cmd" -cp "$jar_copy" \
        io.jfutures.benchmarks.MpPeerWorkloads ${quick[@]+"${quick[@]}"} \
        --warmup-runs "$toolbox_warmup" ${workers[@]+"${workers[@]}"} ${jfmp_only:+--only "$jfmp_only"}
    fi
  fi
  if [ $run_cluster = 1 ]; then
    run_side cluster "jfutures, a loopback cluster against the local pool" "$java_cmd" -cp "$cluster_jar_copy" \
      io.jfutures.benchmarks.ClusterWorkloads ${quick[@]+"${quick[@]}"} ${cl_only:+--only "$cl_only"}
  fi
done

echo
"$java_cmd" -cp "$jar_copy" io.jfutures.benchmarks.Compare "$results"
echo
echo "results: $results"
