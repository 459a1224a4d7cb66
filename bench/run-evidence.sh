#!/usr/bin/env bash
# The cost of the evidence log (issue 17): the same MX load against Sealpost servers that differ
# only in [evidence], started side by side in one run, with the points interleaved so that
# background load hits them alike. Default: 4 KiB and 100 KiB messages over 20 connections with
# the built-in client (SmtpLoad), BENCH_REPS rounds, after a warm-up of each server.
#   bench/run-evidence.sh [RESULTS.tsv]
# Servers (labels):
#   evidence-off        [evidence] enabled = false
#   evidence-on         the defaults: records before "250", tree-head time stamps every second
#   evidence-notsa      enabled, tsa = false
#   evidence-eachrecord enabled, tsa_each_record = true (an RFC 3161 token per record before "250")
# BENCH_EVIDENCE_LABELS picks some of them (default: all four).
BENCH_SIZES="${BENCH_SIZES:-4096 102400}"   # before lib.sh, which has its own defaults
BENCH_CONNS="${BENCH_CONNS:-20}"
source "$(dirname "$0")/lib.sh"
ensure_built
RESULTS="${1:-$(mktemp "${TMPDIR:-/tmp}/sealpost-bench-evidence.XXXXXX.tsv")}"
: > "$RESULTS"
LABELS=(${BENCH_EVIDENCE_LABELS:-evidence-off evidence-on evidence-notsa evidence-eachrecord})
declare -A PORT DATA PID DIRS

extra_toml() {
  case "$1" in
    evidence-off) printf '[evidence]\nenabled = false\n' ;;
    evidence-on) printf '[evidence]\nenabled = true\n' ;;
    evidence-notsa) printf '[evidence]\nenabled = true\ntsa = false\n' ;;
    evidence-eachrecord) printf '[evidence]\nenabled = true\ntsa = true\ntsa_each_record = true\n' ;;
    *) echo "error: unknown label $1" >&2; return 1 ;;
  esac
}

stop_all() {
  for l in "${LABELS[@]}"; do
    [[ -n "${PID[$l]:-}" ]] || continue
    SP_PID="${PID[$l]}"; SP_DIR="${DIRS[$l]}"; stop_sealpost
  done
}
trap stop_all EXIT

describe_machine
for l in "${LABELS[@]}"; do
  SP_EXTRA_TOML="$(extra_toml "$l")" start_sealpost
  PORT[$l]="$SP_PORT"; DATA[$l]="$SP_DATA"; PID[$l]="$SP_PID"; DIRS[$l]="$SP_DIR"
  log "$l: pid $SP_PID port $SP_PORT"
done

point() {   # point LABEL SIZE CONNS N
  local l="$1" out
  out="$(bench_java SmtpLoad --label "$l" --port "${PORT[$l]}" --to "$SP_RCPT" --connections "$3" \
    --messages "$4" --size "$2" --data "${DATA[$l]}" --server-pid "${PID[$l]}")"
  echo "$out" | grep -v '^RESULT' >&2 || true
  echo "$out" | grep '^RESULT' >> "$RESULTS"
}

for l in "${LABELS[@]}"; do
  log "warm-up $l ($BENCH_WARMUP x 4 KiB over 20 connections, $((BENCH_WARMUP / 5)) x 100 KiB; not counted)"
  point "$l" 4096 20 "$BENCH_WARMUP" && sed -i '$d' "$RESULTS"
  point "$l" 102400 20 "$((BENCH_WARMUP / 5))" && sed -i '$d' "$RESULTS"
done
for rep in $(seq 1 "$BENCH_REPS"); do
  for size in $BENCH_SIZES; do
    for conns in $BENCH_CONNS; do
      # rotate the order each round, so that no server always runs right after the same other one
      n=${#LABELS[@]}
      for k in $(seq 0 $((n - 1))); do
        l="${LABELS[$(( (k + rep) % n ))]}"
        log "round $rep: $l, $size B, $conns connection(s), load $(cut -d' ' -f1 /proc/loadavg)"
        point "$l" "$size" "$conns" "$(messages_for "$size")"
      done
    done
  done
done
echo
bench_java Report "$RESULTS"
echo
# Each server against evidence-off: the median of its own rates, and the median of the per-round
# ratios (each round runs every server back to back, so a ratio of the same round cancels most of
# the background load's drift between rounds).
echo "| server | size | conns | delivered msg/s (median) | server CPU ms/msg (median) | delivered vs off (median of per-round ratios) | accepted vs off (same) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
awk -F'\t' '
  function median(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  $1 == "RESULT" { k = $2 "\t" $3 "\t" $4; n = ++count[k]; acc[k, n] = $8; del[k, n] = $10; cpu[k] = cpu[k] " " $11; rates[k] = rates[k] " " $10; keys[k] = 1 }
  END {
    for (k in keys) {
      split(k, f, "\t"); base = "evidence-off\t" f[2] "\t" f[3]; rd = ""; ra = ""
      for (r = 1; r <= count[k] && r <= count[base]; r++) { rd = rd " " del[k, r] / del[base, r]; ra = ra " " acc[k, r] / acc[base, r] }
      printf "| %s | %d | %d | %.0f | %.2f | %+.1f%% | %+.1f%% |\n", f[1], f[2], f[3], median(rates[k]), median(cpu[k]), (100 * (median(rd) - 1)), (100 * (median(ra) - 1))
    }
  }' "$RESULTS" | sort
log "raw results in $RESULTS"
