#!/usr/bin/env python3
"""Labels a review sample (`ressaisie review --sample`) from a synthetic audit's truth (`ressaisie synth`):
same_fact is yes when both entries of a pair record the same fact in truth.csv, else no. The '#' lines
before the header are kept. Used by Scripts/review-coverage.sh; a real sample is labelled by the analyst.

    Scripts/label-from-truth.py SAMPLE.csv TRUTH.csv > LABELLED.csv
"""
import csv
import sys

sample_path, truth_path = sys.argv[1], sys.argv[2]
fact = {}
with open(truth_path, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        fact[(row["site"], row["system"], row["record_id"])] = row["fact_id"]

with open(sample_path, newline="", encoding="utf-8") as f:
    lines = f.read().splitlines(keepends=True)
comments = [line for line in lines if line.startswith("#")]
body = [line for line in lines[len(comments):]]
out = sys.stdout
out.writelines(comments)
reader = csv.DictReader(body)
writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
writer.writeheader()
missing = 0
for row in reader:
    a = fact.get((row["site"], row["system_a"], row["record_id_a"]))
    b = fact.get((row["site"], row["system_b"], row["record_id_b"]))
    if a is None or b is None:
        missing += 1
        row["same_fact"] = ""
    else:
        row["same_fact"] = "yes" if a == b else "no"
    writer.writerow(row)
if missing:
    print("label-from-truth: %d pair(s) with an entry not in the truth, left unlabelled" % missing, file=sys.stderr)
