#!/usr/bin/env python3
"""Check the demo audit (Fixtures/demo) against its truth (Fixtures/demo-truth.csv).

Re-reads the canonical CSVs, re-implements the v1 rules of ressaisie on its own, and asserts that the
duplicate groups it finds are exactly the truth's facts with two entries or more. Also checks that the
demo is unambiguous for v1 (no group depends on the order of unions, every group is a clique of matching
pairs) and well formed (valid INS keys, unique record ids, local patient ids that differ between systems).

    python3 Scripts/check-demo.py [FIXTURES_DIR]

Exit status 0 when everything agrees, 1 otherwise. Python 3 stdlib only.

v1 rules, as implemented here:
- patients of a site are linked when they carry the same INS, or else the same normalized traits (birth
  name and first given name folded to lowercase letters and digits without accents, birth date, sex),
  unless both sides carry INS and they differ;
- two entries are the same fact when they have the same site, linked patient, category and normalized
  content (label, value, unit, text folded for case, accents and white space; values that are plain
  numbers written with a point and without trailing zeros), their recorded_at are at most 72 h apart,
  and they do not both have an effective_at that differ;
- groups are the connected components of that relation (union-find), never holding two different
  effective_at values.
"""

import csv
import datetime as dt
import io
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(HERE), "Fixtures")
DEMO = os.path.join(FIXTURES, "demo")
TRUTH = os.path.join(FIXTURES, "demo-truth.csv")

FIELDS = ["record_id", "patient_id", "ins", "birth_name", "given_names", "birth_date", "sex", "recorded_at",
          "effective_at", "author_id", "profession", "category", "label", "value", "unit", "text"]
CATEGORIES = {"vital_sign", "note", "medication", "allergy", "diagnosis", "appointment", "care_plan",
              "administrative", "activity"}
WINDOW = 72 * 3600

problems = []


def problem(message):
    problems.append(message)


# -- folding -------------------------------------------------------------------------------------------

SPECIAL = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "\u2019": "'", "\u2018": "'", "\u2013": "-",
           "\u2014": "-", "\u00a0": " ", "\u202f": " "}


def fold_text(s):
    s = "".join(SPECIAL.get(c, c) for c in s)
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return " ".join(s.lower().split())


NUMBER = re.compile(r"([+-]?)([0-9]*)(?:[.,]([0-9]+))?")


def fold_value(s):
    f = fold_text(s)
    m = NUMBER.fullmatch(f)
    if not m or not (m.group(2) or m.group(3)):
        return f
    whole = m.group(2).lstrip("0") or "0"
    frac = (m.group(3) or "").rstrip("0")
    n = whole + ("." + frac if frac else "")
    return ("-" + n) if m.group(1) == "-" and n not in ("0",) else n


def fold_name(s):
    return re.sub(r"[^a-z0-9]", "", fold_text(s))


def first_given(s):
    parts = [p for p in re.split(r"[ ,]", s) if p]
    return parts[0] if parts else ""


# -- times ---------------------------------------------------------------------------------------------

def last_sunday(year, month):
    d = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    return d - dt.timedelta(days=(d.weekday() + 1) % 7)


def paris_offset(local):
    """Europe/Paris: +02:00 from the last Sunday of March 02:00 to the last Sunday of October 03:00."""
    start = dt.datetime.combine(last_sunday(local.year, 3), dt.time(2))
    end = dt.datetime.combine(last_sunday(local.year, 10), dt.time(3))
    return 7200 if start <= local < end else 3600


TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?")


def epoch(s):
    """Seconds since the epoch of an ISO time; local times are Europe/Paris."""
    m = TIME.fullmatch(s.strip())
    if not m:
        raise ValueError("bad time %r" % s)
    y, mo, d, h, mi, sec, off = m.groups()
    local = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0))
    base = int((local - dt.datetime(1970, 1, 1)).total_seconds())
    if off is None:
        return base - paris_offset(local)
    if off == "Z":
        return base
    sign = 1 if off[0] == "+" else -1
    digits = off[1:].replace(":", "")
    return base - sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)


# -- union-find ----------------------------------------------------------------------------------------

class UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
        return min(ra, rb)


# -- reading -------------------------------------------------------------------------------------------

def system_from_name(name):
    for word in re.split(r"[^a-z0-9]+", name.lower()):
        for kind in ("dpi", "dui", "sip"):
            if word.startswith(kind):
                return kind.upper()
    return None


def ins_valid(ins):
    return re.fullmatch(r"[12]\d{14}", ins) is not None and int(ins[13:]) == 97 - int(ins[:13]) % 97


