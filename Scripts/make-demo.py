#!/usr/bin/env python3
"""Generate the bundled demo audit of ressaisie (Fixtures/demo) and its ground truth.

    python3 Scripts/make-demo.py            # writes Fixtures/demo/, Fixtures/demo-truth.csv,
                                            # Fixtures/demo-README.md
    python3 Scripts/check-demo.py           # re-reads them and checks the truth against the v1 rules

Three invented sites (an EHPAD, a hospital, a primary-care centre) with canonical CSV exports of their
systems (DPI, DUI, SIP). Every entry belongs to a *fact* (fact_id in the truth); entries sharing a fact
are the same information typed several times. The positive cases (copies) and the hard negatives (look
alike but are different facts) are small functions below; the rest is background: single entries and a
few plain copies, drawn so that they never collide with anything else.

Deterministic: one random.Random(2026), no clock, no locale, no set iteration. Python 3 stdlib only.
All names, identifiers (INS, RPPS, IPP) and texts are synthetic.
"""

import csv
import datetime as dt
import io
import os
import random
import re
import unicodedata
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Fixtures")
DEMO = os.path.join(FIXTURES, "demo")

rng = random.Random(2026)

COLUMNS = ["record_id", "patient_id", "ins", "birth_name", "given_names", "birth_date", "sex",
           "recorded_at", "effective_at", "author_id", "profession", "category", "label", "value",
           "unit", "text"]

IDE, AS, MED, KINE, SEC, CADRE = ("IDE", "aide-soignant", "médecin", "kinésithérapeute", "secrétaire",
                                  "cadre de santé")

# Who types what.
WRITERS = {
    "vital_sign": [IDE, AS],
    "note": [IDE, AS, MED],
    "medication": [IDE, MED],
    "allergy": [MED, IDE],
    "diagnosis": [MED],
    "appointment": [SEC],
    "care_plan": [IDE, CADRE, MED],
    "administrative": [SEC, CADRE],
    "activity": [KINE, AS],
}

# Everything happens in March 2026, before the change to summer time (29 March): +01:00 throughout.
DST_START = dt.datetime(2026, 3, 29, 2, 0)
WINDOW = dt.timedelta(hours=72)


# ---------------------------------------------------------------------------------------------------
# Small text helpers (the generator's own folding, used to keep background entries from colliding)

def strip_accents(s):
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn"))


def fold(s):
    s = strip_accents(s).lower().replace("œ", "oe").replace("æ", "ae")
    return " ".join(s.split())


def fold_value(v):
    f = fold(v)
    body = f[1:] if f[:1] in "+-" else f
    parts = body.replace(",", ".").split(".")
    if body and len(parts) <= 2 and all(p.isdigit() or p == "" for p in parts) and any(parts) \
            and (len(parts) == 1 or parts[1] != ""):
        whole = parts[0].lstrip("0") or "0"
        frac = parts[1].rstrip("0") if len(parts) == 2 else ""
        return whole + ("." + frac if frac else "")
    return f


def content_key(content):
    label, value, unit, text = content
    return (fold(label), fold_value(value), fold(unit), fold(text))


def upper_plain(s):
    return strip_accents(s).upper()


# ---------------------------------------------------------------------------------------------------
# People

BIRTH_NAMES = [
    "Lefèvre", "Le Goff", "Dupré", "Moreau", "Guérin", "Rousseau", "Fontaine", "Chevalier", "Garnier",
    "Mercier", "Blanchard", "Boucher", "Perrin", "Lemaître", "Morel", "Gauthier", "Rivière", "Hébert",
    "Ménard", "Carré", "Le Bihan", "Da Silva", "Prévost", "Besnard", "Deschamps", "Texier", "Royer",
    "Lacroix", "Poirier", "Barthélemy", "Aubé", "Lemoine", "Benoît", "Renaud", "Caron", "Brunet",
    "Roux", "Faure", "Léger", "Pelletier", "Marchal", "Bouvier", "Colas", "Thibault", "Gérard",
    "De Oliveira", "Le Roux", "Vasseur", "Huet", "Sénéchal", "Boulanger", "Tessier", "Jacquet",
    "Maréchal", "Bonnet", "Clément", "Vidal", "Giraud", "Dufour", "Lebrun",
]
GIVEN_F = ["Élodie", "Bérénice", "Jeanne", "Marie-Thérèse", "Geneviève", "Hélène", "Simone", "Françoise",
           "Odette", "Madeleine", "Colette", "Anaïs", "Léa", "Chloé", "Maëlle", "Renée", "Josiane",
           "Paulette", "Solène", "Aurélie", "Édith", "Noémie", "Marie-Noëlle", "Ginette", "Thérèse"]
GIVEN_M = ["Jean-Pierre", "René", "Gérard", "André", "François", "Lucien", "Marcel", "Joël", "Hervé",
           "Jérôme", "Raymond", "Loïc", "Théo", "Maxime", "Frédéric", "Rémi", "Aimé", "Jean-Baptiste",
           "Étienne", "Gaëtan", "Bruno", "Jean-Michel", "Léon", "Émile", "Benoît"]
SECOND_GIVEN_F = ["Marie", "Louise", "Andrée", "Suzanne"]
SECOND_GIVEN_M = ["Marie", "Louis", "Joseph", "Henri"]


def ins_for(sex, birth_date, dept):
    """A 15-digit NIR-style matricule: sex, year, month, department, commune, order, then the key
    97 - (first 13 digits mod 97)."""
    body = "%d%02d%02d%s%03d%03d" % (1 if sex == "M" else 2, birth_date.year % 100, birth_date.month,
                                     dept, rng.randint(1, 450), rng.randint(1, 999))
    assert len(body) == 13
    return body + "%02d" % (97 - int(body) % 97)


class Record:
    """A patient as one system knows them."""

    def __init__(self, system, patient_id, ins, birth_name, given_names):
        self.system, self.patient_id, self.ins = system, patient_id, ins
        self.birth_name, self.given_names = birth_name, given_names


class Person:
    def __init__(self, key, sex, birth_name, given, birth_date, ins):
        self.key, self.sex, self.birth_name, self.given = key, sex, birth_name, given
        self.birth_date, self.ins = birth_date, ins
        self.records = {}
        self.reserved = False  # kept out of random picks (a case needs exactly its own entries)

    def systems(self):
        return list(self.records)


class Author:
    def __init__(self, author_id, profession, systems):
        self.author_id, self.profession, self.systems = author_id, profession, systems


class Entry:
    def __init__(self, site, system, person, recorded, effective, author, category, content, fact_id,
                 time_style):
        self.site, self.system, self.person = site, system, person
        self.recorded, self.effective, self.author = recorded, effective, author
        self.category, self.content, self.fact_id = category, content, fact_id
        self.time_style = time_style
        self.record_id = None


class Copy:
    """One entry of a fact: which system, how long after the first entry, who typed it, how the text was
    written (a variant function of the content) and whether the effective time was filled in."""

    def __init__(self, system, lag=0, author=None, variant=None, effective=True, same_author_as=None):
        self.system, self.lag, self.author, self.variant = system, lag, author, variant
        self.effective, self.same_author_as = effective, same_author_as


class Fact:
    def __init__(self, fact_id, site, person, category, tags):
        self.fact_id, self.site, self.person, self.category, self.tags = fact_id, site, person, category, tags
        self.entries = []


# ---------------------------------------------------------------------------------------------------
# Sites

