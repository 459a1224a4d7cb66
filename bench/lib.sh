# Shared helpers for bench/run-*.sh (sourced, not run). Linux only: reads /proc, uses ss.
# Matrix (override with environment variables):
#   BENCH_SIZES="4096 102400"  BENCH_CONNS="1 20 100"  BENCH_N_4096=4000  BENCH_N_102400=1000
#   BENCH_REPS=2  BENCH_WARMUP=6000 (per server: that many 4 KiB messages over 1 and over 20
#   connections, a fifth of it at 100 KiB over 20: a server runs for weeks, so it is measured
#   after the JIT has compiled its paths, which on 2 cores takes ~10,000 messages)
#   BENCH_BODY=x       smtp-source's own body (-l: lines of 'X', compresses ~50:1)
#   BENCH_BODY=random  smtp-source sends a prepared message (-F) with a base64 body of random
#                      bytes, like an attachment (the built-in SmtpLoad client always does that)
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
DIST="$ROOT/dist/sealpost"
BENCH_SIZES="${BENCH_SIZES:-4096 102400}"
BENCH_CONNS="${BENCH_CONNS:-1 20 100}"
BENCH_REPS="${BENCH_REPS:-2}"
BENCH_WARMUP="${BENCH_WARMUP:-6000}"

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

# Messages per point for a size: BENCH_N_<size>, else 4000 for small and 1000 for large messages.
messages_for() {
  local var="BENCH_N_$1"
  if [[ -n "${!var:-}" ]]; then echo "${!var}"; elif (( $1 <= 16384 )); then echo 4000; else echo 1000; fi
}

# Builds dist/sealpost and the bench module when missing (or when BENCH_REBUILD=1).
ensure_built() {
  JAVA_HOME="$("$ROOT/scripts/find-jdk.sh")" || { echo "error: no JDK >= 25 found" >&2; exit 1; }
  export JAVA_HOME
  export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
  if [[ ! -x "$DIST/bin/sealpost" || "${BENCH_REBUILD:-0}" == 1 ]]; then
    log "building dist/sealpost (make dist)"
    make -C "$ROOT" dist >&2
  fi
  if [[ ! -d "$BENCH_DIR/target/classes/dev/sealpost/bench" || ! -d "$BENCH_DIR/target/lib" || "${BENCH_REBUILD:-0}" == 1 ]]; then
    log "building the bench module"
    (cd "$ROOT" && mvn -B -q -ntp -pl bench -am package -DskipTests >&2)
  fi
}

# Runs dev.sealpost.bench.<Main> with the bench classpath.
bench_java() {
  local main="$1"; shift
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dsealpost.log.level=WARN \
    -cp "$BENCH_DIR/target/classes:$BENCH_DIR/target/lib/*" "dev.sealpost.bench.$main" "$@"
}

# A TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! ss -Hltn "sport = :$p" | grep -q .; then echo "$p"; return 0; fi
  done
  echo "error: no free port found" >&2; return 1
}

# Machine description for the report.
describe_machine() {
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
  echo "- memory: $(free -g | awk '/^Mem:/ {print $2}') GiB; kernel $(uname -r); $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "- disk: $(df -hT "${TMPDIR:-/tmp}" | awk 'NR==2 {print $2" on "$1}') (data in ${TMPDIR:-/tmp})"
  echo "- Java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  if command -v postconf >/dev/null; then echo "- Postfix: $(postconf -d -h mail_version 2>/dev/null)"; fi
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# ---------------------------------------------------------------- Sealpost
# start_sealpost: sets SP_DIR, SP_DATA, SP_PID, SP_PORT, SP_RCPT. SEALPOST_JAVA_OPTS is passed on.
start_sealpost() {
  SP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sealpost-bench.XXXXXX")"
  SP_DATA="$SP_DIR/data"
  SP_RCPT="user@bench.test"
  mkdir -p "$SP_DATA"
  "$DIST/bin/sealpost" domain --data "$SP_DATA" add bench.test >/dev/null
  "$DIST/bin/sealpost" account --data "$SP_DATA" add "$SP_RCPT" --generate-password >/dev/null
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
# up to BENCH_CONNS (100) connections, all from 127.0.0.1: no per-IP cap (default 50) here; the
# Postfix side is measured with its defaults, which allow 50 per client but exempt mynetworks
[smtp]
max_connections_per_ip = 0
# Postfix's default configuration does no sender authentication, so neither do we here (and a
# benchmark must never send DNS queries off this machine): see docs/benchmarks.md
[auth]
enabled = false
[dns]
zone_file = "zone.txt"
${SP_EXTRA_TOML:-}
TOML
  printf '$TTL 300\n' > "$SP_DIR/zone.txt"
  "$DIST/bin/sealpost" serve --allow-root --config "$SP_DIR/sealpost.toml" >"$SP_DIR/server.log" 2>&1 &
  SP_PID=$!
  SP_PORT=""
  for _ in $(seq 1 600); do
    SP_PORT="$(sed -n 's/.*SMTP MX listener on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$SP_DIR/server.log" | head -1)"
    [[ -n "$SP_PORT" ]] && break
    kill -0 "$SP_PID" 2>/dev/null || { cat "$SP_DIR/server.log" >&2; echo "error: sealpost did not start" >&2; return 1; }
    sleep 0.1
  done
  [[ -n "$SP_PORT" ]] || { echo "error: sealpost did not report its port" >&2; return 1; }
  log "sealpost pid $SP_PID on 127.0.0.1:$SP_PORT, data in $SP_DATA"
}

