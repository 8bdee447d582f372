#!/usr/bin/env bash
# Coverage of the review estimates: do the 95 % intervals of `review --score` contain the true precision and
# recall? For seeds 1..N: `ressaisie synth --habits random` an audit (REVIEW_ENTRIES, default 20 000 entries),
# `review --sample` REVIEW_PAIRS pairs (default 200, seeded with the same seed), label them from the audit's
# truth.csv and truth-tags.tsv with Scripts/label-from-truth.py (same_fact = yes when both entries record one fact of
# the truth, copy when one is a software copy, else no: the analyst's labels, made without error), `review --score
# --format json`, and compare with the true pairwise precision and recall of `ressaisie evaluate` (analyze --groups of
# the same audit, same key and options; software copies set aside as the copy label does).
# Prints a row per seed and how many seeds' intervals contain the truth (issue 13: at least 18 of 20 for each).
#
#   Scripts/review-coverage.sh N            (release build, built once; RESSAISIE_BIN=path uses that binary)
#
# Each seed's sample, labels, estimate and evaluation are kept in ${REVIEW_DIR:-/tmp/ressaisie-review}/<seed>-*;
# its exports are removed (the seed rebuilds them).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:?usage: Scripts/review-coverage.sh N}
entries=${REVIEW_ENTRIES:-20000}
pairs=${REVIEW_PAIRS:-200}
work=${REVIEW_DIR:-/tmp/ressaisie-review}
mkdir -p "$work"
if [ -z "${RESSAISIE_BIN:-}" ]; then
  swift build -c release --product ressaisie >&2
  bin=$PWD/.build/release/ressaisie
else
  bin=$RESSAISIE_BIN
fi
key=$(mktemp)
printf 'review-coverage-key-0123456789abcdef' > "$key"
trap 'rm -f "$key"' EXIT

results=()
for seed in $(seq "$count"); do
  out=$work/$seed
  rm -rf "$out"
  "$bin" synth --out "$out" --entries "$entries" --seed "$seed" --habits random --quiet
  "$bin" review "$out" --key-file "$key" --quiet --sample "$pairs" --seed "$seed" -o "$out-sample.csv"
  python3 Scripts/label-from-truth.py "$out-sample.csv" "$out/truth.csv" > "$out-labelled.csv"
  "$bin" review --score "$out-labelled.csv" --format json -o "$out-estimate.json"
  "$bin" analyze "$out" --key-file "$key" --quiet --groups "$out-groups.csv" -o /dev/null
  "$bin" evaluate --truth "$out/truth.csv" --groups "$out-groups.csv" --format json > "$out-evaluation.json"
  results+=("$seed" "$out-estimate.json" "$out-evaluation.json")
  rm -rf "$out"
done

python3 - "${results[@]}" <<'PY'
import json, sys
args = sys.argv[1:]
rows = [(args[i], json.load(open(args[i + 1])), json.load(open(args[i + 2]))) for i in range(0, len(args), 3)]
print("%-5s %9s %-24s %-3s %9s %-24s %-3s %s" % ("seed", "precision", "estimate (95 % CI)", "in", "recall",
      "estimate (95 % CI)", "in", "reviewed"))
hits = {"precision": 0, "recall": 0}
widths = {"precision": [], "recall": []}
for seed, est, ev in rows:
    cells = []
    for key in ("precision", "recall"):
        truth, e = ev[key], est[key]
        inside = e is not None and truth is not None and e["lower"] <= truth <= (e["upper"] if e["upper"] is not None else 1)
        hits[key] += inside
        if e is not None:
            widths[key].append((e["upper"] if e["upper"] is not None else 1) - e["lower"])
        cells.append("%9.4f %-24s %-3s" % (truth, "n/a" if e is None else "%.3f (%.3f – %.3f)" % (
            e["estimate"], e["lower"], e["upper"] if e["upper"] is not None else float("inf")), "yes" if inside else "NO"))
    print("%-5s %s %s %d" % (seed, cells[0], cells[1], est["reviewed"]))
n = len(rows)
print()
for key in ("precision", "recall"):
    w = sorted(widths[key])
    print("%-9s: the 95 %% interval contains the truth in %d of %d seeds (median width %.3f)" % (
        key, hits[key], n, w[len(w) // 2] if w else float("nan")))
PY
