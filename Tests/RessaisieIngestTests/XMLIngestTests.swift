import Foundation
import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieIngest

private let testKey = "0123456789abcdef0123"

/// Loads `files` (relative path → contents) from a fresh folder with the test key.
private func loadFiles(
    _ files: [String: [UInt8]], strict: Bool = false, profiles: [MappedXMLProfile] = [], maxRowBytes: Int? = nil
) throws -> AuditLoader.Loaded {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    for (path, contents) in files { try folder.write(path, bytes: contents) }
    var options = IngestOptions(strict: strict)
    options.xmlProfiles = profiles
    if let maxRowBytes { options.maxRowBytes = maxRowBytes }
    let loader = AuditLoader(pseudonymizer: Pseudonymizer(keyBytes: Array(testKey.utf8)), options: options)
    return try loader.load(paths: [folder.path])
}

private func fixture(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: PackagePaths.fixture(relative))))
}

private func text(_ string: String) -> [UInt8] { Array(string.utf8) }

/// One line per entry with everything the pipeline sees of it (pseudonyms, names of indexed values),
/// so that two stores read from different formats can be compared.
private func describe(_ store: EntryStore) -> [String] {
    store.entries.map { entry in
        let patient = store.patients[Int(entry.patient)]
        let author = entry.author == Entry.noID ? "-" : "\(store.authors[Int(entry.author)])"
        let profession = entry.profession == .max ? "-" : store.professions[Int(entry.profession)]
        return [
            store.recordID(of: entry), "\(entry.recordedAt)", "\(entry.effectiveAt)", "\(entry.fingerprint)",
            "\(entry.textWords)", "\(patient.key)", "\(patient.ins.map { "\($0)" } ?? "-")",
            "\(patient.traits.map { "\($0)" } ?? "-")", author, store.categories[Int(entry.category)], profession,
            store.system(of: entry).name, entry.purpose.name, store.sites[Int(entry.site)],
        ].joined(separator: "|")
    }
}

private func seconds(_ iso: String) -> Int64 { ISOTimeParser.parse(iso)!.seconds }

private let csvHeader =
    "record_id,patient_id,ins,birth_name,given_names,birth_date,sex,recorded_at,effective_at,author_id,profession,category,label,value,unit,text\n"
private let identity = "IPP-77,279035121518989,Le Goff,Marie Élodie,1940-02-03,F"

/// The canonical CSV rows of the CDA fixture `cda/dpi-nested.xml`.
private let cdaAsCSV =
    csvHeader
    + "OBS-1,\(identity),2026-03-04T08:10:00+01:00,2026-03-04T08:00:00+01:00,RPPS-IDE,Infirmier,vital_sign,Température,37.5,Cel,\n"
    + "DOC-1/observation#3,\(identity),2026-03-04T08:30:00+01:00,2026-03-04T08:00:00+01:00,RPPS-AS,Aide-soignant,vital_sign,Pouls,80,/min,\n"
    + "OBS-R,\(identity),2026-03-01,,RPPS-DOC,Médecin,allergy,,39579001,,Urticaire\n"
    + "1.2.3.4,\(identity),2026-03-01,,RPPS-DOC,Médecin,allergy,Allergie,Pénicilline,,\n"
    + "NOTE-1,\(identity),2026-03-04T12:00:00+01:00,,RPPS-DOC,Médecin,note,Transmission ciblée,,,Patiente agitée cette nuit\n"
    + "MED-1,\(identity),2026-03-04T12:00:00+01:00,2026-03-04,RPPS-DOC,Médecin,medication,Paracétamol 1 g,,,1 g matin midi soir\n"

