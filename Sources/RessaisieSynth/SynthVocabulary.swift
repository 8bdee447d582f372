/// Words of the synthetic audit: invented French names, clinical phrases and their usual written variants.
/// Nothing here identifies anyone.
enum SynthVocabulary {
    static let birthNames = [
        "Lefèvre", "Le Goff", "Dupré", "Moreau", "Guérin", "Rousseau", "Fontaine", "Chevalier", "Garnier",
        "Mercier", "Blanchard", "Boucher", "Perrin", "Lemaître", "Morel", "Gauthier", "Rivière", "Hébert",
        "Ménard", "Carré", "Le Bihan", "Da Silva", "Prévost", "Besnard", "Deschamps", "Texier", "Royer",
        "Lacroix", "Poirier", "Barthélemy", "Aubé", "Lemoine", "Benoît", "Renaud", "Caron", "Brunet",
        "Roux", "Faure", "Léger", "Pelletier", "Marchal", "Bouvier", "Colas", "Thibault", "Gérard",
        "De Oliveira", "Le Roux", "Vasseur", "Huet", "Sénéchal", "Boulanger", "Tessier", "Jacquet",
        "Maréchal", "Bonnet", "Clément", "Vidal", "Giraud", "Dufour", "Lebrun", "Quéméner", "Pétillon",
        "Gaudin", "Rolland", "Joly", "Hamon", "Lejeune", "Régnier", "Charpentier", "Noël", "Adam", "Bérard",
        "Cordier", "Delattre", "Étienne", "Ferré", "Grégoire", "Hérault", "Jégou", "Lécuyer",
    ]
    static let givenFemale = [
        "Élodie", "Bérénice", "Jeanne", "Marie-Thérèse", "Geneviève", "Hélène", "Simone", "Françoise",
        "Odette", "Madeleine", "Colette", "Anaïs", "Léa", "Chloé", "Maëlle", "Renée", "Josiane",
        "Paulette", "Solène", "Aurélie", "Édith", "Noémie", "Marie-Noëlle", "Ginette", "Thérèse",
        "Anne-Sophie", "Marie-Claude", "Lucienne", "Yvette", "Germaine",
    ]
    static let givenMale = [
        "Jean-Pierre", "René", "Gérard", "André", "François", "Lucien", "Marcel", "Joël", "Hervé",
        "Jérôme", "Raymond", "Loïc", "Théo", "Maxime", "Frédéric", "Rémi", "Aimé", "Jean-Baptiste",
        "Étienne", "Gaëtan", "Bruno", "Jean-Michel", "Léon", "Émile", "Benoît", "Jean-Claude", "Noël",
        "Fernand", "Gilbert", "Pierre-Yves",
    ]
    static let secondGivenFemale = ["Marie", "Louise", "Andrée", "Suzanne"]
    static let secondGivenMale = ["Marie", "Louis", "Joseph", "Henri"]

    /// Vital signs: canonical label, usual label variants, unit and unit variants, value range.
    struct Vital {
        var label: String
        var labelVariants: [String]
        var unit: String
        var unitVariants: [String]
        var loinc: String
        var ucum: String
    }

    static let vitals: [Vital] = [
        Vital(
            label: "Température", labelVariants: ["T°", "temp", "Temp.", "température", "TEMPERATURE"],
            unit: "°C", unitVariants: ["C", "Cel", "° C"], loinc: "8310-5", ucum: "Cel"),
        Vital(
            label: "Pouls", labelVariants: ["FC", "pouls", "fréquence cardiaque", "Fréq. cardiaque"],
            unit: "/min", unitVariants: ["bpm", "batt/min", "/mn"], loinc: "8867-4", ucum: "/min"),
        Vital(
            label: "Tension artérielle", labelVariants: ["TA", "PA", "tension artérielle", "Pression artérielle"],
            unit: "mmHg", unitVariants: ["mm Hg", "mm[Hg]", "mmhg"], loinc: "85354-9", ucum: "mm[Hg]"),
        Vital(
            label: "Saturation en oxygène", labelVariants: ["SpO2", "sat", "saturation", "Sat O2"],
            unit: "%", unitVariants: [" %", "pct"], loinc: "59408-5", ucum: "%"),
        Vital(
            label: "Poids", labelVariants: ["pds", "poids", "POIDS"],
            unit: "kg", unitVariants: ["Kg", "KG", "kilos"], loinc: "29463-7", ucum: "kg"),
        Vital(
            label: "Glycémie capillaire", labelVariants: ["dextro", "GC", "glycémie capillaire", "Glyc. cap."],
            unit: "g/L", unitVariants: ["g/l", "G/L"], loinc: "41653-7", ucum: "g/L"),
        Vital(
            label: "Douleur (EVA)", labelVariants: ["EVA", "douleur", "Echelle douleur EVA"],
            unit: "", unitVariants: ["/10"], loinc: "72514-3", ucum: ""),
        Vital(
            label: "Fréquence respiratoire", labelVariants: ["FR", "fréq. resp.", "fréquence respiratoire"],
            unit: "/min", unitVariants: ["cycles/min", "/mn"], loinc: "9279-1", ucum: "/min"),
    ]

