#!/usr/bin/env python3
"""Generates XML exports for Scripts/bench-xml.sh: CDA R2 documents (one per file, nested statements,
organizers and concern acts, like C-CDA) and FHIR R4 bundles, in SITE/dpi/ and SITE/sip/ folders.

    python3 Scripts/gen-xml.py DOCUMENTS OUT_DIR [--seed N]

Run by Scripts/bench-xml.sh (cached in .build-bench/). Kept beside `ressaisie synth` on purpose: the XML
benchmark needs XML only, in a chosen number of documents, to compare with `xmllint --stream`, and its
figures in docs/BENCHMARKS.md are on this data.
"""
import random
import sys
from pathlib import Path

LABELS = [("8310-5", "Température", "Cel", 36.0, 39.5), ("8867-4", "Pouls", "/min", 50, 120),
          ("8480-6", "Pression systolique", "mm[Hg]", 90, 170), ("29463-7", "Poids", "kg", 40, 110)]
NOTES = ["Patient calme, RAS", "Chute dans la chambre, pas de blessure", "Refus du petit déjeuner",
         "Toilette complète réalisée au lit", "Douleur abdominale, EVA 4, antalgique donné"]
DRUGS = ["Paracétamol 1 g", "Amoxicilline 500 mg", "Furosémide 40 mg", "Lévothyroxine 75 µg"]


def ts(rng, day):
    return f"202603{day:02d}{rng.randrange(6, 22):02d}{rng.randrange(60):02d}00+0100"


def cda(rng, n, statements):
    ipp = f"IPP{rng.randrange(10**6):06d}"
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3" '
           f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n  <id root="1.2.250.1.999.1" extension="DOC-{n}"/>\n'
           f'  <effectiveTime value="{ts(rng, 20)}"/>\n  <recordTarget><patientRole>\n'
           f'    <id root="1.2.250.1.213.1.4.8" extension="{rng.randrange(10**14, 10**15)}"/>\n'
           f'    <id root="1.2.250.1.999.2" extension="{ipp}"/>\n    <patient><name><given>Marie</given>'
           f'<family qualifier="BR">Dupont{n % 97}</family></name><administrativeGenderCode code="F"/>'
           f'<birthTime value="19{rng.randrange(20, 60)}0{rng.randrange(1, 10)}1{rng.randrange(0, 9)}"/></patient>\n'
           f'  </patientRole></recordTarget>\n  <author><time value="{ts(rng, 20)}"/><assignedAuthor>'
           f'<id root="1.2.250.1.71.4.2.1" extension="RPPS{rng.randrange(100)}"/><code displayName="Médecin"/>'
           f'</assignedAuthor></author>\n  <component><structuredBody>\n']
    k = 0
    while k < statements:
        kind = rng.randrange(3)
        out.append('    <component><section>\n')
        if kind == 0:
            out.append('      <code code="8716-3" codeSystem="2.16.840.1.113883.6.1" displayName="Signes vitaux"/>\n'
                       f'      <author><time value="{ts(rng, 21)}"/><assignedAuthor><id extension="IDE{rng.randrange(50)}"/>'
                       '<code displayName="Infirmier"/></assignedAuthor></author>\n      <entry><organizer classCode="CLUSTER" moodCode="EVN">\n')
            for _ in range(4):
                code, label, unit, low, high = rng.choice(LABELS)
                k += 1
                out.append(f'        <component><observation classCode="OBS" moodCode="EVN"><id root="1.2.3" extension="O{n}-{k}"/>'
                           f'<code code="{code}" codeSystem="2.16.840.1.113883.6.1" displayName="{label}"/>'
                           f'<effectiveTime value="{ts(rng, 21)}"/><value xsi:type="PQ" value="{round(rng.uniform(low, high), 1)}" unit="{unit}"/>'
                           '</observation></component>\n')
            out.append('      </organizer></entry>\n')
        elif kind == 1:
            k += 2
            out.append('      <code code="48765-2" codeSystem="2.16.840.1.113883.6.1"/>\n      <entry><act classCode="ACT" moodCode="EVN">'
                       f'<id root="1.2.4" extension="A{n}-{k}"/><code code="CONC" codeSystem="2.16.840.1.113883.5.6"/>'
                       f'<author><time value="{ts(rng, 19)}"/><assignedAuthor><id extension="RPPS{rng.randrange(100)}"/>'
                       '<code displayName="Médecin"/></assignedAuthor></author>\n'
                       f'        <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><id root="1.2.5" extension="AL{n}-{k}"/>'
                       '<code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/><value xsi:type="CD" code="416098002" displayName="Allergie médicamenteuse"/>\n'
                       f'          <entryRelationship typeCode="MFST"><observation classCode="OBS" moodCode="EVN"><id root="1.2.6" extension="R{n}-{k}"/>'
                       '<code code="ASSERTION"/><text>Urticaire généralisée</text><value xsi:type="CD" code="39579001" displayName="Anaphylaxie"/>'
                       '</observation></entryRelationship>\n        </observation></entryRelationship>\n      </act></entry>\n')
        else:
            out.append('      <code code="10160-0" codeSystem="2.16.840.1.113883.6.1"/>\n')
            for _ in range(2):
                k += 1
                out.append(f'      <entry><substanceAdministration classCode="SBADM" moodCode="EVN"><id root="1.2.7" extension="M{n}-{k}"/>'
                           f'<text>{rng.choice(NOTES)}</text><effectiveTime xsi:type="IVL_TS"><low value="{ts(rng, 18)}"/></effectiveTime>'
                           '<consumable><manufacturedProduct><manufacturedMaterial>'
                           f'<code code="340093" displayName="{rng.choice(DRUGS)}"/></manufacturedMaterial></manufacturedProduct></consumable>'
                           '</substanceAdministration></entry>\n')
        out.append('    </section></component>\n')
    out.append('  </structuredBody></component>\n</ClinicalDocument>\n')
    return "".join(out)