/// The canonical CSV rows of the FHIR fixture `fhir/sip-bundle.xml`.
private let fhirAsCSV =
    csvHeader
    + "o1,\(identity),2026-03-04T08:05:00+01:00,2026-03-04T08:00:00+01:00,RPPS-IDE,Infirmier,vital_sign,Température,37.5,Cel,\n"
    + "c1,\(identity),2026-03-04T10:00:00+01:00,,RPPS-DOC,Médecin,note,,,,\"Chute dans la chambre, pas de blessure\"\n"
    + "cond-1,\(identity),2026-03-05T09:00:00Z,,unknown-9,,diagnosis,Diabète de type 2,,,\n"
    + "mr-1,\(identity),2026-03-04T11:00:00+01:00,,RPPS-DOC,Médecin,medication,Paracétamol 1 g,,,1 g matin midi soir\n"
    + "ap-1,\(identity),2026-03-04T11:30:00+01:00,2026-03-20T14:00:00+01:00,RPPS-DOC,Médecin,appointment,Consultation diabétologie,,,\n"

@Suite("CDA R2 ingest")
struct CDAReaderTests {
    @Test("nested statements become entries; organizers and concern acts do not")
    func nestedStatements() throws {
        let loaded = try loadFiles(["s/dpi.xml": try fixture("xml/cda/dpi-nested.xml")])
        let store = loaded.store
        #expect(loaded.quality.rowsRejected == 0)
        #expect(
            store.entries.map { store.recordID(of: $0) } == [
                "OBS-1", "DOC-1/observation#3", "OBS-R", "1.2.3.4", "NOTE-1", "MED-1",
            ])
        #expect(
            store.entries.map(\.recordedAt) == [
                seconds("2026-03-04T07:10:00Z"), seconds("2026-03-04T07:30:00Z"), seconds("2026-02-28T23:00:00Z"),
                seconds("2026-02-28T23:00:00Z"), seconds("2026-03-04T11:00:00Z"), seconds("2026-03-04T11:00:00Z"),
            ])
        #expect(
            store.entries.map(\.effectiveAt) == [
                seconds("2026-03-04T07:00:00Z"), seconds("2026-03-04T07:00:00Z"), Entry.noTime, Entry.noTime,
                Entry.noTime,
                Entry.noTime,  // MED-1's effective time is a date alone: a day, which rules nothing out
            ])
        #expect(
            store.entries.map { store.categories[Int($0.category)] } == [
                "vital_sign", "vital_sign", "allergy", "allergy", "note", "medication",
            ])
        #expect(
            store.entries.map { store.professions[Int($0.profession)] } == [
                "infirmier", "aide_soignant", "medecin", "medecin", "medecin", "medecin",
            ])
        #expect(Set(store.entries.map(\.patient)).count == 1)
        #expect(store.patients.count == 1 && store.patients[0].ins != nil && store.patients[0].traits != nil)
        #expect(store.entries.map(\.system) == Array(repeating: .dpi, count: 6))
        var fingerprinter = ContentFingerprinter()
        #expect(
            store.entries[0].fingerprint == fingerprinter.fingerprint(label: "Température", value: "37.5", unit: "Cel"))
        #expect(store.entries[2].fingerprint == fingerprinter.fingerprint(value: "39579001", text: "Urticaire"))
        #expect(store.entries[3].fingerprint == fingerprinter.fingerprint(label: "Allergie", value: "Pénicilline"))
        #expect(
            store.entries[5].fingerprint
                == fingerprinter.fingerprint(label: "Paracétamol 1 g", text: "1 g matin midi soir"))
        #expect(store.entries.map(\.line) == [45, 53, 90, 85, 108, 120])
        let authors = store.entries.map(\.author)
        #expect(authors[0] != authors[1] && authors[1] != authors[2] && authors[2] == authors[5])
    }

    @Test("the same entries, pseudonyms and fingerprints as the canonical CSV of the same facts")
    func sameAsCanonicalCSV() throws {
        let fromXML = try loadFiles(["s/dpi.xml": try fixture("xml/cda/dpi-nested.xml")])
        let fromCSV = try loadFiles(["s/dpi.csv": text(cdaAsCSV)])
        #expect(fromCSV.quality.rowsRejected == 0)
        #expect(describe(fromXML.store) == describe(fromCSV.store))
        #expect(fromXML.store.patients == fromCSV.store.patients)
    }

    @Test(
        "every C-CDA sample from HL7 reads without error and yields its clinical statements",
        arguments: [
            ("Allergy_to_specific_drug_Penicillin_C-CDA2.1_.xml", 3, 0),
            ("Heart_Rate_Rhythm_C-CDA2.1_.xml", 2, 0),
            // Counted independently (Python ElementTree, same container rule); the samples reuse some ids.
            ("CCD.XML", 71, 7),
            ("Discharge_Summary.xml", 34, 9),
            ("Progress_Note.xml", 37, 2),
        ])
    func ccdaSamples(file: String, statements: Int, reusedIDs: Int) throws {
        let loaded = try loadFiles(["ch/dpi/\(file)": try fixture("xml/ccda/\(file)")], strict: false)
        #expect(loaded.quality.rowsRead == statements)
        // The samples repeat a few ids: a statement carried again with the same content is kept once
        // (republished); an id on other content keeps both. Neither is a rejected row.
        #expect(loaded.quality.rejectedByKind == [:])
        #expect(loaded.store.count + loaded.quality.republished == statements)
        #expect(loaded.quality.republished + loaded.quality.reusedRecordIDs == reusedIDs)
        #expect(loaded.store.entries.allSatisfy { $0.recordedAt != Entry.noTime })
    }

    @Test("C-CDA allergy fragment: the concern act is a container, the allergy, reaction and severity are entries")
    func allergyFragment() throws {
        let file = "Allergy_to_specific_drug_Penicillin_C-CDA2.1_.xml"
        let loaded = try loadFiles(["ch/dpi/\(file)": try fixture("xml/ccda/\(file)")])
        let store = loaded.store
        #expect(
            store.entries.map { store.recordID(of: $0) } == [
                "\(file)/observation#4", "0506c036-adfb-4e6e-b9e1-eea76177ead5", "4a2ac5fc-0c85-4223-baee-c2e254803974",
            ])
        #expect(store.entries.allSatisfy { store.categories[Int($0.category)] == "allergy" })
        #expect(store.entries.allSatisfy { $0.recordedAt == seconds("2014-01-03T23:00:00Z") })
        #expect(
            store.entries.allSatisfy {
                store.professions[Int($0.profession)] == "Allopathic & Osteopathic Physicians; Family Medicine"
            })
        var fingerprinter = ContentFingerprinter()
        #expect(store.entries[2].fingerprint == fingerprinter.fingerprint(value: "Allergy to drug"))
        #expect(store.entries[1].fingerprint == fingerprinter.fingerprint(value: "Anaphylaxis"))
    }

    @Test(
        "HL7 timestamps become ISO 8601",
        arguments: [
            ("20260304", "2026-03-04"), ("202603040805", "2026-03-04T08:05"), ("20260304080500", "2026-03-04T08:05:00"),
            ("20260304080500-0600", "2026-03-04T08:05:00-06:00"), ("201308151030-0800", "2013-08-15T10:30-08:00"),
            ("20260304080500.123+0100", "2026-03-04T08:05:00.123+01:00"), ("2006", ""), ("201401", ""),
            ("2026030x", ""),
        ])
    func hl7Times(input: String, expected: String) {
        var output: [UInt8] = []
        let converted = Array(input.utf8).withUnsafeBytes { HL7Time.appendISO($0, to: &output) }
        #expect(converted == !expected.isEmpty)
        #expect(String(decoding: output, as: UTF8.self) == expected)
    }
}

