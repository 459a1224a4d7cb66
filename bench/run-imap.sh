#!/usr/bin/env bash
# IMAP load, Sealpost against Dovecot on the same machine with the same client (ImapLoad):
# K accounts seeded with messages, then C clients each repeating LOGIN, SELECT, FETCH (flags,
# envelope, a whole body), STORE, APPEND 4 KiB, STORE \Deleted + UID EXPUNGE, LOGOUT for S
# seconds; then 1,000 idle (IDLE) connections held by Sealpost and its heap after a full GC.
#   bench/run-imap.sh [RESULTS_DIR]
# Environment:
#   IMAP_CLIENTS="10 100"  IMAP_SECONDS=30  IMAP_USERS=10  IMAP_SEED=50  IMAP_IDLE=1000
#   IMAP_DOVECOT=1 (0 skips Dovecot)  IMAP_SEALPOST=1 (0 skips Sealpost's runs)  BENCH_REBUILD=1 (rebuild dist and bench)
source "$(dirname "$0")/lib.sh"

CLIENTS="${IMAP_CLIENTS:-10 100}"
SECONDS_PER_RUN="${IMAP_SECONDS:-30}"
USERS="${IMAP_USERS:-10}"
SEED="${IMAP_SEED:-50}"
IDLE="${IMAP_IDLE:-1000}"
PW="bench-password-1"
OUT="${1:-$(mktemp -d "${TMPDIR:-/tmp}/sealpost-imap-bench.XXXXXX")}"
mkdir -p "$OUT"
ensure_built

cleanup() {
  [[ -n "${IDLE_PID:-}" ]] && kill "$IDLE_PID" 2>/dev/null || true
  [[ -n "${IM_PID:-}" ]] && { kill -TERM "$IM_PID" 2>/dev/null; wait "$IM_PID" 2>/dev/null; } || true
  [[ -n "${DV_DIR:-}" ]] && { doveadm -c "$DV_DIR/dovecot.conf" stop 2>/dev/null || kill "$DV_PID" 2>/dev/null; } || true
  true
}
trap cleanup EXIT

# ------------------------------------------------------------------ Sealpost
start_sealpost_imap() {
  IM_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sealpost-imap.XXXXXX")"
  mkdir -p "$IM_DIR/data"
  "$DIST/bin/sealpost" domain --data "$IM_DIR/data" add bench.test >/dev/null
  for i in $(seq 1 "$USERS"); do
    echo "$PW" | "$DIST/bin/sealpost" account --data "$IM_DIR/data" add "bench$i@bench.test" --password-stdin >/dev/null
  done
  cat > "$IM_DIR/sealpost.toml" <<TOML
[server]
hostname = "mail.bench.test"
data_dir = "data"
[listeners]
smtp = ""
submission = ""
submissions = ""
imap = "127.0.0.1:0"
imaps = ""
pop3 = ""
pop3s = ""
# plain TCP on loopback for both servers: the benchmark compares IMAP work, not TLS
[imap]
allow_plaintext_auth = true
max_connections_per_account = 10000
max_connections_per_ip = 0          # all clients come from 127.0.0.1 (0: no per-IP cap)
max_connections = 0                 # IMAP_IDLE idle sessions plus the clients (0: no total cap)
[auth]
enabled = false
[dns]
zone_file = "zone.txt"
TOML
  printf '$TTL 300\n' > "$IM_DIR/zone.txt"
  "$DIST/bin/sealpost" serve --allow-root --config "$IM_DIR/sealpost.toml" >"$IM_DIR/server.log" 2>&1 &
  IM_PID=$!
  IM_PORT=""
  for _ in $(seq 1 600); do
    IM_PORT="$(sed -n 's/.*IMAP.* on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$IM_DIR/server.log" | head -1)"
    [[ -n "$IM_PORT" ]] && break
    kill -0 "$IM_PID" 2>/dev/null || { cat "$IM_DIR/server.log" >&2; echo "error: sealpost did not start" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$IM_PORT" ]] || { echo "error: no IMAP port in $IM_DIR/server.log" >&2; exit 1; }
  log "sealpost pid $IM_PID, IMAP on 127.0.0.1:$IM_PORT"
}

