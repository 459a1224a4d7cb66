#!/usr/bin/env bash
# Postfix side by side with Sealpost in the same run: a private Postfix instance (own config,
# queue and data directories in a temp dir; smtpd on a free port of 127.0.0.1; local delivery to
# a Maildir) and Sealpost (as in run-smtp.sh), both driven by Postfix's smtp-source with the same
# matrix, plus Sealpost with the built-in client. Installs postfix with apt-get when missing.
# Needs root (Postfix's local delivery runs as the recipient user, created as "sealbench").
#   bench/run-postfix.sh [RESULTS.tsv]      BENCH_POSTFIX_ONLY=1: Postfix alone
source "$(dirname "$0")/lib.sh"
if ! command -v postfix >/dev/null || ! command -v smtp-source >/dev/null; then
  log "installing postfix (Debian package; no system instance is configured or started)"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y postfix >&2
fi
ensure_built
RESULTS="${1:-$(mktemp "${TMPDIR:-/tmp}/postfix-bench-results.XXXXXX.tsv")}"
: > "$RESULTS"
trap 'stop_postfix; stop_sealpost' EXIT
describe_machine
start_postfix
if [[ "${BENCH_POSTFIX_ONLY:-0}" == 1 ]]; then
  run_matrix postfix/smtp-source
  echo
  bench_java Report "$RESULTS"
else
  start_sealpost
  run_matrix sealpost/smtp-source postfix/smtp-source sealpost/SmtpLoad
  echo
  bench_java Report "$RESULTS" sealpost/smtp-source postfix/smtp-source
fi
log "raw results in $RESULTS"