@Suite("FHIR R4 ingest")
struct FHIRReaderTests {
    @Test("resources become entries; references declared later in the bundle resolve")
    func bundle() throws {
        let loaded = try loadFiles(["s/sip.xml": try fixture("xml/fhir/sip-bundle.xml")])
        let store = loaded.store
        #expect(loaded.quality.rowsRejected == 0)
        #expect(store.entries.map { store.recordID(of: $0) } == ["o1", "c1", "cond-1", "mr-1", "ap-1"])
        #expect(
            store.entries.map(\.recordedAt) == [
                seconds("2026-03-04T07:05:00Z"), seconds("2026-03-04T09:00:00Z"), seconds("2026-03-05T09:00:00Z"),
                seconds("2026-03-04T10:00:00Z"), seconds("2026-03-04T10:30:00Z"),
            ])
        #expect(
            store.entries.map(\.effectiveAt) == [
                seconds("2026-03-04T07:00:00Z"), Entry.noTime, Entry.noTime, Entry.noTime,
                seconds("2026-03-20T13:00:00Z"),
            ])
        #expect(
            store.entries.map { store.categories[Int($0.category)] } == [
                "vital_sign", "note", "diagnosis", "medication", "appointment",
            ])
        #expect(
            store.entries.map { $0.profession == .max ? "-" : store.professions[Int($0.profession)] } == [
                "infirmier", "medecin", "-", "medecin", "medecin",
            ])
        #expect(Set(store.entries.map(\.patient)).count == 1)
        #expect(store.patients[0].ins != nil && store.patients[0].traits != nil)
        var fingerprinter = ContentFingerprinter()
        #expect(
            store.entries[0].fingerprint == fingerprinter.fingerprint(label: "Température", value: "37.5", unit: "Cel"))
        // A note: its text is its content, whatever heading it is filed under.
        #expect(
            store.entries[1].fingerprint
                == fingerprinter.summarize(
                    label: "Transmission", text: "Chute dans la chambre, pas de blessure", textIsContent: true
                ).fingerprint)
        #expect(store.entries[1].textWords == 7)
        #expect(
            store.entries[3].author == store.entries[1].author && store.entries[0].author != store.entries[1].author)
    }

    @Test("the same entries, pseudonyms and fingerprints as the canonical CSV of the same facts")
    func sameAsCanonicalCSV() throws {
        let fromXML = try loadFiles(["s/sip.xml": try fixture("xml/fhir/sip-bundle.xml")])
        let fromCSV = try loadFiles(["s/sip.csv": text(fhirAsCSV)])
        #expect(fromCSV.quality.rowsRejected == 0)
        #expect(describe(fromXML.store) == describe(fromCSV.store))
        #expect(fromXML.store.patients == fromCSV.store.patients)
    }

    @Test("a single resource, and a subject that is not in the file")
    func singleResource() throws {
        let observation = """
            <Observation xmlns="http://hl7.org/fhir"><id value="x1"/><subject><reference value="Patient/p9"/></subject>
            <issued value="2026-03-04T08:00:00Z"/><code><text value="Poids"/></code>
            <valueQuantity><value value="61"/><unit value="kg"/></valueQuantity></Observation>
            """
        let loaded = try loadFiles(["s/sip.xml": text(observation)])
        let csv = try loadFiles([
            "s/sip.csv": text(
                "record_id,patient_id,recorded_at,category,label,value,unit\nx1,p9,2026-03-04T08:00:00Z,observation,Poids,61,kg\n"
            )
        ])
        #expect(describe(loaded.store) == describe(csv.store))
    }
}

