#!/usr/bin/env bash
# Where Sealpost's time goes under load: runs one point (default 4 KiB x 20 connections x 6000
# messages, smtp-source when installed, else the built-in client) against a server started with
# Java Flight Recorder, then prints JFR's hot methods, the monitor/park waits and the file-force
# (fsync) events and, with perf installed, the CPU split by shared object (kernel, JIT code, JVM,
# SQLite, zlib). BENCH_STRACE=1 adds a count of fsync/rename/mkdir calls per run from strace
# (strace slows the server down: use that run for the counts, not the speed).
#   bench/profile-sealpost.sh [SIZE] [CONNECTIONS] [MESSAGES]
source "$(dirname "$0")/lib.sh"
size="${1:-4096}" conns="${2:-20}" n="${3:-6000}"
ensure_built
JFR="$(mktemp -d "${TMPDIR:-/tmp}/sealpost-jfr.XXXXXX")/server.jfr"
export SEALPOST_JAVA_OPTS="${SEALPOST_JAVA_OPTS:-} -XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true"
trap stop_sealpost EXIT
start_sealpost
RESULTS="$(mktemp "${TMPDIR:-/tmp}/sealpost-profile.XXXXXX.tsv")"
label=sealpost/SmtpLoad
command -v smtp-source >/dev/null && label=sealpost/smtp-source
run_point "$label" 4096 20 500            # warm-up
STRACE_OUT=""
if [[ "${BENCH_STRACE:-0}" == 1 ]] && command -v strace >/dev/null; then
  STRACE_OUT="$(mktemp "${TMPDIR:-/tmp}/sealpost-strace.XXXXXX")"
  strace -f -qq -c -e trace=fsync,fdatasync,rename,mkdir -p "$SP_PID" -o "$STRACE_OUT" 2>/dev/null & strace_pid=$!
  sleep 1
fi
PERF_OUT=""
if [[ "${BENCH_STRACE:-0}" != 1 ]] && command -v perf >/dev/null; then
  PERF_OUT="$(mktemp "${TMPDIR:-/tmp}/sealpost-perf.XXXXXX")"
  perf record -q -F 499 -p "$SP_PID" -o "$PERF_OUT" 2>/dev/null & perf_pid=$!
  sleep 0.5
fi
run_point "$label" "$size" "$conns" "$n"
if [[ -n "$PERF_OUT" ]]; then kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true; fi
if [[ -n "$STRACE_OUT" ]]; then kill -INT "$strace_pid"; wait "$strace_pid" 2>/dev/null || true; fi
stop_sealpost
trap - EXIT
echo "== JFR hot methods ($JFR)"
"$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$JFR" | head -30
echo "== JFR: native methods (threads in JNI: SQLite, fsync, sockets)"
"$JAVA_HOME/bin/jfr" view --width 160 native-methods "$JFR" 2>/dev/null | head -25 || true
echo "== JFR: time blocked (monitor enter, park) by class"
"$JAVA_HOME/bin/jfr" view --width 200 contention-by-site "$JFR" 2>/dev/null | head -20 || true
echo "== JFR: file forces (fsync) over 1 ms (default threshold 20 ms in 'profile')"
"$JAVA_HOME/bin/jfr" summary "$JFR" | grep -E "jdk.FileForce|jdk.ExecutionSample|jdk.JavaMonitorWait|jdk.ThreadPark" || true
if [[ -n "$PERF_OUT" ]]; then
  echo "== perf: CPU samples of the server by shared object"
  perf report -q -i "$PERF_OUT" --sort dso --stdio 2>/dev/null | head -15
fi
if [[ -n "$STRACE_OUT" ]]; then
  echo "== strace -c of the server during the measured point ($n messages)"
  cat "$STRACE_OUT"
fi
