#!/usr/bin/env bash
# compare.sh: runs CPython's python_peer.py and jfutures' PeerWorkloads alternately, then prints a
# table of the medians over the rounds with ratios and targets (io.jfutures.benchmarks.Compare).
#
#   benchmarks/compare.sh [PYTHON_PEER] [--rounds K] [--quick] [--jdk25] [--workers N] [--only LIST]
#
# PYTHON_PEER defaults to ../shared/bench/python_peer.py, relative to the repository root.
# Results: benchmarks/results/<timestamp>/{python,jfutures}_roundK.{json,log}, table.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: benchmarks/compare.sh [PYTHON_PEER] [--rounds K] [--quick] [--jdk25] [--workers N] [--only LIST]

  PYTHON_PEER   path to python_peer.py (default: <repo>/../shared/bench/python_peer.py)
  --rounds K    run CPython then jfutures K times, alternating (default 1); the table shows medians
  --quick       smaller sizes, passed to both sides
  --jdk25       run jfutures on JDK 25: $JAVA25_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64
                (also exported as JAVA25_HOME, so that the Python peer measures anchor A4)
  --workers N   workers per pool, passed to both sides (default 2, as the targets assume)
  --only LIST   workloads, passed to both sides (W1,...,W8, RSS, A5, anchors; W7b for CPython)

Builds benchmarks/target/benchmarks.jar only if it is missing (mvn -q -o, or mvn -q if offline
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
jdk25=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) [ $# -ge 2 ] || die "--rounds needs a value"; rounds=$2; shift 2 ;;
    --rounds=*) rounds=${1#*=}; shift ;;
    --quick) quick=(--quick); shift ;;
    --jdk25) jdk25=1; shift ;;
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
peer=${peer:-$root/../shared/bench/python_peer.py}
[ -f "$peer" ] || die "no Python peer at $peer"
peer=$(cd "$(dirname "$peer")" && pwd)/$(basename "$peer")
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
if [ ! -f "$jar" ]; then
  echo "compare.sh: $jar is missing; building it" >&2
  mvn_cmd=(mvn)
  if [ -n "${JFUTURES_MVN_LOCK:-}" ] && command -v flock >/dev/null; then
    mvn_cmd=(flock "$JFUTURES_MVN_LOCK" mvn)
  fi
  (cd "$root" && { "${mvn_cmd[@]}" -q -o -pl benchmarks -am package -DskipTests \
    || "${mvn_cmd[@]}" -q -pl benchmarks -am package -DskipTests; })
  [ -f "$jar" ] || die "the build did not produce $jar"
fi

# Run from a private copy: other builds in this checkout may rewrite target/ while we measure, and
# every worker JVM reads the parent's class path. The copy's path and time depend only on the jar's
# content, so that the workers' trained class archive (keyed by each jar's path, size and time; made
# on first use in ~/.cache/jfutures/cds) serves every run of the same build, as it would an
# application's own jar; it is kept for that reason.
digest=$(sha256sum "$jar" | cut -c1-16)
snapshot="${TMPDIR:-/tmp}/jfutures-bench-$digest"
mkdir -p "$snapshot"
if [ ! -f "$snapshot/benchmarks.jar" ]; then
  cp -p "$jar" "$snapshot/benchmarks.jar.$$" && mv "$snapshot/benchmarks.jar.$$" "$snapshot/benchmarks.jar"
fi
built=$(date -r "$jar" -Is)
jar_copy=$snapshot/benchmarks.jar

# The Python peer does not know RSS; drop it from what it is asked for.
python_only=""
if [ -n "$only" ]; then
  IFS=',' read -r -a names <<<"$only"
  for name in "${names[@]}"; do
    trimmed=$(echo "$name" | tr -d '[:space:]')
    case "${trimmed,,}" in
      "" | rss | idle_worker_rss_mib) ;;
      *) python_only=${python_only:+$python_only,}$trimmed ;;
    esac
  done
fi

results=$here/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
{
  echo "command: $invocation"
  echo "date: $(date -Is)"
  echo "python_peer: $peer ($(python3 --version 2>&1))"
  echo "java: $java_cmd ($("$java_cmd" -version 2>&1 | sed -n 1p))"
  echo "jar: $jar (built $built, run from a copy)"
  echo "checkout: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "cpus: $(nproc 2>/dev/null || echo '?')"
} >"$results/meta.txt"
cat "$results/meta.txt"

load() {
  cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"
}

# A new build's workers get their class archive (or AOT cache) on first use, made in the
# background by a maker JVM: untimed, let a short run start it and wait for it, so that round 1
# neither goes without the archive nor shares the CPU with its making.
echo "== priming: a short untimed run, then waiting for the workers' class archive"
"$java_cmd" -cp "$jar_copy" io.jfutures.benchmarks.PeerWorkloads --quick --only W1,W7 >/dev/null 2>&1 || true
for ((i = 0; i < 120; i++)); do
  pgrep -f "$jar_copy io.jfutures.impl.internal.process.WorkerClassArchive" >/dev/null || break
  sleep 1
done
echo "primed: waited ${i}s for the archive maker" >>"$results/meta.txt"

for ((k = 1; k <= rounds; k++)); do
  if [ -z "$only" ] || [ -n "$python_only" ]; then
    echo "== round $k/$rounds: CPython (load average $(load))"
    echo "round $k python load $(load)" >>"$results/meta.txt"
    python3 "$peer" ${quick[@]+"${quick[@]}"} ${workers[@]+"${workers[@]}"} \
      ${python_only:+--only "$python_only"} --json "$results/python_round$k.json" \
      2>&1 | tee "$results/python_round$k.log"
  fi
  echo "== round $k/$rounds: jfutures (load average $(load))"
  echo "round $k jfutures load $(load)" >>"$results/meta.txt"
  "$java_cmd" -cp "$jar_copy" io.jfutures.benchmarks.PeerWorkloads \
    ${quick[@]+"${quick[@]}"} ${workers[@]+"${workers[@]}"} ${only:+--only "$only"} \
    --json "$results/jfutures_round$k.json" 2>&1 | tee "$results/jfutures_round$k.log"
done

echo
"$java_cmd" -cp "$jar_copy" io.jfutures.benchmarks.Compare "$results"
echo
echo "results: $results"