@Suite("Mapped XML ingest")
struct MappedXMLReaderTests {
    static let profile = MappedXMLProfile(
        rootElement: "export", recordElement: "saisie",
        fields: [
            .recordID: "@id", .recordedAt: "@date", .patientID: "resident/@ipp", .birthName: "resident/nom",
            .givenNames: "resident/prenoms", .birthDate: "resident/naissance", .sex: "resident/sexe",
            .authorID: "auteur/@matricule", .profession: "auteur", .category: "type", .label: "libelle",
            .value: "valeur", .unit: "valeur/@unite", .text: "texte",
        ],
        dateFormat: .dayMonthYear)

    @Test("records are read with the profile's paths, as canonical CSV would read them")
    func vendorExport() throws {
        let loaded = try loadFiles(["s/dui.xml": try fixture("xml/mapped/dui-export.xml")], profiles: [Self.profile])
        let csv = try loadFiles([
            "s/dui.csv": text(
                csvHeader
                    + "S-1,R-12,,LE GOFF,Marie Élodie,1940-02-03,F,2026-03-04 09:15,,AS-3,Aide-soignant,vital_sign,Température,\"37,5\",Cel,\n"
                    + "S-2,R-12,,,,,,2026-03-04 10:20,,AS-3,Aide-soignant,note,,,,\"Chute dans la chambre, pas de blessure\"\n"
            )
        ])
        #expect(loaded.quality.rowsRejected == 0)
        #expect(loaded.store.entries.map { loaded.store.recordID(of: $0) } == ["S-1", "S-2"])
        #expect(loaded.store.entries.map(\.line) == [4, 11])
        #expect(describe(loaded.store) == describe(csv.store))
    }

