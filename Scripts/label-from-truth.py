#!/usr/bin/env python3
"""Labels a review sample (`ressaisie review --sample`) from a synthetic audit's truth (`ressaisie synth`):
same_fact is yes when both entries of a pair record the same fact in truth.csv, else no; copy when the tags
(truth-tags.tsv beside the truth, or TAGS) mark either entry as a software copy (role republished or
interface_copy: no one typed it), as `ressaisie evaluate` sets those aside. The '#' lines before the header are
kept. Used by Scripts/review-coverage.sh; a real sample is labelled by the analyst.

    Scripts/label-from-truth.py SAMPLE.csv TRUTH.csv [TAGS] > LABELLED.csv
"""
import csv
import os
import sys

sample_path, truth_path = sys.argv[1], sys.argv[2]
fact = {}
with open(truth_path, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        fact[(row["site"], row["system"], row["record_id"])] = row["fact_id"]
tags_path = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(truth_path), "truth-tags.tsv")
copies = set()
if os.path.exists(tags_path):
    with open(tags_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["role"] in ("republished", "interface_copy"):
                copies.add((row["site"], row["system"], row["record_id"]))

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
    key_a = (row["site"], row["system_a"], row["record_id_a"])
    key_b = (row["site"], row["system_b"], row["record_id_b"])
    a, b = fact.get(key_a), fact.get(key_b)
    if key_a in copies or key_b in copies:
        row["same_fact"] = "copy"
    elif a is None or b is None:
        missing += 1
        row["same_fact"] = ""
    else:
        row["same_fact"] = "yes" if a == b else "no"
    writer.writerow(row)
if missing:
    print("label-from-truth: %d pair(s) with an entry not in the truth, left unlabelled" % missing, file=sys.stderr)
