#!/usr/bin/env python3
"""Writes Fixtures/vendor/: the demo EHPAD's DUI export as a vendor would write it — Windows-1252, `;`,
CRLF, two title lines above French headers, dates as dd/MM/yyyy with times in their own columns, sex as
H/F, professions abbreviated and entry types in the vendor's words. Its canonical twin is
Fixtures/demo/ehpad-les-tilleuls/dui.csv: read through `inspect --write-profile` and `analyze --profile`,
it must give exactly the same entries (Tests/EndToEndTests/ProfileTests.swift).

usage: Scripts/make-vendor-fixture.py
"""
import csv, datetime, io, os

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")
source = os.path.join(root, "demo", "ehpad-les-tilleuls", "dui.csv")
target_dir = os.path.join(root, "vendor", "ehpad-les-tilleuls")
target = os.path.join(target_dir, "dui-export-2026-03.csv")

PROFESSIONS = {"IDE": "IDE", "aide-soignant": "AS", "cadre de santé": "Cadre", "médecin": "Méd.", "secrétaire": "Sec."}
TYPES = {"vital_sign": "Constante", "note": "Transmission", "medication": "Administration", "care_plan": "Projet de soins",
         "allergy": "Allergie", "activity": "Acte", "administrative": "Administratif", "appointment": "Rendez-vous",
         "diagnosis": "Pathologie"}
PARIS = datetime.timezone(datetime.timedelta(hours=1))  # all demo dates are in March 2026, before summer time


def split(text):
    """ISO time (with or without offset) → (dd/MM/yyyy, HH:mm) on Paris wall clock; ('', '') when empty."""
    if not text:
        return "", ""
    moment = datetime.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(PARIS)
    assert moment.second == 0, text
    return moment.strftime("%d/%m/%Y"), moment.strftime("%H:%M")


rows = list(csv.DictReader(open(source, encoding="utf-8-sig", newline=""), delimiter=";"))
out = io.StringIO(newline="")
out.write("Export Dossier Usager Informatisé — EHPAD Les Tilleuls\r\n")
out.write("Période : du 01/03/2026 au 31/03/2026;;;\r\n")
writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
writer.writerow(["N° saisie", "N° résident", "Matricule INS", "Nom de naissance", "Prénom", "Né(e) le", "Sexe",
                 "Date saisie", "Heure saisie", "Date soin", "Heure soin", "Saisi par", "Fonction", "Type",
                 "Libellé", "Valeur", "Unité", "Observation"])
for row in rows:
    born = datetime.date.fromisoformat(row["birth_date"]).strftime("%d/%m/%Y") if row["birth_date"] else ""
    writer.writerow([row["record_id"], row["patient_id"], row["ins"], row["birth_name"], row["given_names"], born,
                     {"M": "H", "F": "F"}.get(row["sex"], row["sex"]), *split(row["recorded_at"]),
                     *split(row["effective_at"]), row["author_id"], PROFESSIONS[row["profession"]],
                     TYPES[row["category"]], row["label"], row["value"], row["unit"], row["text"]])
os.makedirs(target_dir, exist_ok=True)
with open(target, "wb") as f:
    f.write(out.getvalue().encode("cp1252"))
print(f"{target}: {len(rows)} rows")
