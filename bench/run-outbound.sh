#!/usr/bin/env bash
# Outbound throughput of Sealpost's queue to a local sink: a counting SMTP sink (Java,
# dev.sealpost.bench.outbound.CountingSink) on a free loopback port, and dist/sealpost with
# [queue] transports = ["sink.test = 127.0.0.1:PORT"] and an alias list@bench.test ->
# rcpt@sink.test. N messages go into the MX listener for the alias; each is expanded to the remote
# address and relayed by the outbound queue to the sink. Per message size and per-domain
# concurrency (queue.concurrency_per_domain; the server is restarted for each) it reports
# end-to-end outbound msg/s (first injected message -> last message at the sink), the TCP
# connections the sink saw (messages per connection = connection reuse) and CPU ms/message, as
# RESULT lines and a Markdown table. A second mode ("drain") measures the queue emptying a
# backlog of N messages without the MX intake.
#   bench/run-outbound.sh [RESULTS_DIR]
# Environment (besides those of bench/lib.sh: BENCH_SIZES, BENCH_N_<size>, BENCH_REPS, BENCH_KEEP):
#   OUTBOUND_CONCURRENCY="1 4 16"   per-domain connection limits to measure
#   OUTBOUND_INJECT=8               connections putting the messages into the MX
#   OUTBOUND_WARMUP=200             messages sent (not counted) after each server start
#   OUTBOUND_MODES="live drain"     live: clock from the first message into the MX to the last at
#                                   the sink; drain: the sink defers (451) until all N are queued,
#                                   then `sealpost queue retry --all` starts the clock
#   BENCH_REPS (default here 1)     measured runs per point
#   BENCH_TIMEOUT=600               seconds to wait for the sink to receive everything
OUTBOUND_REPS="${BENCH_REPS:-1}" # lib.sh defaults BENCH_REPS to 2; here 1 unless set
source "$(dirname "$0")/lib.sh"
BENCH_REPS="$OUTBOUND_REPS"
OUTBOUND_CONCURRENCY="${OUTBOUND_CONCURRENCY:-1 4 16}"
OUTBOUND_INJECT="${OUTBOUND_INJECT:-8}"
OUTBOUND_WARMUP="${OUTBOUND_WARMUP:-200}"
OUTBOUND_MODES="${OUTBOUND_MODES:-live drain}"
BENCH_TIMEOUT="${BENCH_TIMEOUT:-600}"

ensure_built
OUT="${1:-$(mktemp -d "${TMPDIR:-/tmp}/sealpost-outbound-bench.XXXXXX")}"
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
: > "$RESULTS"

# start_outbound_sealpost CONCURRENCY SINK_PORT: like lib.sh's start_sealpost (fresh data dir, MX
# on a free port, no sender authentication, DNS only from an empty zone file so no query leaves
# the machine), plus the transport to the sink and the forwarding alias. Sets SP_DIR, SP_DATA,
# SP_PID, SP_PORT, SP_RCPT.
start_outbound_sealpost() {
  local concurrency="$1" sink_port="$2"
  SP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sealpost-outbound.XXXXXX")"
  SP_DATA="$SP_DIR/data"
  SP_RCPT="list@bench.test"
  mkdir -p "$SP_DATA"
  "$DIST/bin/sealpost" domain --data "$SP_DATA" add bench.test >/dev/null
  "$DIST/bin/sealpost" alias --data "$SP_DATA" add "$SP_RCPT" rcpt@sink.test >/dev/null
  cat > "$SP_DIR/sealpost.toml" <<TOML
[server]
hostname = "mx.bench.test"
data_dir = "data"
[listeners]
smtp = "127.0.0.1:0"
submission = ""
submissions = ""
imap = ""
imaps = ""
pop3 = ""
pop3s = ""
# as in bench/lib.sh: no sender authentication, and no DNS query ever leaves this machine
[auth]
enabled = false
[dns]
zone_file = "zone.txt"
[smtp]
max_connections_per_ip = 0   # the injecting connections all come from 127.0.0.1
[queue]
concurrency_per_domain = $concurrency
transports = ["sink.test = 127.0.0.1:$sink_port"]
TOML
  printf '$TTL 300\n' > "$SP_DIR/zone.txt"
  : > "$SP_DIR/server.log" # exists before the server starts writing it (the loop below reads it)
  "$DIST/bin/sealpost" serve --allow-root --config "$SP_DIR/sealpost.toml" >"$SP_DIR/server.log" 2>&1 &
  SP_PID=$!
  SP_PORT=""
  for _ in $(seq 1 600); do
    SP_PORT="$(sed -n 's/.*SMTP MX listener on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$SP_DIR/server.log" | head -1)" || true
    [[ -n "$SP_PORT" ]] && break
    kill -0 "$SP_PID" 2>/dev/null || { cat "$SP_DIR/server.log" >&2; echo "error: sealpost did not start" >&2; return 1; }
    sleep 0.1
  done
  [[ -n "$SP_PORT" ]] || { echo "error: sealpost did not report its port" >&2; return 1; }
  log "sealpost pid $SP_PID on 127.0.0.1:$SP_PORT (concurrency_per_domain $concurrency, sink.test -> 127.0.0.1:$sink_port), data in $SP_DATA"
}