class Site:
    def __init__(self, name, systems, dept, birth_years, id_formats, time_styles, name_styles):
        self.name, self.systems, self.dept, self.birth_years = name, systems, dept, birth_years
        self.id_formats, self.time_styles, self.name_styles = id_formats, time_styles, name_styles
        self.persons, self.authors, self.entries, self.facts = [], [], [], []
        self.used_ids, self.used_traits = set(), set()
        self.claims = {}
        self.negatives = Counter()

    # -- people -------------------------------------------------------------------------------------
    def new_local_id(self, system):
        while True:
            pid = self.id_formats[system](rng)
            if (system, pid) not in self.used_ids:
                self.used_ids.add((system, pid))
                return pid

    def add_person(self, systems, ins_on, sex=None, birth_name=None, given=None, birth_date=None, ins=None,
                   homonym_ok=False):
        """ins_on: the systems whose record carries the INS."""
        sex = sex or rng.choice("FM")
        while True:
            bn = birth_name or rng.choice(BIRTH_NAMES)
            gv = given or rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
            bd = birth_date or dt.date(rng.randint(*self.birth_years), rng.randint(1, 12), rng.randint(1, 28))
            # No two persons share a birth name and a birth date (homonyms excepted), so that identity
            # traits never link two persons by accident, however the first given name is cut.
            name_key = (re.sub(r"[^a-z0-9]", "", fold(bn)), bd)
            if name_key not in self.used_traits:
                break
            if homonym_ok:
                break
            assert not (birth_name and birth_date), "explicit identity already used: %s %s" % (bn, bd)
        self.used_traits.add(name_key)
        person = Person("%s/p%03d" % (self.name, len(self.persons) + 1), sex, bn, gv, bd,
                        ins or ins_for(sex, bd, self.dept))
        for system in systems:
            bname, gnames = spell(bn, gv, sex, self.name_styles.get(system))
            person.records[system] = Record(system, self.new_local_id(system),
                                            person.ins if system in ins_on else "", bname, gnames)
        self.persons.append(person)
        return person

    def pick_person(self, systems=None, ins="any", exclude=()):
        """A person known to all `systems`; ins: 'all' (INS on every record), 'partial' (on some but not
        all), 'none', 'any'."""
        def ok(p):
            if p in exclude or any(s not in p.records for s in (systems or [])):
                return False
            recs = [p.records[s] for s in (systems or p.systems())]
            has = [bool(r.ins) for r in recs]
            return {"any": True, "all": all(has), "none": not any(has),
                    "partial": any(has) and not all(has), "notall": not all(has)}[ins]
        candidates = [p for p in self.persons if ok(p) and not p.reserved]
        assert candidates, (self.name, systems, ins)
        return rng.choice(candidates)

    # -- staff --------------------------------------------------------------------------------------
    def add_staff(self, profession, systems, count):
        for _ in range(count):
            self.authors.append(Author("10" + "".join(str(rng.randint(0, 9)) for _ in range(9)),
                                       profession, systems))

    def pick_author(self, system, category, also=None, exclude=None, profession=None):
        """Someone who types this category in `system` (and in `also` too, for self re-entries)."""
        writers = [profession] if profession else WRITERS[category]
        candidates = [a for a in self.authors if system in a.systems and a.profession in writers
                      and (also is None or also in a.systems)]
        if len(candidates) > 1:
            candidates = [a for a in candidates if a is not exclude]
        assert candidates, (self.name, system, category, also)
        return rng.choice(candidates)

    # -- facts --------------------------------------------------------------------------------------
    def is_free(self, person, category, content):
        return (person.key, category, content_key(content)) not in self.claims

    def claim(self, person, category, content, shared):
        """Registers what a fact says about a person. Two facts may say the same thing only when a hard
        negative sets them apart on purpose (same `shared` tag)."""
        key = (person.key, category, content_key(content))
        if key in self.claims:
            if shared is None or self.claims[key] != shared:
                return False
        self.claims[key] = shared
        return True

    def fact(self, person, category, content, start, copies, effective=None, tags=(), shared=None):
        if not self.claim(person, category, content, shared):
            raise ValueError("content already used for this person: %r" % (content,))
        fact = Fact("", self, person, category, list(tags))
        first_author = None
        for copy in copies:
            assert copy.system in person.records, (self.name, person.key, copy.system)
            if copy.author is not None:
                author = copy.author
            elif copy.same_author_as is not None:
                author = fact.entries[copy.same_author_as].author
            else:
                author = self.pick_author(copy.system, category,
                                          exclude=first_author if len(copies) > 1 else None)
            first_author = first_author or author
            assert copy.system in author.systems
            recorded = start + dt.timedelta(minutes=copy.lag)
            assert recorded < DST_START - dt.timedelta(hours=1)
            eff = effective if (effective is not None and copy.effective) else None
            body = copy.variant(content) if copy.variant else content
            entry = Entry(self, copy.system, person, recorded, eff, author, category, body, None,
                          self.time_styles[copy.system](rng))
            fact.entries.append(entry)
            self.entries.append(entry)
        self.facts.append(fact)
        return fact

    def single(self, person, system, category, content, start, effective=None, tags=(), shared=None,
               author=None):
        return self.fact(person, category, content, start, [Copy(system, author=author)], effective, tags,
                         shared)


def spell(birth_name, given, sex, style):
    """How a second system writes the same identity (same traits once folded)."""
    if style is None:
        return birth_name, given
    if style == "upper":
        return upper_plain(birth_name), upper_plain(given)
    if style == "plain":      # accents dropped, case kept
        return strip_accents(birth_name), strip_accents(given)
    if style == "glued":      # compound birth name glued or hyphenated, capitals
        glued = birth_name.replace(" ", "-") if " " in birth_name else birth_name
        return upper_plain(glued), given
    if style == "second-given":  # all given names, first one as written elsewhere
        extra = rng.choice(SECOND_GIVEN_F if sex == "F" else SECOND_GIVEN_M)
        return birth_name, "%s %s" % (given, extra)
    if style == "mixed":
        return spell(birth_name, given, sex, rng.choice([None, "upper", "plain", "glued", "second-given"]))
    raise ValueError(style)


# ---------------------------------------------------------------------------------------------------
# Time helpers

def at(day, hour, minute=0):
    return dt.datetime(2026, 3, day, hour, minute)


def rand_time(days=(2, 24), hours=(7, 20)):
    return at(rng.randint(*days), rng.randint(*hours), rng.choice(range(0, 60, 1)))


def measured_before(t):
    """When a measure typed at t was taken: a round time a little before."""
    back = t - dt.timedelta(minutes=rng.randint(5, 40))
    return back.replace(minute=back.minute - back.minute % 5, second=0)


# ---------------------------------------------------------------------------------------------------
# Contents

def vital(kind=None):
    kind = kind or rng.choice(["temp", "pouls", "ta", "spo2", "poids", "glyc", "eva", "fr"])
    if kind == "temp":
        return ("Température", "%.1f" % rng.uniform(36.0, 38.9), "°C", "")
    if kind == "pouls":
        return ("Pouls", str(rng.randint(55, 105)), "bpm", "")
    if kind == "ta":
        return ("Tension artérielle", "%d/%d" % (rng.randint(105, 165), rng.randint(55, 95)), "mmHg", "")
    if kind == "spo2":
        return ("Saturation en oxygène", str(rng.randint(90, 99)), "%", "")
    if kind == "poids":
        return ("Poids", "%.1f" % rng.uniform(44, 96), "kg", "")
    if kind == "glyc":
        return ("Glycémie capillaire", "%.2f" % rng.uniform(0.8, 2.4), "g/L", "")
    if kind == "eva":
        return ("Douleur (EVA)", str(rng.randint(0, 8)), "", "")
    return ("Fréquence respiratoire", str(rng.randint(14, 24)), "/min", "")