def read_demo():
    entries = []
    for dirpath, dirnames, filenames in sorted(os.walk(DEMO)):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.lower().endswith(".csv"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, DEMO)
            folder_site = rel.split(os.sep)[0]
            raw = open(path, "rb").read()
            has_bom = raw.startswith(b"\xef\xbb\xbf")
            if rel == os.path.join("ehpad-les-tilleuls", "dui.csv") and not has_bom:
                problem("%s: expected a UTF-8 BOM" % rel)
            text = raw.decode("utf-8-sig")
            header = text.split("\n", 1)[0]
            delimiter = ";" if header.count(";") > header.count(",") else ","
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            rows, lines, last = [], [], 0
            for row in reader:
                rows.append(row)
                lines.append(last + 1)  # physical line where the row starts (quoted line breaks)
                last = reader.line_num
            columns = rows[0]
            expected = (["site", "system"] if "site" in columns else []) + FIELDS
            if columns != expected:
                problem("%s: header %r, expected %r" % (rel, columns, expected))
            for line, row in zip(lines[1:], rows[1:]):
                if len(row) != len(columns):
                    problem("%s:%d: %d fields, expected %d" % (rel, line, len(row), len(columns)))
                    continue
                r = dict(zip(columns, row))
                r["site"] = r.get("site") or folder_site
                r["system"] = r.get("system") or system_from_name(os.path.splitext(name)[0])
                r["_where"] = "%s:%d" % (rel, line)
                entries.append(r)
    return entries