stop_sealpost() {
  [[ -n "${SP_PID:-}" ]] || return 0
  kill -TERM "$SP_PID" 2>/dev/null || true
  wait "$SP_PID" 2>/dev/null || true
  SP_PID=""
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then rm -rf "$SP_DIR"; else log "kept $SP_DIR"; fi
}

# ---------------------------------------------------------------- Postfix
PF_USER="${BENCH_POSTFIX_USER:-sealbench}"

# start_postfix: a private Postfix instance (own config, queue and data directories under a temp
# dir, smtpd on a free port of 127.0.0.1, local delivery to ~$PF_USER/Maildir/). Sets PF_DIR,
# PF_PORT, PF_PID (master), PF_MAILDIR, PF_RCPT.
start_postfix() {
  command -v postfix >/dev/null || { echo "error: postfix is not installed (apt-get install postfix)" >&2; return 1; }
  [[ $(id -u) == 0 ]] || { echo "error: a private postfix instance needs root (it drops to the mail_owner and recipient users)" >&2; return 1; }
  PF_DIR="$(mktemp -d "${TMPDIR:-/tmp}/postfix-bench.XXXXXX")"
  chmod 755 "$PF_DIR"
  mkdir -p "$PF_DIR/etc" "$PF_DIR/spool" "$PF_DIR/lib" "$PF_DIR/home"
  PF_CREATED_USER=0
  if ! id "$PF_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir "$PF_DIR/home" --shell /usr/sbin/nologin "$PF_USER"
    PF_CREATED_USER=1
  else
    usermod --home "$PF_DIR/home" "$PF_USER"
  fi
  chown "$PF_USER:" "$PF_DIR/home"
  chown postfix: "$PF_DIR/lib"
  PF_PORT="$(free_port)"
  PF_RCPT="$PF_USER@localhost"
  PF_MAILDIR="$PF_DIR/home/Maildir"
  cat > "$PF_DIR/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF_DIR/spool
data_directory = $PF_DIR/lib
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.bench.localhost
mydomain = localhost
mydestination = localhost, \$myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
home_mailbox = Maildir/
append_dot_mydomain = no
biff = no
relayhost =
default_transport = error:the benchmark instance sends nothing out
maillog_file = $PF_DIR/maillog
maillog_file_prefixes = $PF_DIR
CF
  # the stock master.cf, with smtpd on 127.0.0.1:PORT and no chroot (the queue dir is not a prepared jail)
  awk -v port="$PF_PORT" '
    /^[a-z0-9]/ && NF >= 8 {
      if ($1 == "smtp" && $2 == "inet") $1 = "127.0.0.1:" port
      $5 = "n"
      print; next
    }
    { print }' /etc/postfix/master.cf > "$PF_DIR/etc/master.cf"
  postfix -c "$PF_DIR/etc" check >&2
  postfix -c "$PF_DIR/etc" start >&2
  PF_PID=""
  for _ in $(seq 1 100); do
    if [[ -s "$PF_DIR/spool/pid/master.pid" ]] && ss -Hltn "sport = :$PF_PORT" | grep -q .; then
      PF_PID="$(tr -d ' \n' < "$PF_DIR/spool/pid/master.pid")"; break
    fi
    sleep 0.1
  done
  [[ -n "$PF_PID" ]] || { cat "$PF_DIR/maillog" >&2 2>/dev/null; echo "error: postfix did not start" >&2; return 1; }
  log "postfix $(postconf -d -h mail_version) master pid $PF_PID on 127.0.0.1:$PF_PORT, queue in $PF_DIR/spool, mail to $PF_MAILDIR"
}