NOTES = [
    "Chute dans la chambre vers {h} h, pas de plaie, surveillance neurologique.",
    "Refus du petit-déjeuner, a bu {n} verres d'eau dans la matinée.",
    "Agitation en fin de journée, réorientation efficace.",
    "Se plaint de douleurs au genou droit, antalgique donné à {h} h.",
    "Nuit calme, a dormi de {h} h à 6 h.",
    "Visite de sa fille, humeur souriante.",
    "Pansement de l'escarre talonnière refait, plaie propre, bourgeonnante.",
    "Toux grasse, auscultation : crépitants à la base droite.",
    "Œdèmes des membres inférieurs en diminution.",
    "Selles normales, appétit conservé.",
    "Désorientation temporo-spatiale ce matin, plus marquée que d'habitude.",
    "Repas pris en totalité, aide au découpage.",
    "Toilette au lavabo avec aide partielle, bonne participation.",
    "Hématome de l'avant-bras gauche découvert à la toilette, {n} cm.",
    "Appel de la pharmacie : traitement livré à {h} h.",
    "Famille informée de la modification du traitement.",
    "Somnolence après le déjeuner, constantes stables.",
    "Plaie du tibia nettoyée, pansement sec, à revoir dans {n} jours.",
    "Miction spontanée, pas de brûlure urinaire.",
    "Dit : \"je veux rentrer chez moi\", rassurée par l'équipe.",
]
NOTE_LABELS = ["Transmission ciblée", "Observation", "Transmission"]


def note(template=None):
    template = template or rng.choice(NOTES)
    return (rng.choice(NOTE_LABELS), "", "",
            template.format(h=rng.randint(7, 22), n=rng.randint(2, 6)))


DRUGS = [("Paracétamol", "1", "g", "per os"), ("Furosémide", "40", "mg", "per os, le matin"),
         ("Énoxaparine", "4000", "UI", "sous-cutané"), ("Lorazépam", "0.5", "mg", "per os au coucher"),
         ("Amoxicilline", "1", "g", "per os, 3 fois par jour"), ("Tramadol", "50", "mg", "per os si douleur"),
         ("Insuline glargine", "12", "UI", "sous-cutané le soir"), ("Macrogol", "1", "sachet", "per os"),
         ("Bisoprolol", "2.5", "mg", "per os"), ("Métformine", "850", "mg", "per os, midi et soir"),
         ("Ceftriaxone", "1", "g", "intraveineux"), ("Oxycodone", "5", "mg", "per os")]


def medication(i=None):
    return DRUGS[i] if i is not None else rng.choice(DRUGS)


ALLERGIES = ["Pénicilline : urticaire généralisée", "Produits iodés : réaction cutanée",
             "Latex", "Aspirine : bronchospasme", "Sulfamides", "Codéine : vomissements",
             "Fraises", "Sparadrap : irritation cutanée"]
DIAGNOSES = ["Insuffisance cardiaque chronique", "Diabète de type 2", "Maladie d'Alzheimer",
             "Fibrillation atriale", "BPCO", "Coxarthrose droite", "Dénutrition modérée",
             "Infection urinaire basse", "Hypertension artérielle", "Escarre talonnière stade 2",
             "Maladie de Parkinson", "Insuffisance rénale chronique stade 3"]
SPECIALTIES = ["de cardiologie", "d'ophtalmologie", "de dermatologie", "de neurologie", "d'ORL",
               "de pneumologie", "de chirurgie dentaire", "de radiologie (échographie abdominale)"]
CARE_PLANS = ["Prévention des escarres : changement de position toutes les 3 h",
              "Surveillance du poids hebdomadaire", "Aide à la toilette au lavabo",
              "Hydratation : 1,5 L par jour", "Lever au fauteuil après le déjeuner",
              "Kinésithérapie de marche 3 fois par semaine", "Bas de contention le matin",
              "Surveillance glycémique avant chaque repas", "Régime mixé, eau gélifiée"]
ADMIN = [("Personne de confiance", "{g} {n} (fille), tél. 06 {a:02d} {b:02d} {c:02d} {d:02d}"),
         ("Directives anticipées", "Rédigées et remises au médecin traitant"),
         ("Mutuelle", "Attestation de mutuelle mise à jour"),
         ("Admission", "Entrée le {day}/03/2026 en provenance du domicile"),
         ("Aide sociale", "Dossier APA déposé au conseil départemental"),
         ("Protection juridique", "Mesure de curatelle renforcée, curateur informé")]
ACTIVITIES = [("Séance de kinésithérapie", "30", "min", "Marche avec déambulateur"),
              ("Atelier mémoire", "45", "min", "Participation active"),
              ("Activité physique adaptée", "30", "min", "Équilibre et prévention des chutes"),
              ("Séance de kinésithérapie", "20", "min", "Renforcement des membres inférieurs"),
              ("Atelier cuisine", "60", "min", "Préparation d'un gâteau"),
              ("Séance d'éducation thérapeutique", "60", "min", "Diabète : adaptation des doses")]


def content_of(category):
    if category == "vital_sign":
        return vital()
    if category == "note":
        return note()
    if category == "medication":
        return medication()
    if category == "allergy":
        return ("Allergie", "", "", rng.choice(ALLERGIES))
    if category == "diagnosis":
        return ("Diagnostic", "", "", rng.choice(DIAGNOSES))
    if category == "appointment":
        return ("Rendez-vous", "", "", "Consultation %s le %d/03 à %d h %02d" % (
            rng.choice(SPECIALTIES), rng.randint(2, 31), rng.randint(8, 17), rng.choice([0, 15, 30, 45])))
    if category == "care_plan":
        return ("Plan de soins", "", "", rng.choice(CARE_PLANS))
    if category == "administrative":
        label, text = rng.choice(ADMIN)
        return (label, "", "", text.format(g=rng.choice(GIVEN_F), n=upper_plain(rng.choice(BIRTH_NAMES)),
                                           a=rng.randint(0, 99), b=rng.randint(0, 99), c=rng.randint(0, 99),
                                           d=rng.randint(0, 99), day=rng.randint(1, 20)))
    return rng.choice(ACTIVITIES)


# Variants of how a copy is written: the same once folded.

def v_plain_lower(c):
    """Accents and capitals dropped ("Température" -> "temperature")."""
    return tuple(strip_accents(x).lower() for x in c)


def v_upper(c):
    return tuple(x.upper() for x in c)


def v_spacing(c):
    """Doubled spaces and a trailing space ("Chute  dans la chambre "); in the label when there is no
    text."""
    label, value, unit, text = c
    if text:
        return (label, value, unit, text.replace(" ", "  ", 2) + " ")
    return (" " + label.replace(" ", "   ") + "  ", value, unit, text)


def v_trailing_zeros(c):
    """37.5 -> 37.50, 7 -> 7.0 (written 37,50 / 7,0 in a DUI)."""
    label, value, unit, text = c
    return (label, value + "0" if "." in value else value + ".0", unit, text)


def v_lower_label(c):
    return (c[0].lower(),) + tuple(c[1:])


# ---------------------------------------------------------------------------------------------------
# Positive cases: one fact typed several times (same fact_id)