# ------------------------------------------------------------------ Dovecot (private config, Maildir)
start_dovecot() {
  DV_DIR="$(mktemp -d "${TMPDIR:-/tmp}/dovecot-bench.XXXXXX")"
  chmod 755 "$DV_DIR"
  DV_PORT="$(free_port)"
  mkdir -p "$DV_DIR/mail" "$DV_DIR/run" "$DV_DIR/state"
  # as root, Dovecot's login processes must drop to dovenull and mail processes to dovecot (Debian's users)
  local login_user internal_user mail_user
  if [[ $(id -u) == 0 ]]; then
    login_user=dovenull; internal_user=dovecot; mail_user=dovecot
    chown dovecot:dovecot "$DV_DIR/mail"
  else
    login_user=$(id -un); internal_user=$(id -un); mail_user=$(id -un)
  fi
  : > "$DV_DIR/passwd"
  for i in $(seq 1 "$USERS"); do
    echo "bench$i@bench.test:{PLAIN}$PW::::::" >> "$DV_DIR/passwd"
  done
  cat > "$DV_DIR/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $DV_DIR/run
state_dir = $DV_DIR/state
log_path = $DV_DIR/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = $internal_user
default_login_user = $login_user
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:$DV_DIR/mail/%u
mail_uid = $mail_user
mail_gid = $mail_user
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DV_DIR/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $DV_DIR/passwd
  default_fields = uid=$mail_user gid=$mail_user home=$DV_DIR/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $DV_PORT
  }
  inet_listener imaps {
    port = 0
  }
  process_limit = 1000
  client_limit = 1000
}
service auth {
  client_limit = 2000
}
service anvil {
  client_limit = 2000
}
service imap {
  process_limit = 2000
}
mail_max_userip_connections = 10000
CONF
  dovecot -F -c "$DV_DIR/dovecot.conf" >"$DV_DIR/stdout.log" 2>&1 &
  DV_PID=$!
  for _ in $(seq 1 100); do
    ss -Hltn "sport = :$DV_PORT" | grep -q . && break
    kill -0 "$DV_PID" 2>/dev/null || { cat "$DV_DIR/stdout.log" "$DV_DIR/dovecot.log" >&2; echo "error: dovecot did not start" >&2; return 1; }
    sleep 0.1
  done
  log "dovecot $(dovecot --version) pid $DV_PID on 127.0.0.1:$DV_PORT"
}

run_load() { # label port
  local label="$1" port="$2"
  bench_java imap.ImapLoad --seed "$SEED" --port "$port" --user 'bench%d@bench.test' --users "$USERS" --password "$PW" >&2
  for c in $CLIENTS; do
    log "$label: $c clients for ${SECONDS_PER_RUN}s"
    bench_java imap.ImapLoad --port "$port" --user 'bench%d@bench.test' --users "$USERS" --password "$PW" \
      --clients "$c" --seconds "$SECONDS_PER_RUN" --label "$label" | tee -a "$OUT/results.tsv" >&2 || true
  done
}

{ describe_machine; echo "- Dovecot: $(dovecot --version 2>/dev/null || echo none)"; } > "$OUT/machine.md"
start_sealpost_imap
if [[ "${IMAP_SEALPOST:-1}" == 1 ]]; then run_load sealpost "$IM_PORT"; fi

# idle connections: hold IMAP_IDLE sessions in IDLE, then a full GC and the heap in use
if [[ "${IMAP_SEALPOST:-1}" == 1 && "$IDLE" -gt 0 ]]; then
  mkfifo "$OUT/idle.fifo"
  bench_java imap.ImapLoad --idle "$IDLE" --port "$IM_PORT" --user 'bench%d@bench.test' --users "$USERS" --password "$PW" \
    < "$OUT/idle.fifo" > "$OUT/idle.out" 2>&1 &
  IDLE_PID=$!
  exec 7> "$OUT/idle.fifo"
  for _ in $(seq 1 600); do grep -q READY "$OUT/idle.out" && break; kill -0 "$IDLE_PID" 2>/dev/null || break; sleep 0.2; done
  if grep -q READY "$OUT/idle.out"; then
    JPID="$(pgrep -P "$IM_PID" java || echo "$IM_PID")"
    "$JAVA_HOME/bin/jcmd" "$JPID" GC.run >/dev/null
    sleep 1
    "$JAVA_HOME/bin/jcmd" "$JPID" GC.heap_info > "$OUT/idle-heap.txt"
    USED_KB="$(grep -o 'used [0-9]*K' "$OUT/idle-heap.txt" | head -1 | tr -dc 0-9)"
    printf 'IDLE\tsealpost\t%s connections\theap used after full GC: %s MiB\n' "$(grep -o 'READY [0-9]*' "$OUT/idle.out" | cut -d' ' -f2)" \
      "$(( USED_KB / 1024 ))" | tee -a "$OUT/results.tsv" >&2
  else
    cat "$OUT/idle.out" >&2; echo "IDLE sealpost FAILED" | tee -a "$OUT/results.tsv" >&2
  fi
  exec 7>&-
  wait "$IDLE_PID" 2>/dev/null || true
  IDLE_PID=""
fi
kill -TERM "$IM_PID"; wait "$IM_PID" 2>/dev/null || true; IM_PID=""

if [[ "${IMAP_DOVECOT:-1}" == 1 ]] && command -v dovecot >/dev/null; then
  # a port free when picked can be taken by a client's ephemeral port before Dovecot binds it: retry
  for attempt in 1 2 3 4 5; do start_dovecot && break; log "dovecot start failed, retrying ($attempt)"; sleep 1; done
  run_load dovecot "$DV_PORT"
fi
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.md"
{ cat "$OUT/machine.md"; echo; grep -E '^(RESULT|IDLE)' "$OUT/results.tsv"; } | tee "$OUT/report.md"
log "results in $OUT"
