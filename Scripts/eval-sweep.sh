#!/usr/bin/env bash
# Robustness sweep: how the current matcher does on audits whose writing habits it cannot know. For N fresh
# draws, `ressaisie synth --habits random` (markers, headings, layouts, abbreviations, typos, time stamps,
# interface copies and republications drawn per site and system), then `analyze --groups` and `evaluate`,
# at two sizes, on a release build built once. Prints a row per draw and size (seed, entries, precision,
# recall, F1, per-site error on re-entries, worst hard-negative merge share, copies kept in groups), then a
# summary: min / median / max of F1 and of the per-site errors, the same for the lower bound a report
# states (re-entries less those that could be interface copies) with how many sites' truth falls in that
# range, and the worst merge share per hard-negative kind over all draws.
#
#   Scripts/eval-sweep.sh N [SEED...]     (N fresh seeds from /dev/urandom; given seeds are replayed instead)
#
# Sizes: SWEEP_SMALL (default 20000) and SWEEP_LARGE (default 200000) entries; SWEEP_LARGE=0 skips the
# large size. Seeds are printed so that any draw can be replayed: Scripts/eval-sweep.sh 1 SEED.
# Each draw's groups, report and evaluation are kept in ${EVAL_DIR:-/tmp/ressaisie-sweep}/<seed>-<entries>-*;
# its exports are removed (the seed rebuilds them: ressaisie synth --habits random --seed SEED --entries N).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:?usage: Scripts/eval-sweep.sh N [SEED...]}
shift
seeds=("$@")
if [ ${#seeds[@]} -eq 0 ]; then
  for _ in $(seq "$count"); do seeds+=("$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')"); done
fi
sizes=("${SWEEP_SMALL:-20000}")
[ "${SWEEP_LARGE:-200000}" != 0 ] && sizes+=("${SWEEP_LARGE:-200000}")
work=${EVAL_DIR:-/tmp/ressaisie-sweep}
mkdir -p "$work"
swift build -c release --product ressaisie >&2
bin=$PWD/.build/release/ressaisie
key=$(mktemp)
printf 'eval-sweep-key-0123456789abcdef' > "$key"
trap 'rm -f "$key"' EXIT

echo "seeds: ${seeds[*]}"
results=()
for seed in "${seeds[@]}"; do
  for entries in "${sizes[@]}"; do
    out=$work/$seed-$entries
    rm -rf "$out" "$out-groups.csv"
    "$bin" synth --out "$out" --entries "$entries" --seed "$seed" --habits random --quiet
    "$bin" analyze "$out" --groups "$out-groups.csv" --key-file "$key" --quiet --format json -o "$out-report.json"
    "$bin" evaluate --truth "$out/truth.csv" --groups "$out-groups.csv" --format json > "$out-evaluation.json"
    results+=("$seed" "$entries" "$out-evaluation.json" "$out-report.json")
    rm -rf "$out"  # the exports of a draw are rebuilt from its seed
  done
done

python3 - "${results[@]}" <<'PY'
import json, statistics, sys
args = sys.argv[1:]
rows = [(args[i], int(args[i + 1]), json.load(open(args[i + 2])), json.load(open(args[i + 3]))) for i in range(0, len(args), 4)]
f = lambda v: "n/a" if v is None else "%.4f" % v
pct = lambda v: "n/a" if v is None else "%+.1f%%" % (100 * v)
print("%-16s %8s %9s %9s %9s  %-34s %14s %12s" % ("seed", "entries", "precision", "recall", "F1",
      "re-entry error per site", "worst false", "copies in"))
print("%-16s %8s %9s %9s %9s  %-34s %14s %12s" % ("", "", "", "", "", "", "merge share", "groups"))
f1s, errors, worst, lower_errors, covered = {}, {}, {}, {}, {}
for seed, entries, r, report in rows:
    errs = [s["relative_difference"] for s in r["sites"] if s["relative_difference"] is not None]
    # The report's range: re-entries less those that could be interface copies, up to re-entries.
    possible = {s["site"]: s.get("re_entries_possible_interface_copies", 0) for s in report["sites"]}
    for s in r["sites"]:
        if not s["true_re_entries"]: continue
        low = s["predicted_re_entries"] - possible.get(s["site"], 0)
        lower_errors.setdefault(entries, []).append((low - s["true_re_entries"]) / s["true_re_entries"])
        inside = low <= s["true_re_entries"] * 1.05 and s["true_re_entries"] <= s["predicted_re_entries"] * 1.05
        covered.setdefault(entries, []).append(inside)
    negatives = r.get("hard_negatives", {})
    merge = max((k["share"] or 0 for k in negatives.values()), default=0)
    for kind, k in negatives.items():
        worst[kind] = max(worst.get(kind, (0, "")), (k["share"] or 0, "%s@%d" % (seed, entries)))
    copies = sum(k["in_groups"] for k in r.get("copies", {}).values())
    copied = sum(k["entries"] for k in r.get("copies", {}).values())
    print("%-16s %8d %9s %9s %9s  %-34s %13.1f%% %12s" % (seed, entries, f(r["precision"]), f(r["recall"]), f(r["f1"]),
          " ".join(pct(e) for e in errs), 100 * merge, "%d/%d" % (copies, copied)))
    if r["f1"] is not None: f1s.setdefault(entries, []).append(r["f1"])
    errors.setdefault(entries, []).extend(errs)
print()
for entries in sorted(f1s):
    fs, es = f1s[entries], errors[entries]
    print("%8d entries, %d draws: F1 min %.4f median %.4f max %.4f; per-site re-entry error min %s median %s max %s"
          % (entries, len(fs), min(fs), statistics.median(fs), max(fs), pct(min(es)), pct(statistics.median(es)), pct(max(es))))
    ls, cs = lower_errors.get(entries, []), covered.get(entries, [])
    if ls:
        print("%8s lower bound (less possible interface copies): error min %s median %s max %s; truth within [lower bound, count] ±5%%: %d/%d sites"
              % ("", pct(min(ls)), pct(statistics.median(ls)), pct(max(ls)), sum(cs), len(cs)))
print("hard negatives, worst merge share over the draws (seed@entries):")
for kind in sorted(worst):
    share, where = worst[kind]
    print("  %-24s %5.1f%%  %s" % (kind, 100 * share, where if share > 0 else ""))
PY
