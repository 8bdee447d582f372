import RessaisieCore

/// What tells the category of a CDA section's statements, as data. In order of precedence, for the nearest
/// enclosing section that says anything:
///
/// 1. the section's LOINC `code` (`sectionCodes`);
/// 2. else one of its `templateId/@root` (`templateIDs`): IHE PCC and CI-SIS (`1.3.6.1.4.1.19376.1.5.3.1.*`,
///    `1.2.250.1.213.1.1.2.*`), HL7 CCD (`2.16.840.1.113883.10.20.1.*`) and C-CDA
///    (`2.16.840.1.113883.10.20.22.2.*`) section templates;
/// 3. else the statement's own code: an `observation` whose code is a vital-sign LOINC code (the concepts of
///    `Vocabulary/Resources/concepts.tsv` and `vitalSignCodes` below) is a `vital_sign`;
/// 4. else the section's `title`, French or English (`titlePhrases`);
/// 5. else the statement's kind (substance administration → medication, encounter → appointment…).
///
/// Codes and template ids were taken from the specifications' section lists (C-CDA's `fsh-tank` sections,
/// IHE PCC) and checked against the sections of the ANS CI-SIS example documents, where each template id
/// appears with its section's LOINC code. Categories are the canonical ones (`observation` for results).
enum CDASectionCategories {
    /// Section LOINC codes (C-CDA and CI-SIS).
    static let sectionCodes: [String: String] = [
        "8716-3": "vital_sign",
        "48765-2": "allergy",
        "11450-4": "diagnosis", "29548-5": "diagnosis", "11535-2": "diagnosis", "46241-6": "diagnosis",
        "11348-0": "diagnosis", "42347-5": "diagnosis",
        "10160-0": "medication", "29549-3": "medication", "10183-2": "medication", "42346-7": "medication",
        "11369-6": "medication", "18610-6": "medication", "75311-1": "medication", "57828-6": "medication",
        "60590-7": "medication",
        "18776-5": "care_plan", "61146-7": "care_plan",
        "46240-8": "appointment",
        "47519-4": "activity", "29554-3": "activity",
        // Document management (CI-SIS copy of the document, its status, linked documents, prescription
        // barcode; C-CDA payers).
        "55108-5": "administrative", "33557-0": "administrative", "55107-7": "administrative",
        "57723-9": "administrative", "48768-6": "administrative",
        "10164-2": "note", "29762-2": "note", "47420-5": "note", "10190-7": "note", "51848-0": "note", "8648-8": "note",
        "10184-0": "note", "29545-1": "note",
        // Results, and laboratory sections (chemistry, microbiology, hematology, coagulation, electrophoresis,
        // blood bank, scanned reports).
        "30954-2": "observation", "18719-5": "observation", "18725-2": "observation", "18723-7": "observation",
        "18720-3": "observation", "14340-4": "observation", "18717-9": "observation", "101792-0": "observation",
    ]