    @Test("an XML export of no known format is an error that names its root element")
    func unknownRoot() throws {
        do {
            _ = try loadFiles(["s/dui.xml": try fixture("xml/mapped/dui-export.xml")])
            Issue.record("expected an error")
        } catch let error as IngestError {
            #expect(error.description.contains("root element <export>"))
            #expect(error.failure == .invalidData)
        }
    }
}

@Suite("Mixed audit")
struct MixedAuditTests {
    @Test("FHIR, CDA and CSV systems on one site give the same groups as the same entries in canonical CSV")
    func mixed() throws {
        let dui =
            csvHeader
            + "D-1,R-12,,LE GOFF,Marie,1940-02-03,F,2026-03-04T09:00:00+01:00,2026-03-04T08:00:00+01:00,AS-3,Aide-soignant,vital_sign,Temperature,\"37,5\",Cel,\n"
            + "D-2,R-12,,LE GOFF,Marie,1940-02-03,F,2026-03-04T12:30:00+01:00,,AS-3,Aide-soignant,medication,Paracetamol 1 g,,,1 g matin midi soir\n"
        let mixed = try loadFiles([
            "s/dpi.xml": try fixture("xml/cda/dpi-nested.xml"), "s/sip.xml": try fixture("xml/fhir/sip-bundle.xml"),
            "s/dui.csv": text(dui),
        ])
        let canonical = try loadFiles([
            "s/dpi.csv": text(cdaAsCSV), "s/sip.csv": text(fhirAsCSV), "s/dui.csv": text(dui),
        ])
        func groups(_ loaded: AuditLoader.Loaded) -> Set<[String]> {
            let store = loaded.store
            return Set(
                Analysis(store: store).groups.map { group in
                    group.members.map {
                        "\(store.system(of: store.entries[$0]).name):\(store.recordID(of: store.entries[$0]))"
                    }
                })
        }
        let expected = groups(canonical)
        #expect(groups(mixed) == expected)
        // Temperature typed in the DPI, the SIP and the DUI; the prescription in the DPI, the SIP and the DUI.
        #expect(
            expected.contains(["DPI:OBS-1", "SIP:o1", "DUI:D-1"])
                || expected.contains(["SIP:o1", "DPI:OBS-1", "DUI:D-1"]))
        #expect(expected.count >= 2)
        #expect(describe(mixed.store).sorted() == describe(canonical.store).sorted())
    }
}

@Suite("Hostile XML")
struct HostileXMLTests {
    static let billionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
         <!ENTITY lol "lol">
         <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
         <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
         <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
         <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
         <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
         <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
         <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
         <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
         <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol9;</title></ClinicalDocument>
        """

    static let externalEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE Bundle [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
        <Bundle xmlns="http://hl7.org/fhir"><entry><resource><Communication><id value="c"/>
        <payload><contentString value="&secret;"/></payload></Communication></resource></entry></Bundle>
        """

    static func deepNesting() -> [UInt8] {
        text(
            "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">" + String(repeating: "<section>", count: 10_000)
                + String(repeating: "</section>", count: 10_000) + "</ClinicalDocument>")
    }

    static func hugeTextNode() -> [UInt8] {
        var bytes = text("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><component><section><entry><act><text>")
        bytes += [UInt8](repeating: UInt8(ascii: "a"), count: 50_000_000)
        bytes.append(contentsOf: text("</text></act></entry></section></component></ClinicalDocument>"))
        return bytes
    }

