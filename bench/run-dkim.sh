#!/usr/bin/env bash
# DKIM sign and verify per second (JMH, one thread): RSA-2048 and Ed25519, 4 KiB and 100 KiB
# messages (as shipped: ADR 0003 native RSA + Bouncy Castle Ed25519; and JDK providers only), plus the parts (body
# hash, parse, bare signature, Bouncy Castle), then `openssl speed` for RSA-2048
# and Ed25519 on the same machine before and after, and a Markdown table of both.
#   bench/run-dkim.sh [RESULTS_DIR]
# Environment:
#   DKIM_JMH_OPTS   JMH options (default: -f 1 -wi 3 -i 5 -w 2s -r 3s -t 1)
#   DKIM_BENCH      benchmark regex (default: all of dev.sealpost.bench.dkim)
#   DKIM_OPENSSL_SECONDS  seconds per openssl speed test (default 3; 0 skips openssl)
#   BENCH_REBUILD=1 rebuild the bench module first (it is built when missing)
source "$(dirname "$0")/lib.sh"

JAVA_HOME="$("$ROOT/scripts/find-jdk.sh")" || exit 1
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
JMH_OPTS="${DKIM_JMH_OPTS:--f 1 -wi 3 -i 5 -w 2s -r 3s -t 1}"
BENCH="${DKIM_BENCH:-dev.sealpost.bench.dkim.}"
SSL_SECONDS="${DKIM_OPENSSL_SECONDS:-3}"
OUT="${1:-$(mktemp -d "${TMPDIR:-/tmp}/sealpost-dkim-bench.XXXXXX")}"
mkdir -p "$OUT"

if [[ ! -f "$BENCH_DIR/target/classes/META-INF/BenchmarkList" || ! -d "$BENCH_DIR/target/lib" || "${BENCH_REBUILD:-0}" == 1 ]]; then
  log "building the bench module"
  (cd "$ROOT" && mvn -B -q -ntp -pl bench -am package -DskipTests >&2)
fi
grep -q 'dev.sealpost.bench.dkim' "$BENCH_DIR/target/classes/META-INF/BenchmarkList" \
  || { echo "error: no DKIM benchmarks in the JMH list (annotation processor not run?); BENCH_REBUILD=1" >&2; exit 1; }

# openssl speed: "rsa 2048 bits <s> <s> <sign/s> <verify/s>" and "253 bits EdDSA (Ed25519) <s> <s> <sign/s> <verify/s>"
openssl_speed() {
  local file="$1"
  if [[ "$SSL_SECONDS" == 0 ]] || ! command -v openssl >/dev/null; then : > "$file"; return 0; fi
  log "openssl speed -seconds $SSL_SECONDS rsa2048 ed25519 (one process, one core)"
  openssl speed -seconds "$SSL_SECONDS" rsa2048 ed25519 > "$file" 2>/dev/null
}
ssl_rate() { # file rsa|ed sign|verify
  awk -v k="$2" -v op="$3" '
    (k == "rsa" && /^rsa 2048 bits/) || (k == "ed" && /EdDSA \(Ed25519\)/) { n = NF; print (op == "sign" ? $(n-1) : $n); exit }' "$1"
}