def copy_across(site, src, dst, category, lag, variant=None, effective="both", content=None, person=None,
                self_copy=False, tags=(), ins="any"):
    """The classic re-entry: typed in `src`, then again in `dst` `lag` minutes later."""
    person = person or site.pick_person([src, dst], ins)
    content = content or content_of(category)
    start = rand_time()
    eff = measured_before(start) if category in ("vital_sign", "medication") and effective != "none" else None
    src_eff = effective in ("both", "src")
    dst_eff = effective in ("both", "dst")
    author = site.pick_author(src, category, also=dst) if self_copy else None
    return site.fact(person, category, content, start,
                     [Copy(src, author=author, effective=src_eff),
                      Copy(dst, lag, author=author, variant=variant, effective=dst_eff)],
                     eff, list(tags))


def triple(site, a, b, category, lags=(45, 190), content=None, tags=()):
    """Typed in `a`, copied in `b`, then copied again in `b` by another professional."""
    person = site.pick_person([a, b])
    content = content or content_of(category)
    start = rand_time()
    eff = measured_before(start) if category in ("vital_sign", "medication") else None
    first_b = site.pick_author(b, category)
    second_b = site.pick_author(b, category, exclude=first_b)
    return site.fact(person, category, content, start,
                     [Copy(a), Copy(b, lags[0], author=first_b, effective=False),
                      Copy(b, lags[1], author=second_b, variant=v_lower_label)],
                     eff, ["triple: %s, %s, %s again by another professional" % (a, b, b)] + list(tags))


def same_system_double(site, system, category, lag=7, tags=()):
    """Typed twice in the same system, minutes apart (the first save was thought lost)."""
    person = site.pick_person([system])
    content = content_of(category)
    start = rand_time()
    eff = measured_before(start) if category in ("vital_sign", "medication") else None
    return site.fact(person, category, content, start, [Copy(system), Copy(system, lag, same_author_as=0)],
                     eff, ["same-system double entry (%s, %d min apart)" % (system, lag)] + list(tags))


def fall_four_times(site):
    """×4: a fall noted by the aide-soignant and the IDE in the DUI, then by the IDE and the doctor in the
    DPI."""
    person = site.pick_person(["DPI", "DUI"])
    content = ("Chute", "", "", "Chute dans la chambre, retrouvée assise au pied du lit, pas de plaie.")
    start = rand_time(days=(3, 20), hours=(6, 9))
    return site.fact(person, "note", content, start, [
        Copy("DUI", 0, author=site.pick_author("DUI", "note", profession=AS)),
        Copy("DUI", 35, author=site.pick_author("DUI", "note", profession=IDE), variant=v_spacing),
        Copy("DPI", 95, author=site.pick_author("DPI", "note", profession=IDE), variant=v_plain_lower),
        Copy("DPI", 26 * 60, author=site.pick_author("DPI", "note", profession=MED)),
    ], tags=["×4: DUI twice, then DPI twice (aide-soignant, IDE, IDE, médecin)"])


def multiline_note_copy(site, src, dst):
    """A transmission with a line break, a comma and quotes, copied verbatim (RFC 4180 quoting)."""
    person = site.pick_person([src, dst])
    content = ("Transmission ciblée", "", "",
               "Cible : douleur.\nDonnées : EVA 6, \"ça tire dans le dos\".\nActions : antalgique palier 1.")
    return site.fact(person, "note", content, rand_time(), [Copy(src), Copy(dst, 25)],
                     tags=["text with line breaks, a comma and quotes, copied verbatim (RFC 4180 quoting)"])


# ---------------------------------------------------------------------------------------------------
# Hard negatives: look alike, different facts (different fact_ids)

def neg_repeated_measure(site, sys_a, sys_b):
    """Temperature 37.2 at 08:00 (typed in sys_a, copied in sys_b with its time) and 37.2 again at 16:00:
    two measures, two facts; every entry has its effective time."""
    person = site.pick_person([sys_a, sys_b])
    day = rng.randint(3, 22)
    content = ("Température", "37.2", "°C", "")
    tag = "neg-repeat-%s" % person.key
    site.fact(person, "vital_sign", content, at(day, 8, 12), [Copy(sys_a), Copy(sys_b, 70)],
              effective=at(day, 8, 0), tags=["copy whose look-alike measure at 16:00 stays apart"], shared=tag)
    site.single(person, sys_b, "vital_sign", content, at(day, 16, 9), effective=at(day, 16, 0), shared=tag)
    site.negatives["same measure and value at another effective time (08:00 and 16:00)"] += 1


def neg_different_value(site, sys_a, sys_b):
    """Same label, different value, same hour (a second weighing, or a typo): not one fact."""
    person = site.pick_person([sys_a, sys_b])
    t = rand_time()
    site.single(person, sys_a, "vital_sign", ("Poids", "61.5", "kg", ""), t)
    site.single(person, sys_b, "vital_sign", ("Poids", "62.5", "kg", ""), t + dt.timedelta(minutes=40))
    site.negatives["same label, different value"] += 1


def neg_two_patients(site, system, text):
    """The same routine note for two residents, typed minutes apart."""
    a = site.pick_person([system])
    b = site.pick_person([system], exclude=[a])
    t = rand_time()
    site.single(a, system, "note", ("Transmission", "", "", text), t)
    site.single(b, system, "note", ("Transmission", "", "", text), t + dt.timedelta(minutes=6))
    site.negatives["same note text for two different patients"] += 1


def neg_beyond_window(site, sys_a, sys_b):
    """Same content, same patient, five days later: copied once (a pair), then typed again later (a new
    fact, more than 72 h after both)."""
    person = site.pick_person([sys_a, sys_b])
    content = ("Transmission ciblée", "", "", "Refus de la toilette, réessayer l'après-midi.")
    tag = "neg-window-%s" % person.key
    start = rand_time(days=(2, 14))
    site.fact(person, "note", content, start, [Copy(sys_a), Copy(sys_b, 150)],
              tags=["copy whose look-alike typed 5 days later stays apart"], shared=tag)
    site.single(person, sys_a, "note", content, start + dt.timedelta(days=5, hours=3), shared=tag)
    site.negatives["same content, same patient, more than 72 h apart"] += 1


def neg_other_category(site, sys_a, sys_b):
    """The same words filed as a note in one system and as an administrative event report in the other."""
    person = site.pick_person([sys_a, sys_b])
    content = ("Chute", "", "", "Chute dans le couloir, relevée sans lésion apparente.")
    t = rand_time()
    site.single(person, sys_a, "note", content, t)
    site.single(person, sys_b, "administrative", content, t + dt.timedelta(minutes=50))
    site.negatives["same content, different category"] += 1


def neg_homonyms(site):
    """Two patients with the same birth name, first given name, birth date and sex but different INS
    (on every record): the same glycaemia at the same time for each; one of them copied to the DUI."""
    bd = dt.date(1941, 2, 14)
    a = site.add_person(["DPI", "DUI"], ["DPI", "DUI"], sex="F", birth_name="Martin", given="Jeanne",
                        birth_date=bd)
    b = site.add_person(["DPI", "DUI"], ["DPI", "DUI"], sex="F", birth_name="Martin", given="Jeanne",
                        birth_date=bd, homonym_ok=True)
    assert a.ins != b.ins
    a.reserved = b.reserved = True
    content = ("Glycémie capillaire", "1.32", "g/L", "")
    t = at(11, 11, 40)
    site.fact(a, "vital_sign", content, t, [Copy("DPI"), Copy("DUI", 55, effective=False)],
              effective=at(11, 11, 30), tags=["copy whose homonym's identical entry stays apart"])
    site.single(b, "DPI", "vital_sign", content, t + dt.timedelta(minutes=3), effective=at(11, 11, 30))
    site.negatives["homonyms (same traits, different INS), identical entries"] += 1