    static func truncated() throws -> [UInt8] {
        let whole = try fixture("xml/cda/dpi-nested.xml")
        return Array(whole.prefix(whole.count * 2 / 3))
    }

    static let cases: [(String, @Sendable () throws -> [UInt8], String)] = [
        ("billion laughs", { text(billionLaughs) }, "entit"),
        ("external entity to a local file", { text(externalEntity) }, "entit"),
        ("10 000-deep nesting", { deepNesting() }, "depth"),
        ("50 MB text node", { hugeTextNode() }, "text"),
        ("truncated file", { try truncated() }, ""),
        ("not XML", { text("record_id,patient_id\n1,2\n") }, ""),
        ("binary", { (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) } }, ""),
    ]

    @Test(
        "an empty .xml file is an empty_file rejection (not invalid_xml); under --strict it stops the run with 65",
        arguments: [[], Array("\u{FEFF} \n\r\n".utf8)] as [[UInt8]])
    func emptyFile(bytes: [UInt8]) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("s/dpi.xml", bytes: bytes)
        let lenient = try AuditLoader(pseudonymizer: .ephemeral(), options: IngestOptions()).load(files: [
            InputFile(path: folder.file("s/dpi.xml"), site: "s", system: .dpi)
        ])
        #expect(lenient.quality.rejections.map(\.kind) == [.emptyFile])
        do {
            _ = try AuditLoader(pseudonymizer: .ephemeral(), options: IngestOptions(strict: true)).load(paths: [
                folder.path
            ])
            Issue.record("expected an error")
        } catch let error as IngestError {
            guard case .rejected(let rejection) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(rejection.kind == .emptyFile)
            #expect(error.failure == .invalidData)
        }
    }

    @Test("refused quickly with exit 65 under --strict", arguments: 0..<7)
    func strict(index: Int) throws {
        let (name, make, hint) = Self.cases[index]
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("s/dpi.xml", bytes: try make())
        let loader = AuditLoader(pseudonymizer: .ephemeral(), options: IngestOptions(strict: true))
        let started = Date()
        do {
            _ = try loader.load(paths: [folder.path])
            Issue.record("\(name): expected an error")
        } catch let error as IngestError {
            guard case .malformedXML(let path, let line, let reason) = error else {
                Issue.record("\(name): wrong error \(error)")
                return
            }
            #expect(path.hasSuffix("s/dpi.xml"))
            #expect(line >= 1)
            #expect(error.failure == .invalidData)
            #expect(hint.isEmpty || reason.lowercased().contains(hint), "\(name): \(reason)")
            // Nothing of a local file ever reaches a message.
            #expect(!error.description.contains("root:"))
        }
        #expect(Date().timeIntervalSince(started) < 2, "\(name) took too long")
    }

    @Test("counted as a rejected file without --strict; the other files are still read", arguments: 0..<7)
    func lenient(index: Int) throws {
        let (name, make, _) = Self.cases[index]
        let loaded = try loadFiles([
            "s/dpi.xml": try make(), "s/sip.xml": try fixture("xml/fhir/sip-bundle.xml"),
        ])
        #expect(loaded.quality.rejectedByKind == [.invalidXML: 1], "\(name)")
        #expect(loaded.quality.rejections.first?.file.hasSuffix("s/dpi.xml") == true)
        #expect(loaded.quality.files == 2)
        #expect(loaded.store.count == 5)
        #expect(!loaded.store.entries.contains { $0.textWords > 100 })
    }

    @Test("a hostile file alone: nothing readable, exit 65")
    func alone() throws {
        do {
            _ = try loadFiles(["s/dpi.xml": text(Self.billionLaughs)])
            Issue.record("expected an error")
        } catch let error as IngestError {
            #expect(error.failure == .invalidData)
        }
    }
}

