#!/usr/bin/env bash
# Prints the home of a JDK >= 25, or fails with a clear message.
# Order: $SEALPOST_JAVA_HOME, $JAVA_HOME, then every JDK under /usr/lib/jvm.
set -u
major_of() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}' | awk -F. '{print ($1=="1") ? $2 : $1}'
}
for home in "${SEALPOST_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [ -n "$home" ] && [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
  m=$(major_of "$home")
  if [ -n "$m" ] && [ "$m" -ge 25 ] 2>/dev/null; then echo "$home"; exit 0; fi
done
echo "error: Sealpost needs a JDK >= 25 (javac included); none found in SEALPOST_JAVA_HOME, JAVA_HOME or /usr/lib/jvm. Install one (e.g. Temurin 25) or set JAVA_HOME." >&2
exit 1
