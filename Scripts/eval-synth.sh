#!/usr/bin/env bash
# Scores the current matcher on synthetic audits: for each seed, `ressaisie synth`, then
# `ressaisie analyze --groups`, then `ressaisie evaluate`, on a release build. Prints one table:
# synth time, entries, pairwise precision / recall / F1, analyze wall time and peak RSS, and the
# per-site error on re-entries ((predicted - true) / true).
#
#   Scripts/eval-synth.sh [ENTRIES] [SEED...]      (default 100000 entries, seeds 1 2 3)
#
# Outputs are kept in ${EVAL_DIR:-/tmp/ressaisie-eval}/s<seed>/ and s<seed>-groups.csv for a closer look.
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-100000}
shift || true
seeds=("$@")
[ ${#seeds[@]} -eq 0 ] && seeds=(1 2 3)
work=${EVAL_DIR:-/tmp/ressaisie-eval}
mkdir -p "$work"
swift build -c release --product ressaisie >&2
bin=$PWD/.build/release/ressaisie
key=$(mktemp)
printf 'eval-synth-key-0123456789abcdef' > "$key"
trap 'rm -f "$key"' EXIT

printf '%-5s %8s %9s %9s %9s %9s %9s %8s  %s\n' seed "synth s" entries precision recall F1 "analyze s" "RSS MiB" "re-entries per site: true→predicted (error)"
for seed in "${seeds[@]}"; do
  out=$work/s$seed
  groups=$work/s$seed-groups.csv
  rm -rf "$out" "$groups"
  start=$(date +%s.%N)
  "$bin" synth --out "$out" --entries "$entries" --seed "$seed" --quiet
  synth_s=$(echo "$(date +%s.%N) - $start" | bc)
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/s$seed-rss" \
    "$bin" analyze "$out" --groups "$groups" --key-file "$key" --quiet --format json -o "$work/s$seed-report.json"
  analyze_s=$(echo "$(date +%s.%N) - $start" | bc)
  rss_mib=$(( $(tail -1 "$work/s$seed-rss") / 1024 ))
  "$bin" evaluate --truth "$out/truth.csv" --groups "$groups" --format json > "$work/s$seed-evaluation.json"
  python3 - "$work/s$seed-evaluation.json" "$seed" "$synth_s" "$analyze_s" "$rss_mib" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
f = lambda v: "n/a" if v is None else "%.4f" % v
sites = "; ".join("%s %d→%d (%s)" % (s["site"], s["true_re_entries"], s["predicted_re_entries"],
                  "n/a" if s["relative_difference"] is None else "%+.1f%%" % (100 * s["relative_difference"]))
                  for s in r["sites"])
print("%-5s %8.2f %9d %9s %9s %9s %9.2f %8s  %s" % (sys.argv[2], float(sys.argv[3]), r["truth_entries"], f(r["precision"]),
      f(r["recall"]), f(r["f1"]), float(sys.argv[4]), sys.argv[5], sites))
if r["entries_missing_from_truth"]:
    print("      warning: %d grouped entries are not in the truth" % r["entries_missing_from_truth"])
PY
done
