#!/usr/bin/env bash
# Runs every Jazzer fuzz target (@FuzzTest) of the project, one after the other, for SECONDS each
# (default 600), keeps each target's generated corpus (<module>/.cifuzz-corpus/, git-ignored) for
# the next session, records findings, and writes a summary table.
#
#   scripts/fuzz-all.sh [SECONDS] [PATTERN...]
#
# PATTERN (optional, extended regex) selects targets by "module Class#method", e.g.
#   scripts/fuzz-all.sh 60 'PlainFuzzTest#plain' 'ListPattern'
# FUZZ_LIST=1 only lists the targets. FUZZ_OUT=<dir> sets where logs and the summary go
# (default target/fuzz/<UTC time>/ under the repository).
#
# Each target runs as `JAZZER_FUZZ=1 JAZZER_MAX_DURATION=<SECONDS>s mvn -o test -pl <module> -am
# -Dtest=<Class>#<method>` (JAZZER_MAX_DURATION overrides @FuzzTest(maxDuration)). Nothing is
# installed into ~/.m2. A finding fails the test and Jazzer writes the input into the target's
# seed directory (src/test/resources/.../<Class>Inputs/<method>/crash-*): it is listed in the
# summary; fix the bug, rename the file to say what it is and commit it as a regression seed
# (docs/fuzzing.md).
#
# Exit status: 0 when every target ran without a finding, 1 when a target found something or
# could not run, 2 on bad usage.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_EACH=${1:-600}
if ! [[ "$SECONDS_EACH" =~ ^[0-9]+$ ]] || [ "$SECONDS_EACH" -lt 1 ]; then
    echo "usage: scripts/fuzz-all.sh [SECONDS] [PATTERN...]" >&2
    exit 2