def neg_across_sites(site_a, person_a, sys_a, site_b, person_b, sys_b, content, t):
    """The same entry on two sites (here the same text, even the same person): sites are never merged."""
    site_a.single(person_a, sys_a, "allergy", content, t)
    site_b.single(person_b, sys_b, "allergy", content, t + dt.timedelta(hours=5))
    site_a.negatives["same text on two different sites"] += 1
    site_b.negatives["same text on two different sites"] += 1


# ---------------------------------------------------------------------------------------------------
# Background: single entries, and a few ordinary copies

CATEGORY_WEIGHTS = {
    "DPI": {"vital_sign": 30, "note": 25, "medication": 18, "allergy": 4, "diagnosis": 8, "appointment": 6,
            "care_plan": 5, "administrative": 4},
    "DUI": {"vital_sign": 25, "note": 30, "medication": 10, "allergy": 3, "care_plan": 10,
            "administrative": 8, "activity": 12, "appointment": 4},
    "SIP": {"vital_sign": 20, "note": 25, "medication": 15, "diagnosis": 10, "appointment": 15,
            "administrative": 8, "activity": 7},
}


def weighted(weights):
    items = list(weights.items())
    return rng.choices([k for k, _ in items], [w for _, w in items])[0]


def background(site, count):
    made = 0
    while made < count:
        person = rng.choice([p for p in site.persons if not p.reserved])
        system = rng.choice(person.systems())
        category = weighted(CATEGORY_WEIGHTS[system])
        if not any(system in a.systems and a.profession in WRITERS[category] for a in site.authors):
            continue
        content = content_of(category)
        if not site.is_free(person, category, content):
            continue
        t = rand_time(days=(1, 27), hours=(6, 22))
        eff = measured_before(t) if category in ("vital_sign", "medication") and rng.random() < 0.7 else None
        site.single(person, system, category, content, t, effective=eff)
        made += 1


ORDINARY = "ordinary copy (no particular twist)"


def ordinary_copies(site, count):
    """Plain re-entries with no particular twist, in both directions, lags from minutes to a day."""
    pairs = [(a, b) for a in site.systems for b in site.systems if a != b]
    made = 0
    while made < count:
        src, dst = pairs[made % len(pairs)]
        category = weighted({k: v for k, v in CATEGORY_WEIGHTS[src].items() if k in CATEGORY_WEIGHTS[dst]})
        if not all(any(s in a.systems and a.profession in WRITERS[category] for a in site.authors)
                   for s in (src, dst)):
            continue
        try:
            copy_across(site, src, dst, category, rng.choice([12, 40, 90, 180, 300, 600, 1200]),
                        effective=rng.choice(["both", "both", "src"]), tags=[ORDINARY])
        except ValueError:
            continue
        made += 1


# ---------------------------------------------------------------------------------------------------
# The three sites

def local_time(t):
    return t.strftime("%Y-%m-%d %H:%M")


def offset_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S") + "+01:00"


def style(p_offset):
    return lambda r: "offset" if r.random() < p_offset else "local"


def build_tilleuls():
    site = Site("ehpad-les-tilleuls", ["DPI", "DUI"], "37", (1926, 1948),
                {"DPI": lambda r: "IPP%06d" % r.randint(1, 999999), "DUI": lambda r: "R-%04d" % r.randint(1, 9999)},
                {"DPI": style(0.8), "DUI": style(0.15)},
                {"DUI": "upper"})
    site.add_staff(IDE, ["DPI", "DUI"], 3)
    site.add_staff(IDE, ["DUI"], 2)
    site.add_staff(AS, ["DUI"], 4)
    site.add_staff(AS, ["DPI", "DUI"], 1)
    site.add_staff(MED, ["DPI", "DUI"], 1)
    site.add_staff(MED, ["DPI"], 1)
    site.add_staff(KINE, ["DUI"], 1)
    site.add_staff(SEC, ["DPI", "DUI"], 1)
    site.add_staff(CADRE, ["DUI"], 1)
    # Residents: the DUI is the resident file; the DPI is the attached geriatric unit's record. The DUI
    # exports names in capitals without accents.
    for ins_on in [["DPI", "DUI"]] * 7 + [["DPI"]] * 3 + [["DUI"]] * 3 + [[]] * 5:
        site.add_person(["DPI", "DUI"], ins_on)
    for ins_on in [["DUI"]] * 6 + [[]] * 4:
        site.add_person(["DUI"], ins_on)
    for ins_on in [["DPI"]] * 3 + [[]] * 2:
        site.add_person(["DPI"], ins_on)

    copy_across(site, "DPI", "DUI", "vital_sign", 20, content=vital("temp"), effective="both")
    copy_across(site, "DPI", "DUI", "vital_sign", 65, content=vital("glyc"), effective="src",
                tags=["effective_at on one side only"])
    copy_across(site, "DPI", "DUI", "vital_sign", 5, content=("Température", "37.5", "°C", ""),
                variant=v_trailing_zeros, tags=["trailing zeros (37.5 / 37,50)", "lag 5 min"])
    copy_across(site, "DPI", "DUI", "medication", 240, content=medication(3), effective="dst",
                tags=["effective_at on one side only"])
    copy_across(site, "DPI", "DUI", "medication", 30, content=medication(0), self_copy=True,
                tags=["self re-entry (same author in both systems)"])
    copy_across(site, "DUI", "DPI", "note", 45, content=note(NOTES[0]), variant=v_spacing,
                tags=["spacing (doubled and trailing spaces)"])
    copy_across(site, "DUI", "DPI", "note", 130, content=note(NOTES[7]), variant=v_plain_lower,
                tags=["case and accents (lowercase, no accents)"])
    copy_across(site, "DUI", "DPI", "allergy", 600, content=("Allergie", "", "", ALLERGIES[0]),
                variant=v_upper, tags=["case (capitals)"])
    copy_across(site, "DUI", "DPI", "care_plan", 47 * 60 + 30, content=("Plan de soins", "", "", CARE_PLANS[0]),
                tags=["lag about 2 days (47 h 30)"])
    copy_across(site, "DPI", "DUI", "vital_sign", 90, content=vital("poids"), ins="none",
                tags=["patient linked by traits only (no INS), name in capitals without accents"])
    copy_across(site, "DUI", "DPI", "note", 35, content=note(NOTES[12]), ins="partial",
                tags=["patient linked by traits only (INS on one side), name in capitals without accents"])
    triple(site, "DPI", "DUI", "vital_sign", content=vital("ta"))
    triple(site, "DUI", "DPI", "note", content=note(NOTES[3]))
    same_system_double(site, "DUI", "vital_sign", lag=7)
    multiline_note_copy(site, "DUI", "DPI")

    neg_repeated_measure(site, "DPI", "DUI")
    neg_different_value(site, "DPI", "DUI")
    neg_two_patients(site, "DUI", "Nuit calme, RAS.")
    neg_beyond_window(site, "DUI", "DPI")
    neg_other_category(site, "DUI", "DPI")
    return site


