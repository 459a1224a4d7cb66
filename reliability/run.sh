#!/usr/bin/env bash
# The reliability battery (docs/reliability.md): `reliability/run.sh quick` (< 5 min) or `full` (< 45 min).
# Compiles the reactor up to the it module and runs dev.sealpost.it.reliability.ReliabilityBattery through
# surefire with `mvn test` (never `install`: nothing is written to ~/.m2). The report (a table, the error
# lines, then the "reliability:" summary line) goes to reliability/out/report-MODE.txt and to stdout.
# Exit status: 0 when nothing acknowledged was lost and no unexpected error occurred, 1 otherwise,
# 2 when the battery did not produce a report at all.
# Environment: RELIABILITY_ONLY=durability,hostile,faults (a subset), RELIABILITY_KEEP=1 (keep the temp dirs),
# MVN (default "mvn -B -ntp -o").
set -uo pipefail
mode=${1:-quick}
case "$mode" in quick|full) ;; *) echo "usage: $0 quick|full" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-$(scripts/find-jdk.sh)}
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
out=$PWD/reliability/out
mkdir -p "$out"
report=$out/report-$mode.txt
log=$out/mvn-$mode.log
rm -f "$report"
start=$(date +%s)
echo "reliability $mode: building (mvn test, no install) and running; log in $log"
${MVN:-mvn -B -ntp -o} -pl it -am test -Dtest=ReliabilityBattery -Dsurefire.failIfNoSpecifiedTests=false \
  -Dreliability.mode="$mode" -Dreliability.report="$report" -Dreliability.only="${RELIABILITY_ONLY:-durability,hostile,faults}" \
  -Dreliability.keep="${RELIABILITY_KEEP:-false}" >"$log" 2>&1
mvn_rc=$?
if [[ ! -s "$report" ]]; then
  tail -40 "$log"
  echo "reliability: no report (maven exit $mvn_rc)"
  exit 2
fi
echo "(wall time $(( $(date +%s) - start )) s, including the build)"
cat "$report"   # its last line is the "reliability:" summary
summary=$(grep '^reliability: ' "$report" | tail -1)
lost=$(sed -E 's/.* lost ([0-9]+),.*/\1/' <<<"$summary")
errors=$(sed -E 's/.* errors ([0-9]+)$/\1/' <<<"$summary")
if [[ "$lost" != 0 || "$errors" != 0 ]]; then exit 1; fi
exit 0
