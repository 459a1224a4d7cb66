#!/usr/bin/env bash
# Assembles dist/sealpost/ from the built app module: bin/sealpost, lib/*.jar, conf/, systemd/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=dist/sealpost
rm -rf "$out"
mkdir -p "$out/bin" "$out/lib" "$out/conf" "$out/systemd"
cp app/target/lib/*.jar "$out/lib/"
cp app/target/sealpost-app-*.jar "$out/lib/"
cp scripts/sealpost "$out/bin/sealpost"
cp scripts/find-jdk.sh "$out/bin/find-jdk.sh"
cp conf/sealpost.toml "$out/conf/sealpost.toml"
cp dist/systemd/sealpost.service "$out/systemd/sealpost.service"
chmod +x "$out/bin/sealpost" "$out/bin/find-jdk.sh"
echo "built $out"