stop_outbound_sealpost() {
  [[ -n "${SP_PID:-}" ]] || return 0
  kill -TERM "$SP_PID" 2>/dev/null || true
  wait "$SP_PID" 2>/dev/null || true
  SP_PID=""
  # the server log of every instance is kept with the results (warnings, queue errors)
  cp "$SP_DIR/server.log" "$OUT/server-c${CURRENT_CONC:-x}.log" 2>/dev/null || true
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then rm -rf "$SP_DIR"; else log "kept $SP_DIR"; fi
}

# outbound_point MODE SIZE CONCURRENCY N [warmup] -> a RESULT line appended to $RESULTS (not for warm-up)
#   MODE live:  the clock runs from the first message into the MX to the last one at the sink
#   MODE drain: the sink defers (451) every recipient until all N are queued, then accepts; the
#               clock runs from `sealpost queue retry --all` to the last message at the sink
outbound_point() {
  local mode="$1" size="$2" conc="$3" n="$4" warm="${5:-}" out rc=0 drain=()
  if [[ "$mode" == drain ]]; then drain=(--drain "$DIST/bin/sealpost" queue retry --all --data "$SP_DATA"); fi
  out="$(bench_java outbound.OutboundLoad --label "$mode" --mx-port "$SP_PORT" --to "$SP_RCPT" --sink-port "$SINK_PORT" \
    --messages "$n" --size "$size" --inject-connections "$OUTBOUND_INJECT" --concurrency "$conc" --server-pid "$SP_PID" \
    --timeout-seconds "$BENCH_TIMEOUT" "${drain[@]}")" || rc=$?
  echo "$out" | grep -v '^RESULT' >&2 || true
  if [[ -z "$warm" ]]; then echo "$out" | grep '^RESULT' >> "$RESULTS" || true; fi
  (( rc == 0 )) || log "warning: the point did not complete cleanly (exit $rc); see above"
}

trap stop_outbound_sealpost EXIT
describe_machine | tee "$OUT/machine.md"
SINK_PORT="$(free_port)"
log "sink port 127.0.0.1:$SINK_PORT; modes: $OUTBOUND_MODES; concurrency: $OUTBOUND_CONCURRENCY; sizes: $BENCH_SIZES; runs per point: $BENCH_REPS"
for CURRENT_CONC in $OUTBOUND_CONCURRENCY; do
  start_outbound_sealpost "$CURRENT_CONC" "$SINK_PORT"
  log "warm-up ($OUTBOUND_WARMUP x 4 KiB, not counted)"
  outbound_point live 4096 "$CURRENT_CONC" "$OUTBOUND_WARMUP" warmup
  for rep in $(seq 1 "$BENCH_REPS"); do
    for size in $BENCH_SIZES; do
      for mode in $OUTBOUND_MODES; do
        log "run $rep: $mode, $size B, concurrency $CURRENT_CONC, $(messages_for "$size") messages, load $(cut -d' ' -f1 /proc/loadavg)"
        outbound_point "$mode" "$size" "$CURRENT_CONC" "$(messages_for "$size")"
      done
    done
  done
  stop_outbound_sealpost
done
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.md"
echo
bench_java outbound.OutboundReport "$RESULTS" | tee "$OUT/report.md"
log "raw results in $RESULTS, report in $OUT/report.md, server logs in $OUT/server-c*.log"
