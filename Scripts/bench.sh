#!/usr/bin/env bash
# Ingest and analysis benchmark on a release build.
#
#   Scripts/bench.sh [ENTRIES]      (default 1 000 000)
#
# Generates a canonical CSV audit with Scripts/gen-canonical.py (cached in .build-bench/), then runs
# `ressaisie analyze` on it: once on a single file with one job (single-core CSV ingest, MB/s), and once
# on the per-site folders with the default parallelism, and once on the single file in Windows-1252
# (decoded on the fly). Prints entries/s, MB/s and peak RSS per entry. Then the XML benchmark against
# `xmllint --stream --noout` (Scripts/bench-xml.sh on 1000 CDA documents and 50 FHIR bundles), unless
# BENCH_XML=0.
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-1000000}
data=.build-bench/canonical-$entries
if [ ! -d "$data" ]; then
  echo "generating $entries entries in $data…" >&2
  python3 Scripts/gen-canonical.py "$entries" "$data/folders"
  python3 Scripts/gen-canonical.py "$entries" "$data/single" --single-file
fi
if [ ! -d "$data/single-1252" ]; then
  mkdir -p "$data/single-1252"
  iconv -f utf-8 -t windows-1252 "$data/single/all.csv" > "$data/single-1252/all.csv"
fi
swift build -c release --product ressaisie >&2
bin=.build/release/ressaisie
key=$(mktemp)
printf 'bench-key-0123456789abcdef' > "$key"
trap 'rm -f "$key"' EXIT

run() {
  local label=$1; shift
  local log
  log=$(mktemp)
  /usr/bin/time -f 'rss_kb=%M wall=%e' "$bin" analyze "$@" --key-file "$key" --quiet --timings --format json -o /dev/null 2> "$log"
  local rss timings bytes count
  rss=$(grep -o 'rss_kb=[0-9]*' "$log" | cut -d= -f2)
  timings=$(grep '^timings:' "$log")
  count=$(echo "$timings" | grep -o '[0-9]* entries,' | grep -o '[0-9]*')
  echo "$label: $timings"
  echo "$label: peak RSS $((rss / 1024)) MiB, $((rss * 1024 / count)) bytes per entry, wall $(grep -o 'wall=[0-9.]*' "$log" | cut -d= -f2) s"
  rm -f "$log"
}

echo "input: $(du -sh "$data/single" | cut -f1) single file, $(du -sh "$data/folders" | cut -f1) in folders"
run "single file, 1 job" "$data/single" --jobs 1
run "folders, all cores" "$data/folders"
run "single file, Windows-1252, 1 job" "$data/single-1252" --jobs 1

if [ "${BENCH_XML:-1}" != 0 ]; then
  echo "XML ingest against libxml2 alone:"
  Scripts/bench-xml.sh 1000
fi
