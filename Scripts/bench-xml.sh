#!/usr/bin/env bash
# XML ingest benchmark on a release build, against libxml2's own streaming speed.
#
#   Scripts/bench-xml.sh [DOCUMENTS | FOLDER]     (default 4000 CDA documents, plus FHIR bundles)
#
# Generates CDA R2 documents and FHIR R4 bundles with Scripts/gen-xml.py (cached in .build-bench/), or
# takes a folder of XML exports (SITE/dpi/*.xml…). Then, on the same files and on one core:
#   - `xmllint --stream --noout` (libxml2-utils), or when it is not installed the same reader loop in C
#     (Scripts/xml-stream-baseline.c): libxml2 reading every node and doing nothing else;
#   - `ressaisie analyze --jobs 1 --timings`: the ingest MB/s (parse, assemble, pseudonymize, fingerprint);
# and prints both MB/s and their ratio. Also runs ressaisie on all cores.
set -euo pipefail
cd "$(dirname "$0")/.."
arg=${1:-4000}
if [ -d "$arg" ]; then
  data=$arg
else
  data=.build-bench/xml-$arg
  if [ ! -d "$data" ]; then
    echo "generating $arg CDA documents and $((arg / 20)) FHIR bundles in $data…" >&2
    python3 Scripts/gen-xml.py "$arg" "$data"
  fi
fi
swift build -c release --product ressaisie >&2
bin=.build/release/ressaisie
key=$(mktemp)
list=$(mktemp)
printf 'bench-key-0123456789abcdef' > "$key"
trap 'rm -f "$key" "$list" .build-bench/xml-stream-baseline' EXIT
find "$data" -name '*.xml' -o -name '*.XML' | sort > "$list"
bytes=$(xargs -a "$list" -d '\n' cat | wc -c)

if command -v xmllint >/dev/null 2>&1; then
  reference="xmllint --stream --noout"
  baseline=(xmllint --stream --noout)
else
  reference="libxml2 reader loop in C (xmllint --stream --noout equivalent; libxml2-utils not installed)"
  mkdir -p .build-bench
  cc -O2 -o .build-bench/xml-stream-baseline Scripts/xml-stream-baseline.c $(pkg-config --cflags --libs libxml-2.0)
  baseline=(.build-bench/xml-stream-baseline)
fi

best() {  # best wall time of 3 runs, in seconds
  local best_time=999999 start end elapsed
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s.%N)
    elapsed=$(echo "$end - $start" | bc -l)
    if (( $(echo "$elapsed < $best_time" | bc -l) )); then best_time=$elapsed; fi
  done
  echo "$best_time"
}

echo "input: $(wc -l < "$list") files, $((bytes / 1000000)) MB"
lint=$(best xargs -a "$list" -d '\n' "${baseline[@]}")
lint_rate=$(echo "$bytes / $lint / 1000000" | bc -l)
printf '%s: %.0f MB/s (%.2f s)\n' "$reference" "$lint_rate" "$lint"

ingest_rate() {
  local best_rate=0 rate
  for _ in 1 2 3; do
    rate=$("$bin" analyze "$data" "$@" --key-file "$key" --quiet --timings --format json -o /dev/null 2>&1 \
      | grep -o 'ingest [0-9]* ms ([0-9]* MB/s' | grep -o '[0-9]* MB/s' | grep -o '[0-9]*')
    if [ "$rate" -gt "$best_rate" ]; then best_rate=$rate; fi
  done
  echo "$best_rate"
}
one=$(ingest_rate --jobs 1)
printf 'ressaisie ingest, 1 job: %d MB/s (%.0f %% of the reference)\n' "$one" "$(echo "$one * 100 / $lint_rate" | bc -l)"
all=$(ingest_rate)
printf 'ressaisie ingest, all cores (%d): %d MB/s\n' "$(nproc)" "$all"
"$bin" analyze "$data" --key-file "$key" --quiet --timings --format json -o /dev/null