@Suite("XML record size limit")
struct XMLRecordLimitTests {
    @Test("values appended in turn to two slots stay within the limit, in linear time")
    func alternatingAppends() {
        var buffer = FieldBuffer(slots: 3, limit: 1 << 20)
        let value = Array(repeating: UInt8(ascii: "x"), count: 40)
        value.withUnsafeBytes { bytes in
            for round in 0..<200_000 { buffer.append(round % 2, bytes, separator: 0x20) }
        }
        #expect(buffer.overflowed)
        #expect(buffer.byteCount <= 1 << 20)
        // What fitted is kept, whole values only.
        #expect(buffer.value(0).count % 41 == 40 && buffer.value(1).count % 41 == 40)
        #expect(buffer.value(0).count + buffer.value(1).count > (1 << 20) / 2)
        buffer.reset()
        #expect(!buffer.overflowed && !buffer.has(0))
        buffer.set(2, "ok")
        #expect(buffer.string(2) == "ok")
    }

    @Test("a value moved while the buffer compacts is copied from its new place")
    func copyWithinBuffer() {
        var buffer = FieldBuffer(slots: 3, limit: 4096)
        let big = Array(repeating: UInt8(ascii: "a"), count: 1500)
        big.withUnsafeBytes { bytes in
            buffer.set(0, bytes)
            buffer.set(0, bytes)  // the first copy is now dead
        }
        buffer.set(1, "tail")
        buffer.copy(2, from: buffer, 1)  // needs room: compaction moves slot 1
        #expect(!buffer.overflowed)
        #expect(buffer.string(2) == "tail" && buffer.string(1) == "tail" && buffer.value(0).count == 1500)
    }

    @Test("a CDA statement over the limit is rejected as row_too_long; the others are read")
    func longCDAStatement() throws {
        let document =
            "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=\"1.2\" extension=\"D\"/>"
            + "<effectiveTime value=\"20260304080000\"/><recordTarget><patientRole><id root=\"9.9\" extension=\"P1\"/>"
            + "</patientRole></recordTarget><component><structuredBody><component><section>"
            + "<entry><act><id extension=\"A1\"/><text>" + String(repeating: "long text ", count: 3000)
            + "</text></act></entry>"
            + "<entry><act><id extension=\"A2\"/><text>" + String(repeating: "<br/>part", count: 4000)
            + "</text></act></entry>"
            + "<entry><act><id extension=\"A3\"/><text>short</text></act></entry>"
            + "</section></component></structuredBody></component></ClinicalDocument>"
        let loaded = try loadFiles(["s/dpi.xml": text(document)], maxRowBytes: 16 << 10)
        #expect(loaded.store.entries.map { loaded.store.recordID(of: $0) } == ["A3"])
        #expect(loaded.quality.rejectedByKind == [.rowTooLong: 2])
        #expect(loaded.quality.rejections.first?.detail.contains("16384 bytes") == true)
        do {
            _ = try loadFiles(["s/dpi.xml": text(document)], strict: true, maxRowBytes: 16 << 10)
            Issue.record("expected an error under --strict")
        } catch let error as IngestError {
            #expect(error.failure == .invalidData)
        }
        // Under the default limit (8 MiB) all three are entries.
        #expect(try loadFiles(["s/dpi.xml": text(document)]).store.count == 3)
    }

    @Test("a FHIR resource with a huge number of notes is rejected, quickly; its patient's other entries are read")
    func manyFHIRNotes() throws {
        var bundle =
            "<Bundle xmlns=\"http://hl7.org/fhir\"><entry><resource><MedicationRequest><id value=\"m1\"/>"
            + "<subject><reference value=\"Patient/p1\"/></subject><authoredOn value=\"2026-03-04T08:00:00Z\"/>"
        for index in 0..<20_000 {
            // Notes and dosage texts in turn: each append to one moves the other's value (quadratic before).
            bundle +=
                "<note><text value=\"note \(index)\"/></note><dosageInstruction><text value=\"dose \(index)\"/></dosageInstruction>"
        }
        bundle +=
            "</MedicationRequest></resource></entry><entry><resource><Communication><id value=\"c1\"/>"
            + "<subject><reference value=\"Patient/p1\"/></subject><sent value=\"2026-03-04T09:00:00Z\"/>"
            + "<payload><contentString value=\"RAS\"/></payload></Communication></resource></entry></Bundle>"
        let started = Date()
        let loaded = try loadFiles(["s/sip.xml": text(bundle)], maxRowBytes: 64 << 10)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(loaded.store.entries.map { loaded.store.recordID(of: $0) } == ["c1"])
        #expect(loaded.quality.rejectedByKind == [.rowTooLong: 1])
    }
}