fi
shift $(( $# > 0 ? 1 : 0 ))
PATTERNS=("$@")

if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
    JAVA_HOME=$(scripts/find-jdk.sh) || { echo "fuzz-all: no JDK 25 found (scripts/find-jdk.sh)" >&2; exit 1; }
fi
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

# module class method, one target a line: every method annotated @FuzzTest in src/test/java
list_targets() {
    python3 - "$ROOT" <<'EOF'
import os, re, sys
root = sys.argv[1]
out = []
for mod in sorted(os.listdir(root)):
    base = os.path.join(root, mod, "src", "test", "java")
    if not os.path.isdir(base):
        continue
    for d, _, files in os.walk(base):
        for f in files:
            if not f.endswith(".java"):
                continue
            text = open(os.path.join(d, f), encoding="utf-8").read()
            if "@FuzzTest" not in text:
                continue
            fqcn = os.path.relpath(os.path.join(d, f[:-5]), base).replace(os.sep, ".")
            # the first method declared after each @FuzzTest annotation
            for m in re.finditer(r"@FuzzTest\b", text):
                decl = re.search(r"\bvoid\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(", text[m.end():])
                if decl:
                    out.append((mod, fqcn, decl.group(1)))
for t in sorted(set(out)):
    print(*t)
EOF
}

mapfile -t ALL < <(list_targets)
TARGETS=()
for t in "${ALL[@]}"; do
    read -r mod cls meth <<<"$t"
    key="$mod ${cls##*.}#$meth"
    if [ ${#PATTERNS[@]} -eq 0 ]; then
        TARGETS+=("$t")
    else
        for p in "${PATTERNS[@]}"; do
            if [[ "$key" =~ $p ]]; then TARGETS+=("$t"); break; fi
        done
    fi
done

if [ "${FUZZ_LIST:-}" = 1 ]; then
    for t in "${TARGETS[@]}"; do read -r mod cls meth <<<"$t"; echo "$mod ${cls##*.}#$meth"; done
    exit 0
fi
if [ ${#TARGETS[@]} -eq 0 ]; then
    echo "fuzz-all: no target matches: ${PATTERNS[*]}" >&2
    exit 2
fi

OUT=${FUZZ_OUT:-$ROOT/target/fuzz/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
SUMMARY="$OUT/summary.md"
HOST_INFO="$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
{
    echo "# Fuzzing session $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "${#TARGETS[@]} targets, ${SECONDS_EACH} s each, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $HOST_INFO at the start."
    echo
    echo "| target | module | result | runs | exec/s | cov (edges) | corpus | wall s |"
    echo "|---|---|---|---|---|---|---|---|"
} >"$SUMMARY"

echo "fuzz-all: ${#TARGETS[@]} targets x ${SECONDS_EACH} s; logs and summary in $OUT"
findings=0
failures=0
for t in "${TARGETS[@]}"; do
    read -r mod cls meth <<<"$t"
    simple=${cls##*.}
    name="$simple#$meth"
    log="$OUT/$mod-$simple-$meth.log"
    seeddir="$mod/src/test/resources/$(echo "$cls" | tr . /)Inputs/$meth"
    before=$(ls "$seeddir" 2>/dev/null | grep '^crash-' | sort)
    echo "fuzz-all: $(date -u +%H:%M:%S) $mod $name ..."
    start=$(date +%s)
    touch "$log.mvn.start"
    JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${SECONDS_EACH}s" \
        mvn -B -ntp -o -pl "$mod" -am test -Dtest="$cls#$meth" -Dsurefire.failIfNoSpecifiedTests=false \
        -Djacoco.skip=true >"$log.mvn" 2>&1
    rc=$?
    wall=$(( $(date +%s) - start ))
    report="$mod/target/surefire-reports/$cls-output.txt"
    rm -f "$log"
    [ -f "$report" ] && [ "$report" -nt "$log.mvn.start" ] && cp "$report" "$log"
    rm -f "$log.mvn.start"
    after=$(ls "$seeddir" 2>/dev/null | grep '^crash-' | sort)
    new=$(comm -13 <(echo "$before") <(echo "$after") | grep . | tr '\n' ' ')
    # libFuzzer's last status line: "#N DONE cov: C ft: F corp: K/S exec/s: E rss: R"
    stats=$(python3 - "$log" "$log.mvn" <<'EOF'
import re, sys
runs = execs = cov = corp = "-"
text = ""
for f in sys.argv[1:]:  # libFuzzer writes to the fork's native stderr: surefire passes it to maven's log
    try:
        text += open(f, errors="replace").read()
    except OSError:
        pass
lines = [l for l in text.splitlines() if re.match(r"#\d+\s", l)]
if lines:
    last = lines[-1]
    m = re.match(r"#(\d+)", last); runs = m.group(1)
    m = re.search(r"cov: (\d+)", last); cov = m.group(1) if m else "-"
    m = re.search(r"corp: (\S+)", last); corp = m.group(1) if m else "-"
    m = re.search(r"exec/s: (\d+)", last); execs = m.group(1) if m else "-"
m = re.search(r"Done (\d+) runs in (\d+) second", text)
if m:
    runs = m.group(1)
print(runs, execs, cov, corp)
EOF
)
    read -r runs execs cov corp <<<"$stats"
    if [ -n "$new" ]; then
        result="FINDING: $seeddir/ $new"
        findings=$((findings + 1))
    elif [ $rc -ne 0 ]; then
        if grep -q "FuzzTestFindingException\|== Java Exception\|Java Assertion Error" "$log" "$log.mvn" 2>/dev/null; then
            result="FINDING (see log)"
            findings=$((findings + 1))
        else
            result="ERROR: mvn exit $rc (see $(basename "$log").mvn)"
            failures=$((failures + 1))
        fi
    elif [ "$runs" = "-" ]; then
        result="ERROR: no fuzzing output (regression mode only?)"
        failures=$((failures + 1))
    else
        result="none"
    fi
    echo "| \`$name\` | $mod | $result | $runs | $execs | $cov | $corp | $wall |" >>"$SUMMARY"
    echo "fuzz-all:   $result (runs $runs, exec/s $execs, cov $cov, ${wall} s)"
done

{
    echo
    echo "Findings: $findings. Targets that could not run: $failures. Load at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Corpus kept in <module>/.cifuzz-corpus/<Class>/<method>/; libFuzzer output per target beside this file."
} >>"$SUMMARY"
echo
cat "$SUMMARY"
[ $findings -eq 0 ] && [ $failures -eq 0 ]