def build_val_de_loire():
    site = Site("ch-val-de-loire", ["DPI", "DUI"], "41", (1932, 1990),
                {"DPI": lambda r: "IPP%06d" % r.randint(1, 999999), "DUI": lambda r: "U%05d" % r.randint(1, 99999)},
                {"DPI": style(0.85), "DUI": style(0.2)},
                {"DUI": "mixed"})
    site.add_staff(IDE, ["DPI"], 3)
    site.add_staff(IDE, ["DPI", "DUI"], 3)
    site.add_staff(AS, ["DPI", "DUI"], 3)
    site.add_staff(AS, ["DUI"], 2)
    site.add_staff(MED, ["DPI"], 2)
    site.add_staff(MED, ["DPI", "DUI"], 1)
    site.add_staff(KINE, ["DPI", "DUI"], 1)
    site.add_staff(SEC, ["DPI"], 1)
    site.add_staff(SEC, ["DUI"], 1)
    site.add_staff(CADRE, ["DPI", "DUI"], 1)
    # Hospital with a long-stay unit (DUI). Names differ in writing between the two systems.
    for ins_on in [["DPI", "DUI"]] * 8 + [["DPI"]] * 4 + [["DUI"]] * 2 + [[]] * 5:
        site.add_person(["DPI", "DUI"], ins_on)
    for ins_on in [["DPI"]] * 8 + [[]] * 5:
        site.add_person(["DPI"], ins_on)
    for ins_on in [["DUI"]] * 3 + [[]] * 3:
        site.add_person(["DUI"], ins_on)
    # Linked by INS although the birth name is misspelt in the DUI.
    typo = site.add_person(["DPI", "DUI"], ["DPI", "DUI"], sex="F", birth_name="Lefèvre", given="Bérénice",
                           birth_date=dt.date(1947, 9, 3))
    typo.records["DUI"].birth_name = "LEFEBVRE"
    typo.reserved = True
    # Linked by traits only: compound names written differently, no INS in the DUI.
    legoff = site.add_person(["DPI", "DUI"], ["DPI"], sex="M", birth_name="Le Goff", given="Jean-Pierre",
                             birth_date=dt.date(1939, 6, 21))
    legoff.records["DUI"].birth_name, legoff.records["DUI"].given_names = "LEGOFF", "JEAN-PIERRE Marcel"
    legoff.reserved = True
    dupre = site.add_person(["DPI", "DUI"], [], sex="F", birth_name="Dupré", given="Élodie",
                            birth_date=dt.date(1952, 11, 30))
    dupre.records["DPI"].birth_name, dupre.records["DPI"].given_names = "DUPRE", "ELODIE"
    dupre.records["DUI"].birth_name, dupre.records["DUI"].given_names = "dupré", "élodie, Anne"
    dupre.reserved = True

    copy_across(site, "DPI", "DUI", "vital_sign", 15, content=vital("temp"))
    copy_across(site, "DPI", "DUI", "vital_sign", 50, content=("Saturation en oxygène", "94", "%", ""),
                effective="dst", tags=["effective_at on one side only"])
    copy_across(site, "DPI", "DUI", "vital_sign", 8, content=("Poids", "7", "kg", ""),
                variant=v_trailing_zeros, tags=["trailing zeros (7 / 7,0)"])
    copy_across(site, "DPI", "DUI", "medication", 120, content=medication(1), variant=v_plain_lower,
                tags=["case and accents (lowercase, no accents)"])
    copy_across(site, "DPI", "DUI", "diagnosis", 24 * 60 + 10, content=("Diagnostic", "", "", DIAGNOSES[0]),
                tags=["lag about 1 day"])
    copy_across(site, "DUI", "DPI", "note", 20, content=("Chute", "", "", "Chute  dans la chambre"),
                variant=lambda c: (c[0], c[1], c[2], "chute dans la chambre"),
                tags=["case and spacing (\"Chute  dans la chambre\" / \"chute dans la chambre\")"])
    copy_across(site, "DUI", "DPI", "vital_sign", 40, content=("Température", "38.1", "°C", ""),
                variant=v_plain_lower, tags=["case and accents (\"Température\" / \"temperature\")"])
    copy_across(site, "DUI", "DPI", "activity", 300, content=ACTIVITIES[0], self_copy=True,
                tags=["self re-entry (same author in both systems)"])
    copy_across(site, "DUI", "DPI", "care_plan", 46 * 60, content=("Plan de soins", "", "", CARE_PLANS[3]),
                variant=v_spacing, tags=["lag about 2 days (46 h)", "spacing (doubled and trailing spaces)"])
    copy_across(site, "DPI", "DUI", "allergy", 5, content=("Allergie", "", "", ALLERGIES[3]), person=typo,
                tags=["patient linked by INS although the birth name is misspelt (Lefèvre / LEFEBVRE)",
                      "lag 5 min"])
    copy_across(site, "DPI", "DUI", "vital_sign", 75, content=("Glycémie capillaire", "1.80", "g/L", ""),
                person=legoff,
                tags=["patient linked by traits only (INS on one side): Le Goff / LEGOFF, Jean-Pierre / "
                      "JEAN-PIERRE Marcel"])
    copy_across(site, "DUI", "DPI", "note", 180, content=note(NOTES[16]), person=dupre,
                tags=["patient linked by traits only (no INS): Dupré / DUPRE / dupré, Élodie / ELODIE / "
                      "élodie, Anne"])
    triple(site, "DPI", "DUI", "medication", content=medication(2))
    triple(site, "DPI", "DUI", "vital_sign", lags=(30, 24 * 60), content=vital("pouls"))
    triple(site, "DUI", "DPI", "note", lags=(60, 8 * 60), content=note(NOTES[5]))
    fall_four_times(site)
    same_system_double(site, "DPI", "medication", lag=4)
    same_system_double(site, "DUI", "note", lag=11)

    neg_repeated_measure(site, "DPI", "DUI")
    neg_different_value(site, "DUI", "DPI")
    neg_two_patients(site, "DPI", "Patient installé au fauteuil pour le repas.")
    neg_beyond_window(site, "DPI", "DUI")
    neg_other_category(site, "DPI", "DUI")
    neg_homonyms(site)
    return site