{
  echo "## DKIM JMH run $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; kernel $(uname -r)"
  echo "- Java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "- openssl: $(openssl version 2>/dev/null || echo none)"
  echo "- JMH: $JMH_OPTS, throughput mode, one thread"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.md"
log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

openssl_speed "$OUT/openssl-before.txt"
log "JMH: $BENCH ($JMH_OPTS); human-readable output in $OUT/jmh.log"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" -Duser.language=en -Duser.country=US -cp "$BENCH_DIR/target/classes:$BENCH_DIR/target/lib/*" \
  org.openjdk.jmh.Main $JMH_OPTS -bm thrpt -tu s -rf csv -rff "$OUT/jmh.csv" "$BENCH" > "$OUT/jmh.log" 2>&1 \
  || { tail -40 "$OUT/jmh.log" >&2; echo "error: JMH failed (see $OUT/jmh.log)" >&2; exit 1; }
openssl_speed "$OUT/openssl-after.txt"
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.md"

ssl_mean() { # rsa|ed sign|verify: mean of the before and after runs (empty when none)
  local a b
  a=$(ssl_rate "$OUT/openssl-before.txt" "$1" "$2"); b=$(ssl_rate "$OUT/openssl-after.txt" "$1" "$2")
  if [[ -n "$a" && -n "$b" ]]; then awk -v a="$a" -v b="$b" 'BEGIN { printf "%.0f", (a + b) / 2 }'; else echo "${a:-$b}"; fi
}
RSA_SIGN=$(ssl_mean rsa sign); RSA_VERIFY=$(ssl_mean rsa verify)
ED_SIGN=$(ssl_mean ed sign); ED_VERIFY=$(ssl_mean ed verify)

{
  cat "$OUT/machine.md"
  echo
  # JMH CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit",["Param: provider",]["Param: size"]
  awk -F',' -v rs="$RSA_SIGN" -v rv="$RSA_VERIFY" -v es="$ED_SIGN" -v ev="$ED_VERIFY" '
    function fmt(s, e) { return (e == "NaN" ? sprintf("%.0f", s) : sprintf("%.0f ± %.0f", s, e)) }
    function cell(k) { return (k in score) ? fmt(score[k], err[k]) : "–" }
    function pct(k, ref) { return ((k in score) && ref != "") ? sprintf(" (%.0f%%)", 100 * score[k] / ref) : "" }
    {
      sub(/\r$/, "")  # JMH writes CRLF line ends
      for (i = 1; i <= NF; i++) gsub(/"/, "", $i)
    }
    NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "Param: size") sc = i; if ($i == "Param: provider") pc = i }; next }
    {
      name = $1; sub(/.*\./, "", name); cls = $1; sub(/\.[^.]*$/, "", cls); sub(/.*\./, "", cls)
      size = (sc && $sc != "") ? $sc : "-"; prov = (pc && $pc != "") ? $pc : "-"
      k = cls "." name "." prov "." size; score[k] = $5; err[k] = $6
    }
    END {
      print "Whole message (DkimBenchmark; % = of openssl speed for the same operation):"
      print ""
      print "| operation | JCA provider | 4 KiB msg/s | 100 KiB msg/s | openssl ops/s |"
      print "|---|---|---:|---:|---:|"
      split("signRsa2048 signEd25519 verifyRsa2048 verifyEd25519", ops, " ")
      ossl["signRsa2048"] = rs; ossl["signEd25519"] = es; ossl["verifyRsa2048"] = rv; ossl["verifyEd25519"] = ev
      split("shipped jdk", provs, " ")
      for (i = 1; i <= 4; i++) for (j = 1; j <= 2; j++) {
        o = ops[i]; p = provs[j]; k4 = "DkimBenchmark." o "." p ".4096"; k100 = "DkimBenchmark." o "." p ".102400"
        if (!(k4 in score) && !(k100 in score)) continue
        printf "| %s | %s | %s%s | %s%s | %s |\n", o, p, cell(k4), pct(k4, ossl[o]), cell(k100), pct(k100, ossl[o]),
          (ossl[o] == "" ? "–" : sprintf("%.0f", ossl[o]))
      }
      print ""
      print "| part (DkimPartsBenchmark) | 4 KiB ops/s | 100 KiB ops/s |"
      print "|---|---:|---:|"
      split("parseMessage bodyHashRelaxed bodyHashSimple sha256Body", parts, " ")
      for (i = 1; i <= 4; i++) printf "| %s | %s | %s |\n", parts[i], cell("DkimPartsBenchmark." parts[i] ".-.4096"), cell("DkimPartsBenchmark." parts[i] ".-.102400")
      print ""
      print "| bare signature over the header data | JDK ops/s | Bouncy Castle ops/s | openssl ops/s |"
      print "|---|---:|---:|---:|"
      split("Rsa2048 Ed25519", algs, " "); bc["Rsa2048"] = "Rsa"; bc["Ed25519"] = "Ed25519"
      for (i = 1; i <= 2; i++) for (j = 1; j <= 2; j++) {
        op = (j == 1 ? "sign" : "verify"); a = algs[i]; r = ossl[op a]
        printf "| %s %s | %s | %s | %s |\n", op, a, cell("DkimPartsBenchmark.raw" toupper(substr(op, 1, 1)) substr(op, 2) a ".-.-"),
          cell("DkimProviderBenchmark." op bc[a] ".-.-"), (r == "" ? "–" : sprintf("%.0f", r))
      }
      print ""
      print "Goals (RSA-2048 signing ≥ 80% of openssl sign/s; Ed25519 signing > 10,000/s):"
      for (j = 1; j <= 2; j++) for (s = 1; s <= 2; s++) {
        p = provs[j]; sz = (s == 1 ? "4096" : "102400"); label = (s == 1 ? "4 KiB" : "100 KiB")
        k = "DkimBenchmark.signRsa2048." p "." sz
        if ((k in score) && rs != "") printf "- %s, RSA-2048, %s: %.0f/s = %.0f%% of openssl (%.0f/s): %s\n", p, label, score[k], 100 * score[k] / rs, rs, (score[k] >= 0.8 * rs ? "met" : "NOT met")
        k = "DkimBenchmark.signEd25519." p "." sz
        if (k in score) printf "- %s, Ed25519, %s: %.0f/s: %s\n", p, label, score[k], (score[k] > 10000 ? "met" : "NOT met")
      }
    }' "$OUT/jmh.csv"
  echo
  echo "openssl before JMH:"; grep -E 'sign/s|^rsa 2048|Ed25519' "$OUT/openssl-before.txt" | sed 's/^/    /' || true
  echo "openssl after JMH:"; grep -E 'sign/s|^rsa 2048|Ed25519' "$OUT/openssl-after.txt" | sed 's/^/    /' || true
} | tee "$OUT/report.md"
log "results in $OUT (report.md, jmh.csv, jmh.log, openssl-*.txt)"
