import Foundation
import RessaisieCore
import TestSupport
import Testing

@Suite("Vocabulary")
struct VocabularyTests {
    @Test(
        "usual French profession labels and abbreviations",
        arguments: [
            ("IDE", "infirmier"), ("Infirmière", "infirmier"), ("IDEC", "infirmier_coordinateur"),
            ("AS", "aide_soignant"),
            ("Aide-soignante", "aide_soignant"), ("ASH", "agent_service"), ("AMP", "accompagnant_educatif_social"),
            ("AES", "accompagnant_educatif_social"), ("Kiné", "kinesitherapeute"), ("ergo", "ergotherapeute"),
            ("Psychomot.", "psychomotricien"), ("Méd.", "medecin"), ("Dr", "medecin"),
            ("Médecin coordonnateur", "medecin_coordonnateur"),
            ("Cadre", "cadre_de_sante"), ("Secrétaire médicale", "secretaire"),
            ("Assistante sociale", "assistant_social"),
            ("Infirmière (nuit)", "infirmier"), ("médecin", "medecin"), ("aide_soignant", "aide_soignant"),
        ])
    func professions(label: String, expected: String) {
        #expect(Vocabulary.profession(for: label) == expected)
    }

    @Test(
        "vendor entry types",
        arguments: [
            ("Constante", "vital_sign"), ("Transmission", "note"), ("Administration", "medication"),
            ("Pathologie", "diagnosis"),
            ("Rendez-vous", "appointment"), ("Acte", "activity"), ("Allergie", "allergy"),
            ("Projet de soins", "care_plan"),
            ("vital_sign", "vital_sign"), ("Facturation", "administrative"),
        ])
    func categories(label: String, expected: String) {
        #expect(Vocabulary.category(for: label) == expected)
    }

    @Test("unknown labels stay unknown")
    func unknown() {
        #expect(Vocabulary.profession(for: "astronaute") == nil)
        #expect(Vocabulary.category(for: "recette de cuisine") == nil)
    }

    @Test("no variant names two professions; every profession has French and English labels and a staff group")
    func consistent() throws {
        let text = try String(
            contentsOfFile: PackagePaths.root + "/Sources/RessaisieCore/Vocabulary/Resources/professions.tsv",
            encoding: .utf8)
        var seen: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t").map(String.init)
            #expect(columns.count == 5)
            // The staff group of each profession (care staff, or administrative and other staff).
            #expect(["care", "other"].contains(columns.last ?? ""), "\(columns[0])")
            for variant in columns[3].split(separator: "|") {
                let key = TextFolding.fold(String(variant), mode: .text)
                #expect(
                    seen[key] == nil || seen[key] == columns[0], "\(variant) in \(columns[0]) and \(seen[key] ?? "")")
                seen[key] = columns[0]
            }
        }
        #expect(Vocabulary.professions.allSatisfy { !$0.frenchLabel.isEmpty && !$0.englishLabel.isEmpty })
    }

    @Test("the embedded tables are the data files (run Scripts/gen-vocabulary.py after editing them)")
    func embeddedInSync() throws {
        let folder = PackagePaths.root + "/Sources/RessaisieCore/Vocabulary"
        let swift = try String(contentsOfFile: folder + "/VocabularyData.swift", encoding: .utf8)
        for name in ["professions", "categories"] {
            let data = try String(contentsOfFile: folder + "/Resources/\(name).tsv", encoding: .utf8)
            #expect(
                swift.contains(data.trimmingCharacters(in: .newlines)), "\(name).tsv differs from VocabularyData.swift")
        }
    }
}