    static let noteTemplates = [
        "Chute dans la chambre vers {h} h, pas de plaie, surveillance neurologique.",
        "Refus du petit-déjeuner, a bu {n} verres d'eau dans la matinée.",
        "Agitation en fin de journée, réorientation efficace par l'infirmière.",
        "Se plaint de douleurs au genou droit, antalgique donné à {h} h.",
        "Visite de la famille, le patient est souriant et détendu.",
        "Pansement de l'escarre talonnière refait, plaie propre, bourgeonnante.",
        "Toux grasse, auscultation par le docteur : crépitants à la base droite.",
        "Œdèmes des membres inférieurs en diminution, surveillance du poids à poursuivre.",
        "Désorientation temporo-spatiale ce matin, plus marquée que d'habitude.",
        "Repas pris en totalité, aide au découpage par l'aide-soignante.",
        "Toilette au lavabo avec aide partielle, bonne participation du patient.",
        "Hématome de l'avant-bras gauche découvert à la toilette, {n} cm, famille prévenue.",
        "Appel de la pharmacie : traitement livré à {h} h, rangé par l'infirmière.",
        "Famille informée de la modification du traitement par le docteur.",
        "Somnolence après le déjeuner, constantes stables, surveillance renforcée.",
        "Plaie du tibia nettoyée, pansement sec, à revoir dans {n} jours.",
        "Rendez-vous de cardiologie à reprogrammer, patient prévenu, famille à rappeler.",
        "Dit vouloir rentrer chez lui, rassuré par l'équipe, surveillance de la nuit.",
        "Constipation depuis {n} jours, laxatif donné selon prescription du docteur.",
        "Patient algique à la mobilisation, pansement du sacrum refait à {h} h.",
        "Saignement de nez à {h} h, compression {n} minutes, arrêt du saignement.",
        "Refus de la douche ce matin, toilette au lit proposée et acceptée.",
        "Perte d'appétit signalée par la famille, pesée à prévoir demain.",
        "Sortie prévue dans {n} jours, ordonnance remise au patient et à la famille.",
    ]
    static let noteDetails = [
        "", "", " Transmis à l'équipe de nuit.", " À revoir demain matin.", " Médecin informé.",
        " Traçabilité faite.", " Appel à {h} h {m}.",
    ]
    static let noteLabels = ["Transmission ciblée", "Observation", "Transmission"]
    static let routineNotes = ["RAS", "Nuit calme", "Bonne journée", "RAS, dort", "Pas de plainte"]

    /// Words of notes and their usual abbreviations (the first that applies is used).
    static let abbreviations: [(String, String)] = [
        ("patient", "pt"), ("pansement", "pst"), ("infirmière", "IDE"), ("rendez-vous", "RDV"), ("Rendez-vous", "RDV"),
        ("surveillance", "surv."), ("famille", "fam."), ("docteur", "Dr"), ("aide-soignante", "AS"),
        ("traitement", "ttt"), ("minutes", "min"),
    ]
    static let copyPrefixes = ["Recopié : ", "Copie DPI : ", "Report : ", "Copie DUI : ", "Cf. transmission : "]

    struct Drug {
        var name: String
        var dose: String
        var unit: String
        var route: String
    }