@Suite("FHIR contained resources and components")
struct FHIRContainedTests {
    static let bundle = """
        <Bundle xmlns="http://hl7.org/fhir">
          <entry><resource><Observation><id value="bp1"/>
            <contained><Patient><id value="p"/><identifier><system value="urn:oid:1.2.250.1.213.1.4.8"/><value value="279035121518989"/></identifier>
              <identifier><value value="IPP-77"/></identifier><name><family value="Le Goff"/><given value="Marie"/></name>
              <gender value="female"/><birthDate value="1940-02-03"/></Patient></contained>
            <contained><Practitioner><id value="a"/><identifier><value value="RPPS-IDE"/></identifier>
              <qualification><code><text value="Infirmier"/></code></qualification></Practitioner></contained>
            <category><coding><code value="vital-signs"/></coding></category>
            <code><coding><code value="85354-9"/><display value="Blood pressure panel"/></coding><text value="Pression artérielle"/></code>
            <subject><reference value="#p"/></subject><issued value="2026-03-04T08:05:00+01:00"/>
            <performer><reference value="#a"/></performer>
            <component><code><text value="Systolique"/></code><valueQuantity><value value="120"/><unit value="mm[Hg]"/></valueQuantity></component>
            <component><code><text value="Diastolique"/></code><valueQuantity><value value="80"/><unit value="mm[Hg]"/></valueQuantity></component>
          </Observation></resource></entry>
          <entry><resource><Observation><id value="mix1"/>
            <contained><Patient><id value="p"/><identifier><value value="IPP-99"/></identifier></Patient></contained>
            <code><text value="Oxymétrie"/></code><subject><reference value="#p"/></subject><issued value="2026-03-04T09:00:00Z"/>
            <component><valueQuantity><value value="98"/><unit value="%"/></valueQuantity></component>
            <component><valueQuantity><value value="60"/><code value="mm[Hg]"/></valueQuantity></component>
          </Observation></resource></entry>
          <entry><resource><Communication><id value="c1"/><subject><reference value="#p"/></subject>
            <sent value="2026-03-04T10:00:00Z"/><payload><contentString value="RAS"/></payload></Communication></resource></entry>
        </Bundle>
        """

    @Test(
        "#id references resolve to the resource's own contained Patient and Practitioner; components give 120/80 mm[Hg]"
    )
    func containedAndComponents() throws {
        let loaded = try loadFiles(["s/sip.xml": text(Self.bundle)])
        let csv = try loadFiles([
            "s/sip.csv": text(
                csvHeader
                    + "bp1,\(identity),2026-03-04T08:05:00+01:00,,RPPS-IDE,Infirmier,vital_sign,Pression artérielle,120/80,mm[Hg],\n"
                    + "mix1,IPP-99,,,,,,2026-03-04T09:00:00Z,,,,observation,Oxymétrie,98 %/60 mm[Hg],,\n"
                    + "c1,#p,,,,,,2026-03-04T10:00:00Z,,,,note,,,,RAS\n")
        ])
        #expect(loaded.quality.rowsRejected == 0)
        // Contained resources are not entries; each Observation's #p is its own patient; the
        // Communication's #p contains nothing and stays unresolved.
        #expect(loaded.store.entries.map { loaded.store.recordID(of: $0) } == ["bp1", "mix1", "c1"])
        #expect(Set(loaded.store.entries.map(\.patient)).count == 3)
        #expect(describe(loaded.store) == describe(csv.store))
        var fingerprinter = ContentFingerprinter()
        #expect(
            loaded.store.entries[0].fingerprint
                == fingerprinter.fingerprint(label: "Pression artérielle", value: "120/80", unit: "mm[Hg]"))
    }
}