    /// Section template ids (`templateId/@root`).
    static let templateIDs: [String: String] = {
        var table: [String: String] = [:]
        func add(_ category: String, _ roots: [String]) { for root in roots { table[root] = category } }
        add(
            "vital_sign",
            [
                // IHE PCC vital signs, coded vital signs
                "1.3.6.1.4.1.19376.1.5.3.1.3.25", "1.3.6.1.4.1.19376.1.5.3.1.1.5.3.2",
                "1.2.250.1.213.1.1.2.75",  // CI-SIS FR-Signes-vitaux
                "2.16.840.1.113883.10.20.1.16",  // CCD
                // C-CDA (entries optional, required)
                "2.16.840.1.113883.10.20.22.2.4", "2.16.840.1.113883.10.20.22.2.4.1",
            ])
        add(
            "allergy",
            [
                "1.3.6.1.4.1.19376.1.5.3.1.3.13", "1.2.250.1.213.1.1.2.137", "2.16.840.1.113883.10.20.1.2",
                "2.16.840.1.113883.10.20.22.2.6", "2.16.840.1.113883.10.20.22.2.6.1",
            ])
        add(
            "medication",
            [
                // IHE PCC medications, admission, administered, discharge; immunizations.
                "1.3.6.1.4.1.19376.1.5.3.1.3.19", "1.3.6.1.4.1.19376.1.5.3.1.3.20", "1.3.6.1.4.1.19376.1.5.3.1.3.21",
                "1.3.6.1.4.1.19376.1.5.3.1.3.22", "1.3.6.1.4.1.19376.1.5.3.1.3.23",
                // IHE PHARM prescription, dispensation.
                "1.3.6.1.4.1.19376.1.9.1.2.1", "1.3.6.1.4.1.19376.1.9.1.2.3",
                // CI-SIS FR-Traitements, -a-l-admission, -administres, -a-la-sortie, -Vaccinations, prescription,
                // dispensation, maladie rare.
                "1.2.250.1.213.1.1.2.143", "1.2.250.1.213.1.1.2.144", "1.2.250.1.213.1.1.2.145",
                "1.2.250.1.213.1.1.2.146",
                "1.2.250.1.213.1.1.2.147", "1.2.250.1.213.1.1.2.171", "1.2.250.1.213.1.1.2.236",
                "1.2.250.1.213.1.1.2.54",
                // CCD medications, immunizations.
                "2.16.840.1.113883.10.20.1.8", "2.16.840.1.113883.10.20.1.6",
                // C-CDA medications, immunizations, discharge, administered, admission medications.
                "2.16.840.1.113883.10.20.22.2.1", "2.16.840.1.113883.10.20.22.2.1.1", "2.16.840.1.113883.10.20.22.2.2",
                "2.16.840.1.113883.10.20.22.2.2.1", "2.16.840.1.113883.10.20.22.2.11",
                "2.16.840.1.113883.10.20.22.2.11.1",
                "2.16.840.1.113883.10.20.22.2.38", "2.16.840.1.113883.10.20.22.2.44",
            ])
        add(
            "diagnosis",
            [
                // IHE PCC active problems, history of past illness, discharge and admission diagnoses.
                "1.3.6.1.4.1.19376.1.5.3.1.3.6", "1.3.6.1.4.1.19376.1.5.3.1.3.8", "1.3.6.1.4.1.19376.1.5.3.1.3.7",
                "1.3.6.1.4.1.19376.1.5.3.1.3.3",
                "1.2.250.1.213.1.1.2.132", "1.2.250.1.213.1.1.2.134", "1.2.250.1.213.1.1.2.133",
                "1.2.250.1.213.1.1.2.129",
                "2.16.840.1.113883.10.20.1.11",
                // C-CDA problems, past medical history, discharge, admission, pre/post-operative diagnoses.
                "2.16.840.1.113883.10.20.22.2.5", "2.16.840.1.113883.10.20.22.2.5.1", "2.16.840.1.113883.10.20.22.2.20",
                "2.16.840.1.113883.10.20.22.2.24", "2.16.840.1.113883.10.20.22.2.43", "2.16.840.1.113883.10.20.22.2.34",
                "2.16.840.1.113883.10.20.22.2.35", "2.16.840.1.113883.10.20.22.2.36",
            ])
        add(
            "care_plan",
            [
                "1.3.6.1.4.1.19376.1.5.3.1.3.31", "1.3.6.1.4.1.19376.1.5.3.1.3.36", "1.2.250.1.213.1.1.2.158",
                "2.16.840.1.113883.10.20.1.10", "2.16.840.1.113883.10.20.22.2.10", "2.16.840.1.113883.10.20.22.2.60",
            ])
        add(
            "appointment",
            [
                "1.3.6.1.4.1.19376.1.5.3.1.1.5.3.3", "1.2.250.1.213.1.1.2.76", "2.16.840.1.113883.10.20.1.3",
                "2.16.840.1.113883.10.20.22.2.22", "2.16.840.1.113883.10.20.22.2.22.1",
            ])
        add(
            "activity",
            [
                "1.3.6.1.4.1.19376.1.5.3.1.3.11", "1.3.6.1.4.1.19376.1.5.3.1.3.12", "1.2.250.1.213.1.1.2.135",
                "1.2.250.1.213.1.1.2.136", "2.16.840.1.113883.10.20.1.12", "2.16.840.1.113883.10.20.22.2.7",
                "2.16.840.1.113883.10.20.22.2.7.1",
            ])
        add(
            "note",
            [
                // History of present illness, hospital course, discharge physical, social history, functional
                // status, physical exam (IHE PCC, CI-SIS, CCD, C-CDA); C-CDA assessment and notes sections.
                "1.3.6.1.4.1.19376.1.5.3.1.3.4", "1.3.6.1.4.1.19376.1.5.3.1.3.5", "1.3.6.1.4.1.19376.1.5.3.1.3.26",
                "1.3.6.1.4.1.19376.1.5.3.1.3.16", "1.3.6.1.4.1.19376.1.5.3.1.3.16.1", "1.3.6.1.4.1.19376.1.5.3.1.3.17",
                "1.3.6.1.4.1.19376.1.5.3.1.3.24", "1.3.6.1.4.1.19376.1.5.3.1.1.9.15",
                "1.2.250.1.213.1.1.2.130", "1.2.250.1.213.1.1.2.140", "1.2.250.1.213.1.1.2.141",
                "1.2.250.1.213.1.1.2.41",
                "1.2.250.1.213.1.1.2.111", "1.2.250.1.213.1.1.2.246", "1.2.250.1.213.1.1.2.84",
                "2.16.840.1.113883.10.20.1.15", "2.16.840.1.113883.10.20.1.5",
                "2.16.840.1.113883.10.20.22.2.17", "2.16.840.1.113883.10.20.22.2.14", "2.16.840.1.113883.10.20.22.2.8",
                "2.16.840.1.113883.10.20.22.2.65",
            ])
        add(
            "observation",
            [
                "1.3.6.1.4.1.19376.1.5.3.1.3.27", "1.3.6.1.4.1.19376.1.5.3.1.3.28", "1.2.250.1.213.1.1.2.150",
                "1.2.250.1.213.1.1.2.151", "1.2.250.1.213.1.1.2.244",
                "2.16.840.1.113883.10.20.22.2.3", "2.16.840.1.113883.10.20.22.2.3.1",
            ])
        return table
    }()