stop_postfix() {
  [[ -n "${PF_DIR:-}" ]] || return 0
  postfix -c "$PF_DIR/etc" stop >&2 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "${PF_PID:-0}" 2>/dev/null || break; sleep 0.1; done
  if [[ "${PF_CREATED_USER:-0}" == 1 ]]; then userdel --force "$PF_USER" 2>/dev/null || true; fi
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then rm -rf "$PF_DIR"; else log "kept $PF_DIR"; fi
  PF_DIR=""
}

# Empties the Maildir between points (after every message of the point was counted).
clear_maildir() { find "$PF_MAILDIR/new" "$PF_MAILDIR/cur" -type f -delete 2>/dev/null || true; }

# ---------------------------------------------------------------- one measured point
# smtp-source's message options for SIZE: "-l SIZE", or with BENCH_BODY=random "-F FILE" with a
# header and SIZE bytes of base64 text (smtp-source appends CRLF to each line read from the file).
source_body() {
  local size="$1" file
  if [[ "${BENCH_BODY:-x}" != random ]]; then echo "-l $size"; return; fi
  file="${TMPDIR:-/tmp}/sealpost-bench-body-$size.eml"
  if [[ ! -s "$file" ]]; then
    { printf 'From: <bench@load.test>\nSubject: bench\n\n'
      head -c "$(( size * 3 / 4 ))" /dev/urandom | base64 -w 76; } > "$file"
  fi
  echo "-F $file"
}

# run_point LABEL SIZE CONNS N -> appends a RESULT line to $RESULTS
#   LABEL: sealpost/SmtpLoad, sealpost/smtp-source or postfix/smtp-source
run_point() {
  local label="$1" size="$2" conns="$3" n="$4" out
  case "$label" in
    sealpost/SmtpLoad)
      out="$(bench_java SmtpLoad --label "$label" --port "$SP_PORT" --to "$SP_RCPT" --connections "$conns" \
        --messages "$n" --size "$size" --data "$SP_DATA" --server-pid "$SP_PID")" ;;
    sealpost/smtp-source)
      out="$(bench_java SmtpLoad --label "$label" --messages "$n" --size "$size" --connections "$conns" \
        --data "$SP_DATA" --account "$SP_RCPT" --server-pid "$SP_PID" -- \
        smtp-source -d -s "$conns" -m "$n" $(source_body "$size") -f bench@load.test -t "$SP_RCPT" -M load.bench.test "127.0.0.1:$SP_PORT")" ;;
    postfix/smtp-source)
      out="$(bench_java SmtpLoad --label "$label" --messages "$n" --size "$size" --connections "$conns" \
        --maildir "$PF_MAILDIR" --server-pid "$PF_PID" -- \
        smtp-source -d -s "$conns" -m "$n" $(source_body "$size") -f bench@load.test -t "$PF_RCPT" -M load.bench.test "127.0.0.1:$PF_PORT")"
      clear_maildir ;;
    *) echo "error: unknown label $label" >&2; return 1 ;;
  esac
  echo "$out" | grep -v '^RESULT' >&2 || true
  echo "$out" | grep '^RESULT' >> "$RESULTS"
}

# run_matrix LABEL... : warm-up per label, then BENCH_REPS rounds of sizes x connections, the
# labels interleaved at each point so that background load hits them alike.
run_matrix() {
  local label size conns rep
  for label in "$@"; do
    log "warm-up $label ($BENCH_WARMUP x 4 KiB over 1 and 20 connections, $((BENCH_WARMUP / 5)) x 100 KiB over 20; not counted)"
    run_point "$label" 4096 1 "$BENCH_WARMUP" && sed -i '$d' "$RESULTS"
    run_point "$label" 4096 20 "$BENCH_WARMUP" && sed -i '$d' "$RESULTS"
    run_point "$label" 102400 20 "$((BENCH_WARMUP / 5))" && sed -i '$d' "$RESULTS"
  done
  for rep in $(seq 1 "$BENCH_REPS"); do
    for size in $BENCH_SIZES; do
      for conns in $BENCH_CONNS; do
        for label in "$@"; do
          log "round $rep: $label, $size B, $conns connection(s), load $(cut -d' ' -f1 /proc/loadavg)"
          run_point "$label" "$size" "$conns" "$(messages_for "$size")"
        done
      done
    done
  done
}
