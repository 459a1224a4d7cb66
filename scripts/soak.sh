#!/usr/bin/env bash
# Soak: the server (a child JVM, as in the reliability battery) under paced mixed load (SMTP in x3,
# submission x1 to a fake remote MX, IMAP IDLE x2, POP3 x1) for SECONDS (default 3600), sampling
# heap, RSS, threads, file descriptors, data size and 250 latency; then checks that every
# acknowledged message is stored at each recipient (accepted == stored). See docs/reliability.md.
#
#   scripts/soak.sh [SECONDS] [SAMPLE_SECONDS]
#
# Environment: SOAK_PAUSE_MS (pause of each SMTP client between messages, default 20),
# SOAK_KEEP=1 (keep the temp dir with config, data and server log), MVN (default "mvn -B -ntp -o").
# Compiles with `mvn test` up to the it module (never `install`). The report goes to
# reliability/out/soak-<SECONDS>s.txt and stdout; its last line is
#   soak: seconds S, sent N, acknowledged N, stored N, lost N, duplicated N, errors N
# Exit status: 0 when nothing acknowledged was lost and no unexpected error occurred, 1 otherwise,
# 2 when no report was produced.
set -uo pipefail
seconds=${1:-3600}
sample=${2:-15}
if ! [[ "$seconds" =~ ^[0-9]+$ && "$sample" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ] || [ "$sample" -lt 1 ]; then
  echo "usage: $0 [SECONDS] [SAMPLE_SECONDS]" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-$(scripts/find-jdk.sh)}
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
out=$PWD/reliability/out
mkdir -p "$out"
report=$out/soak-${seconds}s.txt
log=$out/soak-${seconds}s-mvn.log
rm -f "$report"
start=$(date +%s)
echo "soak ${seconds} s: building (mvn test, no install) and running; log in $log"
${MVN:-mvn -B -ntp -o} -pl it -am test -Dtest=SoakBattery -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true \
  -Dsoak.seconds="$seconds" -Dsoak.sample="$sample" -Dsoak.pause_ms="${SOAK_PAUSE_MS:-20}" \
  -Dsoak.report="$report" -Dsoak.keep="${SOAK_KEEP:-false}" >"$log" 2>&1
rc=$?
if [[ ! -s "$report" ]]; then
  tail -40 "$log"
  echo "soak: no report (maven exit $rc)"
  exit 2
fi
echo "(wall time $(( $(date +%s) - start )) s, including the build)"
cat "$report"
summary=$(grep '^soak: ' "$report" | tail -1)
lost=$(sed -E 's/.* lost ([0-9]+),.*/\1/' <<<"$summary")
errors=$(sed -E 's/.* errors ([0-9]+)$/\1/' <<<"$summary")
[[ "$lost" == 0 && "$errors" == 0 ]]