def build_msp():
    site = Site("msp-du-parc", ["SIP", "DPI"], "45", (1940, 2004),
                {"SIP": lambda r: "P%05d" % r.randint(1, 99999), "DPI": lambda r: "IPP%06d" % r.randint(1, 999999)},
                {"SIP": style(0.5), "DPI": style(0.9)},
                {"DPI": "mixed"})
    site.add_staff(MED, ["SIP", "DPI"], 2)
    site.add_staff(MED, ["SIP"], 1)
    site.add_staff(IDE, ["SIP", "DPI"], 2)
    site.add_staff(IDE, ["SIP"], 1)
    site.add_staff(KINE, ["SIP"], 1)
    site.add_staff(KINE, ["SIP", "DPI"], 1)
    site.add_staff(SEC, ["SIP", "DPI"], 1)
    # Primary care: the SIP is the centre's shared record, the DPI the local hospital's, where the
    # centre's doctors also work (day hospital, consultations).
    for ins_on in [["SIP", "DPI"]] * 6 + [["SIP"]] * 2 + [["DPI"]] * 1 + [[]] * 4:
        site.add_person(["SIP", "DPI"], ins_on)
    for ins_on in [["SIP"]] * 6 + [[]] * 3:
        site.add_person(["SIP"], ins_on)
    for ins_on in [["DPI"]] * 2 + [[]] * 1:
        site.add_person(["DPI"], ins_on)

    copy_across(site, "SIP", "DPI", "vital_sign", 35, content=vital("ta"), self_copy=True,
                tags=["self re-entry (same author in both systems)"])
    copy_across(site, "SIP", "DPI", "diagnosis", 18 * 60, content=("Diagnostic", "", "", DIAGNOSES[1]),
                variant=v_upper, tags=["case (capitals)"])
    copy_across(site, "SIP", "DPI", "medication", 10, content=medication(9), effective="src",
                tags=["effective_at on one side only"])
    copy_across(site, "SIP", "DPI", "activity", 26 * 60, content=ACTIVITIES[5],
                tags=["activity reported twice (care and management)"])
    copy_across(site, "DPI", "SIP", "vital_sign", 25, content=("Poids", "82.40", "kg", ""),
                tags=["trailing zeros (82.40 / 82.4)"])
    copy_across(site, "DPI", "SIP", "appointment", 3 * 60,
                content=("Rendez-vous", "", "", "Consultation de cardiologie le 24/03 à 14 h 30"),
                variant=v_spacing, tags=["spacing (doubled and trailing spaces)"])
    copy_across(site, "SIP", "DPI", "note", 55, content=note(NOTES[10]), ins="none",
                tags=["patient linked by traits only (no INS)"])
    triple(site, "SIP", "DPI", "vital_sign", lags=(20, 140), content=vital("glyc"))
    same_system_double(site, "SIP", "appointment", lag=3)

    neg_repeated_measure(site, "SIP", "DPI")
    neg_different_value(site, "SIP", "DPI")
    neg_two_patients(site, "SIP", "Renouvellement d'ordonnance, pas de changement.")
    neg_beyond_window(site, "SIP", "DPI")
    neg_other_category(site, "SIP", "DPI")
    return site


def link_across_sites(tilleuls, val_de_loire, msp):
    """A resident of the EHPAD hospitalized at the CH (same person, same INS, both sites) has the same
    allergy typed on each site; and the same allergy text for two patients of the CH and of the MSP."""
    p = tilleuls.pick_person(["DUI"], ins="all")
    twin = val_de_loire.add_person(["DPI"], ["DPI"], sex=p.sex, birth_name=p.birth_name, given=p.given,
                                   birth_date=p.birth_date, ins=p.ins)
    twin.reserved = True
    content = ("Allergie", "", "", "Allergie à la pénicilline : œdème de Quincke en 2019")
    neg_across_sites(tilleuls, p, "DUI", val_de_loire, twin, "DPI", content, at(17, 10, 5))
    a = val_de_loire.pick_person(["DUI"])
    b = msp.pick_person(["SIP"])
    content = ("Allergie", "", "", "Intolérance aux AINS : épigastralgies")
    neg_across_sites(val_de_loire, a, "DUI", msp, b, "SIP", content, at(9, 15, 20))


# ---------------------------------------------------------------------------------------------------
# Output

def format_value(system, value):
    """DUIs write decimal commas."""
    if system == "DUI" and re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", value):
        return value.replace(".", ",")
    return value


def assign_record_ids(site):
    prefixes = {"DPI": lambda n: "OBS-%07d" % n, "DUI": lambda n: "T2026-%05d" % n, "SIP": lambda n: "S%06d" % n}
    for system in site.systems:
        entries = sorted((e for e in site.entries if e.system == system), key=lambda e: e.recorded)
        n = rng.randint(1000, 40000)
        for e in entries:
            n += rng.randint(1, 9)
            e.record_id = prefixes[system](n)


def row_of(e):
    rec = e.person.records[e.system]
    fmt = offset_time if e.time_style == "offset" else local_time
    label, value, unit, text = e.content
    return {
        "site": e.site.name, "system": e.system, "record_id": e.record_id, "patient_id": rec.patient_id,
        "ins": rec.ins, "birth_name": rec.birth_name, "given_names": rec.given_names,
        "birth_date": e.person.birth_date.isoformat(), "sex": e.person.sex,
        "recorded_at": fmt(e.recorded), "effective_at": fmt(e.effective) if e.effective else "",
        "author_id": e.author.author_id, "profession": e.author.profession, "category": e.category,
        "label": label, "value": format_value(e.system, value), "unit": unit, "text": text,
    }