def fhir(rng, n, resources):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<Bundle xmlns="http://hl7.org/fhir">\n  <type value="collection"/>\n']
    patients = 20
    for k in range(resources):
        p = rng.randrange(patients)
        if k % 3 == 0:
            code, label, unit, low, high = rng.choice(LABELS)
            out.append(f'  <entry><resource><Observation><id value="o{n}-{k}"/><status value="final"/>'
                       '<category><coding><code value="vital-signs"/></coding></category>'
                       f'<code><coding><system value="http://loinc.org"/><code value="{code}"/></coding><text value="{label}"/></code>'
                       f'<subject><reference value="Patient/p{n}-{p}"/></subject><effectiveDateTime value="2026-03-21T08:00:00+01:00"/>'
                       f'<issued value="2026-03-21T08:{k % 60:02d}:00+01:00"/><performer><reference value="PractitionerRole/r{rng.randrange(5)}"/></performer>'
                       f'<valueQuantity><value value="{round(rng.uniform(low, high), 1)}"/><unit value="{unit}"/></valueQuantity></Observation></resource></entry>\n')
        elif k % 3 == 1:
            out.append(f'  <entry><resource><Communication><id value="c{n}-{k}"/><status value="completed"/>'
                       f'<subject><reference value="Patient/p{n}-{p}"/></subject><sent value="2026-03-21T10:{k % 60:02d}:00+01:00"/>'
                       f'<sender><reference value="Practitioner/d{rng.randrange(5)}"/></sender>'
                       f'<payload><contentString value="{rng.choice(NOTES)}"/></payload></Communication></resource></entry>\n')
        else:
            out.append(f'  <entry><resource><MedicationRequest><id value="m{n}-{k}"/><status value="active"/><intent value="order"/>'
                       f'<medicationCodeableConcept><text value="{rng.choice(DRUGS)}"/></medicationCodeableConcept>'
                       f'<subject><reference value="Patient/p{n}-{p}"/></subject><authoredOn value="2026-03-21T11:{k % 60:02d}:00+01:00"/>'
                       f'<requester><reference value="Practitioner/d{rng.randrange(5)}"/></requester>'
                       '<dosageInstruction><text value="1 matin et soir"/></dosageInstruction></MedicationRequest></resource></entry>\n')
    for p in range(patients):
        out.append(f'  <entry><resource><Patient><id value="p{n}-{p}"/><identifier><system value="urn:oid:1.2.250.1.213.1.4.8"/>'
                   f'<value value="{2_800_000_000_000 + p}"/></identifier><name><use value="official"/><family value="Dupont{p}"/>'
                   '<given value="Marie"/></name><gender value="female"/><birthDate value="1940-02-03"/></Patient></resource></entry>\n')
    for r in range(5):
        out.append(f'  <entry><resource><PractitionerRole><id value="r{r}"/><practitioner><reference value="Practitioner/d{r}"/></practitioner>'
                   f'<code><text value="Infirmier"/></code></PractitionerRole></resource></entry>\n'
                   f'  <entry><resource><Practitioner><id value="d{r}"/><identifier><value value="RPPS{r}"/></identifier>'
                   '<qualification><code><text value="Médecin"/></code></qualification></Practitioner></resource></entry>\n')
    out.append('</Bundle>\n')
    return "".join(out)


def main():
    documents, out = int(sys.argv[1]), Path(sys.argv[2])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    for n in range(documents):
        folder = out / f"site-{n % 4}" / "dpi"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"cda-{n:06d}.xml").write_text(cda(rng, n, 60), encoding="utf-8")
    for n in range(max(1, documents // 20)):
        folder = out / f"site-{n % 4}" / "sip"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"bundle-{n:05d}.xml").write_text(fhir(rng, n, 1200), encoding="utf-8")


if __name__ == "__main__":
    main()