    /// Vital-sign LOINC codes of single measurements besides the concepts of `concepts.tsv` (which has one
    /// code per concept: the blood pressure panel, not its systolic and diastolic components).
    static let vitalSignCodes: Set<String> = Set(ClinicalVocabulary.shared.concepts.map(\.loinc)).union([
        "8480-6", "8462-4",  // systolic, diastolic blood pressure
        "2708-6", "2710-2",  // oxygen saturation in arterial blood (by pulse oximetry)
        // weight measured, temperatures, height lying, head circumference
        "3141-9", "8331-1", "8328-7", "8332-9", "8306-3", "8287-5", "9843-4",
        "8478-0",  // mean blood pressure
        "3140-1", "39156-5", "59574-4", "59575-1", "59576-9",  // body surface, BMI, percentiles
    ])

    /// Title phrases, folded (lowercase, no accents) and matched as whole words anywhere in the title: the
    /// first row whose phrase the title holds gives the category (specific phrases before general ones).
    static let titlePhrases: [(phrase: String, category: String)] = [
        ("signes vitaux", "vital_sign"), ("signe vital", "vital_sign"), ("vital signs", "vital_sign"),
        ("constantes", "vital_sign"), ("parametres vitaux", "vital_sign"),
        ("plan de soins", "care_plan"), ("projet de soins", "care_plan"), ("plan de traitement", "care_plan"),
        ("plan of care", "care_plan"),
        ("plan of treatment", "care_plan"), ("care plan", "care_plan"), ("treatment plan", "care_plan"),
        ("allergies", "allergy"), ("allergie", "allergy"), ("allergy", "allergy"), ("intolerances", "allergy"),
        ("hypersensibilites", "allergy"),
        ("traitements", "medication"), ("traitement", "medication"), ("medicaments", "medication"),
        ("medicament", "medication"), ("medications", "medication"), ("medication", "medication"),
        ("prescriptions", "medication"), ("ordonnance", "medication"), ("vaccinations", "medication"),
        ("immunizations", "medication"),
        ("problemes", "diagnosis"), ("probleme", "diagnosis"), ("problems", "diagnosis"), ("problem list", "diagnosis"),
        ("antecedents", "diagnosis"), ("pathologies", "diagnosis"), ("diagnostics", "diagnosis"),
        ("diagnostic", "diagnosis"), ("diagnosis", "diagnosis"), ("past medical history", "diagnosis"),
        ("resultats", "observation"), ("results", "observation"),
        ("rendez vous", "appointment"), ("encounters", "appointment"), ("consultations", "appointment"),
        ("actes", "activity"), ("procedures", "activity"), ("interventions", "activity"),
        ("transmissions", "note"), ("notes", "note"), ("note", "note"), ("observations", "note"),
        ("histoire de la maladie", "note"), ("mode de vie", "note"), ("social history", "note"),
        ("examen clinique", "note"), ("examen physique", "note"), ("physical exam", "note"),
        ("hospital course", "note"), ("assessment", "note"), ("evaluation", "note"), ("synthese", "note"),
    ]

    /// The category of a folded title (words separated by single spaces), nil when no phrase is in it.
    static func category(ofFoldedTitle title: String) -> String? {
        let padded = " " + title + " "
        return titlePhrases.first { padded.contains(" " + $0.phrase + " ") }?.category
    }

    /// A title folded for `category(ofFoldedTitle:)`: lowercase letters and digits, accents removed, every
    /// other character a word break.
    static func foldedTitle(_ bytes: UnsafeRawBufferPointer) -> String {
        var folded: [UInt8] = []
        TextFolding.fold(bytes, mode: .text, into: &folded)
        var words: [UInt8] = []
        var pendingSpace = false
        for byte in folded {
            let isWord = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte >= 0x80
            if isWord {
                if pendingSpace, !words.isEmpty { words.append(0x20) }
                pendingSpace = false
                words.append(byte)
            } else {
                pendingSpace = true
            }
        }
        return String(decoding: words, as: UTF8.self)
    }
}