    static let drugs: [Drug] = [
        Drug(name: "Paracétamol", dose: "1", unit: "g", route: "per os"),
        Drug(name: "Furosémide", dose: "40", unit: "mg", route: "per os, le matin"),
        Drug(name: "Énoxaparine", dose: "4000", unit: "UI", route: "sous-cutané"),
        Drug(name: "Lorazépam", dose: "0.5", unit: "mg", route: "per os au coucher"),
        Drug(name: "Amoxicilline", dose: "1", unit: "g", route: "per os, 3 fois par jour"),
        Drug(name: "Tramadol", dose: "50", unit: "mg", route: "per os si douleur"),
        Drug(name: "Insuline glargine", dose: "12", unit: "UI", route: "sous-cutané le soir"),
        Drug(name: "Macrogol", dose: "1", unit: "sachet", route: "per os"),
        Drug(name: "Bisoprolol", dose: "2.5", unit: "mg", route: "per os"),
        Drug(name: "Metformine", dose: "850", unit: "mg", route: "per os, midi et soir"),
        Drug(name: "Ceftriaxone", dose: "1", unit: "g", route: "intraveineux"),
        Drug(name: "Oxycodone", dose: "5", unit: "mg", route: "per os"),
        Drug(name: "Lévothyroxine", dose: "75", unit: "µg", route: "per os à jeun"),
        Drug(name: "Amlodipine", dose: "5", unit: "mg", route: "per os"),
    ]

    static let allergies = [
        "Pénicilline : urticaire généralisée", "Produits iodés : réaction cutanée", "Latex",
        "Aspirine : bronchospasme", "Sulfamides", "Codéine : vomissements", "Fraises",
        "Sparadrap : irritation cutanée", "Arachide : œdème de Quincke", "Kiwi",
    ]
    static let diagnoses = [
        "Insuffisance cardiaque chronique", "Diabète de type 2", "Maladie d'Alzheimer", "Fibrillation atriale",
        "BPCO", "Coxarthrose droite", "Dénutrition modérée", "Infection urinaire basse", "Hypertension artérielle",
        "Escarre talonnière stade 2", "Maladie de Parkinson", "Insuffisance rénale chronique stade 3",
        "Fracture du col du fémur gauche", "Syndrome dépressif", "Anémie ferriprive",
    ]
    static let specialties = [
        "de cardiologie", "d'ophtalmologie", "de dermatologie", "de neurologie", "d'ORL", "de pneumologie",
        "de chirurgie dentaire", "de radiologie (échographie abdominale)", "de gériatrie", "d'orthopédie",
    ]
    static let carePlans = [
        "Prévention des escarres : changement de position toutes les 3 h", "Surveillance du poids hebdomadaire",
        "Aide à la toilette au lavabo", "Hydratation : 1,5 L par jour", "Lever au fauteuil après le déjeuner",
        "Kinésithérapie de marche 3 fois par semaine", "Bas de contention le matin",
        "Surveillance glycémique avant chaque repas", "Régime mixé, eau gélifiée",
        "Surveillance de la diurèse pendant {n} jours", "Pansement de l'ulcère tous les {n} jours",
    ]
    static let administrative = [
        ("Personne de confiance", "{g} {b} (fille), tél. 06 {a} {c} {d} {e}"),
        ("Directives anticipées", "Rédigées et remises au médecin traitant le {day}/{month}"),
        ("Mutuelle", "Attestation de mutuelle mise à jour, échéance {day}/{month}/2027"),
        ("Admission", "Entrée le {day}/{month}/2026 en provenance du domicile"),
        ("Aide sociale", "Dossier APA déposé au conseil départemental le {day}/{month}"),
        ("Protection juridique", "Mesure de curatelle renforcée, curateur informé le {day}/{month}"),
    ]
    static let activities = [
        ("Séance de kinésithérapie", "30", "min", "Marche avec déambulateur"),
        ("Atelier mémoire", "45", "min", "Participation active"),
        ("Activité physique adaptée", "30", "min", "Équilibre et prévention des chutes"),
        ("Séance de kinésithérapie", "20", "min", "Renforcement des membres inférieurs"),
        ("Atelier cuisine", "60", "min", "Préparation d'un gâteau"),
        ("Séance d'éducation thérapeutique", "60", "min", "Diabète : adaptation des doses"),
        ("Bilan de chute", "40", "min", "Test de marche chronométré"),
    ]

    static let siteNames = [
        "ch-bords-de-loire", "ehpad-les-glycines", "msp-des-trois-rivieres", "ch-haute-vallee", "ehpad-le-verger",
        "msp-du-lac", "ch-cote-d-opale", "ehpad-les-mimosas", "msp-centre-bourg",
    ]
}