def read_truth():
    with open(TRUTH, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {(r["site"], r["system"], r["record_id"]): r["fact_id"] for r in rows}, rows


# -- well-formedness -----------------------------------------------------------------------------------

def check_form(entries):
    seen = set()
    identity = {}
    local_ids = defaultdict(set)
    professions = {}
    for e in entries:
        key = (e["site"], e["system"], e["record_id"])
        if key in seen:
            problem("%s: duplicate record_id %s" % (e["_where"], key))
        seen.add(key)
        if e["system"] not in ("DPI", "DUI", "SIP"):
            problem("%s: system %r" % (e["_where"], e["system"]))
        if e["ins"] and not ins_valid(e["ins"]):
            problem("%s: invalid INS %s" % (e["_where"], e["ins"]))
        if e["category"] not in CATEGORIES:
            problem("%s: category %r" % (e["_where"], e["category"]))
        if not re.fullmatch(r"\d{11}", e["author_id"]):
            problem("%s: author_id %r" % (e["_where"], e["author_id"]))
        if professions.setdefault((e["site"], e["author_id"]), e["profession"]) != e["profession"]:
            problem("%s: author %s with two professions" % (e["_where"], e["author_id"]))
        if e["sex"] not in ("M", "F"):
            problem("%s: sex %r" % (e["_where"], e["sex"]))
        for field in ("recorded_at", "effective_at"):
            if e[field]:
                try:
                    epoch(e[field])
                except ValueError:
                    problem("%s: bad %s %r" % (e["_where"], field, e[field]))
        pkey = (e["site"], e["system"], e["patient_id"])
        ident = tuple(e[f] for f in ("ins", "birth_name", "given_names", "birth_date", "sex"))
        if identity.setdefault(pkey, ident) != ident:
            problem("%s: identity of %s differs from an earlier row" % (e["_where"], pkey))
        local_ids[(e["site"], e["patient_id"])].add(e["system"])
    for (site, pid), systems in sorted(local_ids.items()):
        if len(systems) > 1:
            problem("%s: patient_id %s used by several systems %s" % (site, pid, sorted(systems)))


# -- v1 rules ------------------------------------------------------------------------------------------

def link_patients(entries):
    """Person of each (site, system, patient_id)."""
    records = {}
    for e in entries:
        key = (e["site"], e["system"], e["patient_id"])
        if key not in records:
            traits = None
            if e["birth_name"].strip() and e["given_names"].strip() and e["birth_date"].strip():
                traits = (fold_name(e["birth_name"]), fold_name(first_given(e["given_names"])),
                          e["birth_date"].strip()[:10], e["sex"].strip().upper())
                if not traits[0] or not traits[1]:
                    traits = None
            records[key] = (re.sub(r"\D", "", e["ins"]), traits)
    uf = UnionFind()
    by_ins = defaultdict(list)
    for key, (ins, _) in records.items():
        uf.find(key)
        if ins:
            by_ins[(key[0], ins)].append(key)
    for keys in by_ins.values():
        for k in keys[1:]:
            uf.union(keys[0], k)
    ins_of = {}
    for key, (ins, _) in records.items():
        if ins:
            ins_of[uf.find(key)] = ins
    by_traits = defaultdict(list)
    for key, (_, traits) in records.items():
        if traits:
            by_traits[(key[0], traits)].append(key)
    for (site, traits), keys in sorted(by_traits.items()):
        comps = sorted({uf.find(k) for k in keys})
        inses = {ins_of[c] for c in comps if c in ins_of}
        without = [c for c in comps if c not in ins_of]
        if len(inses) > 1 and without:
            problem("%s: a record without INS matches the traits of several patients with different INS "
                    "(linkage would depend on order)" % site)
        if len(inses) > 1:
            # Homonyms: each INS stays apart; nothing without INS to attach (checked above).
            continue
        for c in comps[1:]:
            root = uf.union(comps[0], c)
            if inses:
                ins_of[root] = next(iter(inses))
    return {key: uf.find(key) for key in records}


def content_key(e):
    return (fold_text(e["label"]), fold_value(e["value"]), fold_text(e["unit"]), fold_text(e["text"]))


def find_groups(entries, person):
    """Groups (frozensets of entry keys, ≥2 entries) under the v1 rules, plus ambiguity checks."""
    blocks = defaultdict(list)
    for e in entries:
        e["_t"] = epoch(e["recorded_at"])
        e["_eff"] = epoch(e["effective_at"]) if e["effective_at"].strip() else None
        e["_key"] = (e["site"], e["system"], e["record_id"])
        blocks[(e["site"], person[(e["site"], e["system"], e["patient_id"])], e["category"],
                content_key(e))].append(e)

    def matches(a, b):
        return abs(a["_t"] - b["_t"]) <= WINDOW and not (
            a["_eff"] is not None and b["_eff"] is not None and a["_eff"] != b["_eff"])

    uf = UnionFind()
    effective = {}
    pairs = []
    for block in blocks.values():
        block.sort(key=lambda e: (e["_t"], e["_key"]))
        for i, b in enumerate(block):
            for a in block[:i]:
                if matches(a, b):
                    pairs.append((a, b))
    for a, b in sorted(pairs, key=lambda p: (p[1]["_t"], p[0]["_t"], p[0]["_key"], p[1]["_key"])):
        ra, rb = uf.find(a["_key"]), uf.find(b["_key"])
        if ra == rb:
            continue
        ea = effective[ra] if ra in effective else a["_eff"]  # a component's one effective time
        eb = effective[rb] if rb in effective else b["_eff"]
        if ea is not None and eb is not None and ea != eb:
            continue
        root = uf.union(ra, rb)
        effective[root] = ea if ea is not None else eb

    members = defaultdict(set)
    for a, b in pairs:
        members[uf.find(a["_key"])].add(a["_key"])
        members[uf.find(b["_key"])].add(b["_key"])
    groups = {frozenset(m) for m in members.values() if len(m) >= 2}

    # Unambiguous for v1: every matching pair ends in one group, and every group is a clique.
    for a, b in pairs:
        if uf.find(a["_key"]) != uf.find(b["_key"]):
            problem("order-dependent: %s and %s match but were kept apart by effective times"
                    % (a["_where"], b["_where"]))
    by_key = {e["_key"]: e for e in entries}
    for g in groups:
        items = sorted(g)
        for i, x in enumerate(items):
            for y in items[:i]:
                if not matches(by_key[x], by_key[y]):
                    problem("group is not a clique: %s and %s are grouped only through others"
                            % (by_key[x]["_where"], by_key[y]["_where"]))
    return groups


# -- main ----------------------------------------------------------------------------------------------

def main():
    entries = read_demo()
    truth, truth_rows = read_truth()
    check_form(entries)

    keys = {(e["site"], e["system"], e["record_id"]) for e in entries}
    for k in sorted(keys - set(truth)):
        problem("entry %s missing from the truth" % (k,))
    for k in sorted(set(truth) - keys):
        problem("truth row %s has no entry" % (k,))
    if len(truth_rows) != len(truth):
        problem("truth has repeated rows")
    fact_sites = defaultdict(set)
    for (site, _, _), fid in truth.items():
        fact_sites[fid].add(site)
    for fid, sites in sorted(fact_sites.items()):
        if len(sites) > 1:
            problem("fact %s spans sites %s" % (fid, sorted(sites)))

    person = link_patients(entries)
    found = find_groups(entries, person)
    facts = defaultdict(set)
    for k, fid in truth.items():
        facts[fid].add(k)
    expected = {frozenset(m) for m in facts.values() if len(m) >= 2}

    where = {(e["site"], e["system"], e["record_id"]): e["_where"] for e in entries}
    for g in sorted(expected - found, key=sorted):
        problem("truth group not found: %s" % ", ".join(where.get(k, str(k)) for k in sorted(g)))
    for g in sorted(found - expected, key=sorted):
        problem("group found but not in the truth: %s" % ", ".join(where.get(k, str(k)) for k in sorted(g)))

    per_site = defaultdict(Counter)
    for e in entries:
        per_site[e["site"]]["entries"] += 1
    for g in found:
        site = next(iter(g))[0]
        per_site[site]["groups"] += 1
        per_site[site]["x%d" % min(len(g), 4)] += 1
        per_site[site]["in_groups"] += len(g)
        per_site[site]["re_entries"] += len(g) - 1
    total = Counter()
    for c in per_site.values():
        total.update(c)
    print("demo: %d entries, %d groups, %d re-entries (%.1f %% of entries in groups)" % (
        total["entries"], total["groups"], total["re_entries"],
        100.0 * total["in_groups"] / max(1, total["entries"])))
    for site in sorted(per_site):
        c = per_site[site]
        print("  %-20s %3d entries, %2d groups (x2 %d, x3 %d, x4+ %d), %2d re-entries" % (
            site, c["entries"], c["groups"], c["x2"], c["x3"], c["x4"], c["re_entries"]))
    if problems:
        for p in problems:
            print("FAIL: " + p, file=sys.stderr)
        print("demo check: %d problem(s)" % len(problems), file=sys.stderr)
        return 1
    print("demo check: truth agrees with the v1 rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
