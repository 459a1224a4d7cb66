#!/usr/bin/env bash
# End-to-end SMTP throughput of Sealpost: starts dist/sealpost on a free loopback port with a
# fresh data dir, sends {4 KiB, 100 KiB} x {1, 20, 100 connections} with the built-in Java
# client (SmtpLoad) and, when installed, Postfix's smtp-source, waits until every message is in
# the mailbox, and prints a Markdown table. Options: environment variables in bench/lib.sh.
#   bench/run-smtp.sh [RESULTS.tsv]
source "$(dirname "$0")/lib.sh"
ensure_built
RESULTS="${1:-$(mktemp "${TMPDIR:-/tmp}/sealpost-bench-results.XXXXXX.tsv")}"
: > "$RESULTS"
trap stop_sealpost EXIT
describe_machine
start_sealpost
labels=(sealpost/SmtpLoad)
if command -v smtp-source >/dev/null; then labels+=(sealpost/smtp-source); else log "smtp-source not installed: built-in client only"; fi
run_matrix "${labels[@]}"
echo
bench_java Report "$RESULTS"
log "raw results in $RESULTS"
