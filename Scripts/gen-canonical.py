#!/usr/bin/env python3
"""Writes a large synthetic audit in canonical CSV for benchmarks: ENTRIES rows spread over sites and
systems, about a fifth of them copied into another system. Deterministic for a given seed.

Run by Scripts/bench.sh (cached in .build-bench/), or by hand:

usage: python3 Scripts/gen-canonical.py ENTRIES OUT_DIR [--sites N] [--seed N] [--single-file]

Kept beside `ressaisie synth` on purpose: the speed figures of docs/BENCHMARKS.md, and their history, are on
this data — canonical CSV only (one file, or per-site folders), half of it notes, identities repeating every
420 patients (a worst case for linkage) — whereas synth mixes vendor CSV, FHIR and CDA, whose speeds differ.
"""
import argparse, os, random

HEADER = "record_id,patient_id,ins,birth_name,given_names,birth_date,sex,recorded_at,effective_at,author_id,profession,category,label,value,unit,text\n"
NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Le Goff", "Lefèvre", "Garçon", "Dupré"]
GIVEN = ["Marie", "Jean", "Élodie", "Pierre", "Jeanne", "Louis", "Bérénice", "Jean-Pierre", "Françoise", "André"]
PROFESSIONS = ["IDE", "aide-soignant", "médecin", "kinésithérapeute", "secrétaire"]
NOTES = ["Chute dans la chambre, pas de plaie", "Patient calme, a bien dormi", "Refus du repas du soir",
         "Douleur abdominale signalée à 14h", "Famille reçue, projet de soins expliqué", "Pansement refait, plaie propre"]
VITALS = [("Température", "°C", lambda r: f"{r.uniform(36, 39.5):.1f}".replace(".", ",")),
          ("Pouls", "/min", lambda r: str(r.randint(50, 120))),
          ("Poids", "kg", lambda r: f"{r.uniform(40, 100):.1f}")]

def main():
    p = argparse.ArgumentParser()
    p.add_argument("entries", type=int)
    p.add_argument("out")
    p.add_argument("--sites", type=int, default=4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--single-file", action="store_true", help="one file with site and system columns")
    a = p.parse_args()
    r = random.Random(a.seed)
    per_site = a.entries // a.sites
    os.makedirs(a.out, exist_ok=True)
    single = open(os.path.join(a.out, "all.csv"), "w", encoding="utf-8") if a.single_file else None
    if single:
        single.write("site,system," + HEADER)
    for s in range(a.sites):
        site = f"site-{s:02d}"
        outs = {}
        if not single:
            os.makedirs(os.path.join(a.out, site), exist_ok=True)
            for system in ("dpi", "dui"):
                f = open(os.path.join(a.out, site, f"{system}.csv"), "w", encoding="utf-8")
                f.write(HEADER)
                outs[system] = f
        patients = max(10, per_site // 40)
        written = 0
        n = 0
        while written < per_site:
            pid = r.randrange(patients)
            name, given = NAMES[pid % len(NAMES)], GIVEN[(pid // 7) % len(GIVEN)]
            birth = f"19{30 + pid % 60:02d}-{1 + pid % 12:02d}-{1 + pid % 28:02d}"
            sex = "F" if pid % 2 else "M"
            ins = f"{pid:013d}{97 - pid % 97:02d}" if pid % 3 else ""  # 13 digits and the INS check key
            day, minute = 1 + r.randrange(28), r.randrange(24 * 60)
            when = f"2026-03-{day:02d} {minute // 60:02d}:{minute % 60:02d}"
            if r.random() < 0.5:
                label, unit, value = VITALS[r.randrange(len(VITALS))]
                fields = ("vital_sign", label, value(r), unit, "", when)
            else:
                fields = ("note", "Transmission", "", "", NOTES[r.randrange(len(NOTES))] + f" ({n % 97})", "")
            copies = 2 if r.random() < 0.2 else 1
            for c in range(copies):
                system = ("dpi", "dui")[(n + c) % 2]
                rid = f"{system[1:]}{n}-{c}"
                local = f"{'IPP' if system == 'dpi' else 'R-'}{pid}"
                author = f"1000{(pid + c) % 50:07d}"
                row = [rid, local, ins, name, given, birth, sex, when if c == 0 else when[:-2] + f"{(minute % 60 + 9) % 60:02d}",
                       fields[5], author, PROFESSIONS[(pid + c) % 5], fields[0], fields[1], fields[2], fields[3], fields[4]]
                line = ",".join(f'"{v}"' if ("," in v or '"' in v) else v for v in row) + "\n"
                if single:
                    single.write(f"{site},{system.upper()}," + line)
                else:
                    outs[system].write(line)
                written += 1
            n += 1
        for f in outs.values():
            f.close()
    if single:
        single.close()

if __name__ == "__main__":
    main()