def write_csv(path, entries, columns, delimiter=",", bom=False, newline="\n"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, delimiter=delimiter, lineterminator=newline,
                       quoting=csv.QUOTE_MINIMAL, extrasaction="ignore")
    w.writeheader()
    for e in sorted(entries, key=lambda e: (e.recorded, e.system, e.record_id)):
        w.writerow(row_of(e))
    with open(path, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"))


def write_site(site, files):
    for system, (name, delimiter, bom, newline) in files.items():
        if system == "*":
            write_csv(os.path.join(DEMO, site.name, name), site.entries, ["site", "system"] + COLUMNS,
                      delimiter, bom, newline)
        else:
            write_csv(os.path.join(DEMO, site.name, name), [e for e in site.entries if e.system == system],
                      COLUMNS, delimiter, bom, newline)


def number_facts(sites):
    n = 0
    for site in sites:
        for fact in site.facts:
            n += 1
            fact.fact_id = "f%04d" % n
            for e in fact.entries:
                e.fact_id = fact.fact_id


def write_truth(sites):
    rows = sorted((e.site.name, e.system, e.record_id, e.fact_id) for s in sites for e in s.entries)
    with open(os.path.join(FIXTURES, "demo-truth.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["site", "system", "record_id", "fact_id"])
        w.writerows(rows)


def site_stats(site):
    groups = [f for f in site.facts if len(f.entries) >= 2]
    mult = Counter(min(len(f.entries), 4) for f in groups)
    in_groups = sum(len(f.entries) for f in groups)
    return {"entries": len(site.entries), "x2": mult[2], "x3": mult[3], "x4": mult[4],
            "in_groups": in_groups, "re_entries": in_groups - len(groups),
            "patients": len({id(e.person) for e in site.entries}),
            "authors": len({id(e.author) for e in site.entries})}


def group_properties(fact):
    """What a duplicate group shows, read from its entries: flows, authors, lags, effective times, number
    formats, how its patient was linked."""
    entries = sorted(fact.entries, key=lambda e: e.recorded)
    first = entries[0]
    props = []
    for e in entries[1:]:
        props.append("re-entry %s→%s" % (first.system, e.system) if e.system != first.system
                     else "re-entry within %s (same system)" % e.system)
        props.append("re-entry by the same author (self)" if e.author is first.author
                     else "re-entry by another professional (transcription)")
    span = (entries[-1].recorded - first.recorded).total_seconds() / 60
    props.append("lag to the last copy: " + ("≤ 15 min" if span <= 15 else "15 min – 2 h" if span <= 120
                 else "2 h – 24 h" if span <= 24 * 60 else "24 h – 48 h"))
    effs = [e.effective is not None for e in entries]
    props.append("effective_at on every entry" if all(effs) else "effective_at on some entries only"
                 if any(effs) else "no effective_at")
    values = {format_value(e.system, e.content[1]) for e in entries}
    if any("," in v for v in values) and any("." in v for v in values):
        props.append("decimal comma and point")
    if len({e.content for e in entries}) > 1:
        props.append("text written differently (case, accents or spacing)")
    records = {e.system: e.person.records[e.system] for e in entries}
    if len(records) > 1:
        if all(r.ins for r in records.values()):
            props.append("patient linked by INS")
        else:
            props.append("patient linked by identity traits only (no INS on %s)" % (
                "either side" if not any(r.ins for r in records.values()) else "one side"))
        if len({(r.birth_name, r.given_names) for r in records.values()}) > 1:
            props.append("patient's name written differently in the two systems")
    return props


PROPERTY_ORDER = ["re-entry DPI", "re-entry DUI", "re-entry SIP", "re-entry within", "re-entry by",
                  "lag to the last copy: ≤", "lag to the last copy: 15", "lag to the last copy: 2",
                  "lag to the last copy: 24", "effective_at", "no effective_at", "decimal", "text",
                  "patient", ""]


def tag_table(sites, tags_of):
    lines = ["| | " + " | ".join("`%s`" % s.name for s in sites) + " | total |",
             "|---|" + "---:|" * (len(sites) + 1)]
    counts, order = {}, []
    for s in sites:
        for f in s.facts:
            if len(f.entries) < 2:
                continue
            for t in tags_of(f):
                if t not in counts:
                    counts[t] = Counter()
                    order.append(t)
                counts[t][s.name] += 1
    def rank(t):
        if tags_of is group_properties:
            return (next(i for i, prefix in enumerate(PROPERTY_ORDER) if t.startswith(prefix)), t)
        return (t == ORDINARY, order.index(t))

    for t in sorted(order, key=rank):
        c = counts[t]
        lines.append("| %s | %s | %d |" % (t, " | ".join(str(c[s.name]) for s in sites), sum(c.values())))
    return lines


def write_readme(sites, files_of):
    lines = ["# Demo audit", "",
             "`Fixtures/demo/` is the bundled demo audit that `ressaisie analyze` runs on when given no path.",
             "It is generated by `Scripts/make-demo.py` (deterministic, seed 2026) and checked by",
             "`Scripts/check-demo.py`, which re-implements the v1 rules (INS then exact normalized traits for",
             "patients; same category, same folded content, within 72 h, no two different effective times for",
             "entries) and compares the duplicate groups it finds with `Fixtures/demo-truth.csv`",
             "(`site,system,record_id,fact_id`; entries sharing a `fact_id` are one fact).",
             "Everything is synthetic: names, INS (valid keys), RPPS-like author ids, texts. All dates are in",
             "March 2026, before the change to summer time.", "", "## Sites", ""]
    desc = {
        "ehpad-les-tilleuls": "EHPAD; the DUI is the resident file (semicolon-delimited, UTF-8 with BOM, "
                              "CRLF, decimal commas, names in capitals without accents), the DPI the "
                              "attached geriatric unit's record.",
        "ch-val-de-loire": "Hospital (DPI) with a long-stay unit (DUI); identity written differently from "
                           "one system to the other for some patients.",
        "msp-du-parc": "Primary-care centre: one export holding both its SIP and the local hospital's DPI, "
                       "with `site` and `system` columns.",
    }
    total = Counter()
    lines.append("| site | files | entries | patients | authors | groups ×2 | ×3 | ×4+ | re-entries |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for s in sites:
        st = site_stats(s)
        total.update(st)
        lines.append("| `%s` | %s | %d | %d | %d | %d | %d | %d | %d |" % (
            s.name, ", ".join("`%s`" % f for f in files_of[s.name]), st["entries"], st["patients"],
            st["authors"], st["x2"], st["x3"], st["x4"], st["re_entries"]))
    lines.append("| total | | %d | | | %d | %d | %d | %d |" % (total["entries"], total["x2"], total["x3"],
                                                               total["x4"], total["re_entries"]))
    lines.append("")
    for s in sites:
        lines.append("- `%s`: %s" % (s.name, desc[s.name]))
    lines += ["", "%d of %d entries (%.0f %%) belong to a duplicate group." % (
        total["in_groups"], total["entries"], 100.0 * total["in_groups"] / total["entries"]), ""]

    lines += ["## Positive cases (same `fact_id`)", "",
              "Deliberate cases, counted in duplicate groups (a group can show several).", ""]
    lines += tag_table(sites, lambda f: f.tags)
    lines += ["", "Properties of all duplicate groups, computed from the generated entries (groups, except "
                  "flows and authors, which count re-entries against the group's first entry).", ""]
    lines += tag_table(sites, group_properties)
    lines += ["", "## Hard negatives (different `fact_id`s, never grouped)", "",
              "Counts are instances (each instance is two or three look-alike entries).", "",
              "| case | " + " | ".join("`%s`" % s.name for s in sites) + " |", "|---|" + "---:|" * len(sites)]
    neg_order = []
    for s in sites:
        for k in s.negatives:
            if k not in neg_order:
                neg_order.append(k)
    for k in neg_order:
        lines.append("| %s | %s |" % (k, " | ".join(str(s.negatives[k]) for s in sites)))
    lines += ["", "The cross-site instance between `ehpad-les-tilleuls` and `ch-val-de-loire` is the same "
                  "person (same INS) on both sites; the one between `ch-val-de-loire` and `msp-du-parc` is "
                  "two different patients. Each instance is counted on both of its sites.", "",
              "## Left out on purpose (not v1)", "",
              "- Abbreviations and synonyms (\"T°\" / \"Température\", \"TA\" / \"Tension artérielle\").",
              "- Unit conversions (g / mg, mmol/L / g/L) and near-identical free text.",
              "- The same routine note for the same patient within 72 h (\"RAS\" every evening), which v1 "
              "would group.",
              "- Chains of copies spanning more than 72 h, and groups whose outcome would depend on the order "
              "of union (every demo group is a clique of matching pairs).",
              "- Given names that differ by a hyphen versus a space (\"Jean-Pierre\" / \"Jean Pierre\"): the "
              "first given name ends at the first space or comma.", ""]
    with open(os.path.join(FIXTURES, "demo-README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))


def main():
    tilleuls = build_tilleuls()
    val_de_loire = build_val_de_loire()
    msp = build_msp()
    link_across_sites(tilleuls, val_de_loire, msp)
    ordinary_copies(tilleuls, 5)
    ordinary_copies(val_de_loire, 6)
    ordinary_copies(msp, 4)
    background(tilleuls, 115)
    background(val_de_loire, 128)
    background(msp, 70)
    sites = [tilleuls, val_de_loire, msp]
    number_facts(sites)
    for s in sites:
        assign_record_ids(s)

    files = {
        "ehpad-les-tilleuls": {"DPI": ("dpi.csv", ",", False, "\n"), "DUI": ("dui.csv", ";", True, "\r\n")},
        "ch-val-de-loire": {"DPI": ("DPI_export.csv", ",", False, "\n"), "DUI": ("dui-2026-03.csv", ",", False, "\n")},
        "msp-du-parc": {"*": ("export_sip_dpi.csv", ",", False, "\n")},
    }
    if os.path.isdir(DEMO):
        for s in sites:
            d = os.path.join(DEMO, s.name)
            if os.path.isdir(d):
                for name in sorted(os.listdir(d)):
                    if name.endswith(".csv"):
                        os.remove(os.path.join(d, name))
    for s in sites:
        write_site(s, files[s.name])
    write_truth(sites)
    write_readme(sites, {k: [v[0] for v in f.values()] for k, f in files.items()})
    for s in sites:
        st = site_stats(s)
        print("%s: %d entries, %d in groups (x2 %d, x3 %d, x4+ %d), %d re-entries" % (
            s.name, st["entries"], st["in_groups"], st["x2"], st["x3"], st["x4"], st["re_entries"]))


if __name__ == "__main__":
    main()
