import Crypto
import Foundation
import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieIngest

let header =
    "record_id,patient_id,ins,birth_name,given_names,birth_date,sex,recorded_at,effective_at,author_id,profession,category,label,value,unit,text"

func load(_ files: [String: String], strict: Bool = false, key: String = "0123456789abcdef0123") throws -> (
    AuditLoader.Loaded, TemporaryFolder
) {
    let folder = try TemporaryFolder()
    for (path, contents) in files { try folder.write(path, contents) }
    let loader = AuditLoader(
        pseudonymizer: Pseudonymizer(keyBytes: Array(key.utf8)), options: IngestOptions(strict: strict))
    return (try loader.load(paths: [folder.path]), folder)
}

@Suite("Canonical CSV ingest")
struct CanonicalCSVReaderTests {
    @Test(
        "sex codes: case, accents, punctuation and spaces ignored",
        arguments: [
            ("M", "m"), ("h", "m"), ("1", "m"), (" Homme ", "m"), ("MASCULIN", "m"), ("M.", "m"), ("mâle", "m"),
            ("F", "f"), ("2", "f"), ("Femme", "f"), ("féminin", "f"), ("FÉMININ", "f"), ("female", "f"),
            ("", ""), ("X", ""), ("inconnu", ""), ("mf", ""), ("a very long value that is no sex at all", ""),
        ])
    func sexCodes(value: String, expected: String) {
        let code = Array(value.utf8).withUnsafeBytes { EntryAssembler.sexCode($0) }
        #expect(code == (expected.isEmpty ? 0 : expected.utf8.first!))
    }

    @Test("a row becomes the entry it describes")
    func entryFields() throws {
        let (loaded, folder) = try load([
            "site-a/dpi.csv": header + "\n"
                + "D-1,IPP1,,Le Goff,Élodie,1940-02-03,F,2026-03-04T08:05:00+01:00,2026-03-04 08:00,RPPS1,IDE,vital_sign,Température,\"37,5\",°C,\n"
                + "D-2,IPP1,,Le Goff,Élodie,1940-02-03,F,2026-03-04 09:00,,RPPS2,médecin,Activity,Acte,1,,\"Visite du matin, RAS\"\n"
        ])
        defer { folder.remove() }
        let store = loaded.store
        #expect(store.count == 2)
        #expect(store.sites == ["site-a"])
        let first = store.entries[0], second = store.entries[1]
        #expect(store.recordID(of: first) == "D-1")
        #expect(first.system == .dpi)
        #expect(first.recordedAt == ISOTimeParser.parse("2026-03-04T07:05:00Z")!.seconds)
        #expect(first.effectiveAt == ISOTimeParser.parse("2026-03-04T07:00:00Z")!.seconds)
        #expect(second.recordedAt == ISOTimeParser.parse("2026-03-04T08:00:00Z")!.seconds)
        #expect(second.effectiveAt == Entry.noTime)
        #expect(store.categories[Int(first.category)] == "vital_sign")
        #expect(store.categories[Int(second.category)] == "activity")
        #expect(first.purpose == .care && second.purpose == .management)
        // Professions go through the shipped vocabulary: IDE is a nurse.
        #expect(store.professions[Int(first.profession)] == "infirmier")
        #expect(first.patient == second.patient)
        #expect(first.author != second.author)
        #expect(second.textWords == 4)
        #expect(first.line == 2 && second.line == 3)
        var fingerprinter = ContentFingerprinter()
        #expect(first.fingerprint == fingerprinter.fingerprint(label: "temperature", value: "37.50", unit: "°c"))
        #expect(loaded.quality.rowsRead == 2 && loaded.quality.entries == 2 && loaded.quality.rowsRejected == 0)
    }

    @Test("bad rows are counted with file, line and reason; good rows still load")
    func rejections() throws {
        let (loaded, folder) = try load([
            "s/dui.csv": "record_id;patient_id;recorded_at;label\n"
                + "1;R1;2026-03-04 08:00;ok\n"
                + "2;R1;2026-03-04 08:00\n"
                + "3;R1;04/03/2026;x\n"
                + "4;;2026-03-04 08:00;x\n"
                + ";R1;2026-03-04 08:00;x\n"
                + "1;R2;2026-03-04 09:00;again\n"
                + "6;R1;;x\n"
                + "7;R1;2026-03-04 08:00;ok\n"
        ])
        defer { folder.remove() }
        let quality = loaded.quality
        // Record id 1 again, on another patient and content: an id reused by the producer, both kept.
        #expect(loaded.store.count == 3)
        #expect(quality.rowsRead == 8)
        #expect(quality.rejectedByKind == [.raggedRow: 1, .unparseableDate: 1, .missingValue: 3])
        #expect(quality.rejections.map(\.line) == [3, 4, 5, 6, 8])
        #expect(quality.rejections[0].description.hasSuffix("dui.csv:3: expected 4 fields, found 3"))
        #expect(quality.rejections[1].detail == "unparseable 'recorded_at': '04/03/2026'")
        #expect(quality.reusedRecordIDs == 1 && quality.republished == 0)
        #expect(quality.reusedRecordIDExamples.map(\.line) == [7])
        #expect(quality.reusedRecordIDExamples[0].detail.contains("already used on line 2"))
    }

    @Test("error messages never quote what could be an identifier or text")
    func noContentInMessages() throws {
        let (loaded, folder) = try load([
            "s/dpi.csv": "record_id,patient_id,recorded_at\n1,P,Jean Dupont\n2,P,04/03/2026\n3,P,2026-03-04\n"
        ])
        defer { folder.remove() }
        let details = loaded.quality.rejections.map(\.detail)
        #expect(details.count == 2)
        #expect(!details[0].contains("Dupont"))
        #expect(details[1].contains("'04/03/2026'"))
        // A file without a header row: the first data row is not repeated in the error.
        do {
            _ = try load(["s/dpi.csv": "1,IPP-4711,2026-03-04,Dupont\n"])
            Issue.record("expected an error")
        } catch let error as IngestError {
            #expect(!error.description.contains("IPP-4711") && !error.description.contains("Dupont"))
            #expect(error.description.contains("missing required column"))
        }
    }

    @Test("invalid UTF-8 in a UTF-8 file is a rejected row, not a crash")
    func invalidUTF8() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Valid UTF-8 over the first 64 KiB (so the file is read as UTF-8), then one corrupted row.
        var bytes = Array("record_id,patient_id,recorded_at,text\n".utf8)
        for number in 0..<3_000 { bytes += Array("v\(number),P,2026-03-04,café crème\n".utf8) }
        bytes += Array("1,P,2026-03-04,caf".utf8) + [0xE9] + Array("\n2,P,2026-03-04,ok\n".utf8)
        try folder.write("s/dpi.csv", bytes: bytes)
        let loader = AuditLoader(pseudonymizer: .ephemeral(), options: IngestOptions())
        let loaded = try loader.load(paths: [folder.path])
        #expect(loaded.store.count == 3_001)
        #expect(loaded.quality.encodings.isEmpty)
        #expect(loaded.quality.rejectedByKind == [.invalidUTF8: 1])
        #expect(loaded.quality.rejections.first?.detail == "invalid UTF-8 in column 'text'")
    }

    @Test("--strict stops at the first rejected row")
    func strict() throws {
        do {
            _ = try load(["s/dpi.csv": "record_id,patient_id,recorded_at\n1,P,2026-03-04\n2,P\n"], strict: true)
            Issue.record("expected an error")
        } catch let error as IngestError {
            guard case .rejected(let rejection) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(rejection.line == 3)
            #expect(rejection.kind == .raggedRow)
            #expect(error.failure == .invalidData)
        }
    }

    @Test("a missing required column names the column and the file", arguments: CanonicalField.required)
    func missingColumn(field: CanonicalField) throws {
        let columns = CanonicalField.required.filter { $0 != field }.map(\.rawValue)
        do {
            _ = try load(["s/dpi.csv": columns.joined(separator: ",") + "\nx,y\n"])
            Issue.record("expected an error")
        } catch let error as IngestError {
            #expect(error.description.contains("missing required column '\(field.rawValue)'"))
            #expect(error.description.contains("dpi.csv"))
            #expect(error.failure == .invalidData)
        }
    }

    @Test("a file whose system cannot be told is an error")
    func noSystem() throws {
        #expect(throws: IngestError.self) {
            _ = try load(["s/export.csv": "record_id,patient_id,recorded_at\n1,P,2026-03-04\n"])
        }
    }

    @Test("site and system columns override folder and file names; a system of another name is read as such")
    func columns() throws {
        let (loaded, folder) = try load([
            "s/export_sip.csv": "site,system,record_id,patient_id,recorded_at\n"
                + "msp-a,SIP,1,P,2026-03-04\nmsp-a,dpi,1,P,2026-03-04\nmsp-b,,1,P,2026-03-04\nmsp-a,XYZ,2,P,2026-03-04\n"
        ])
        defer { folder.remove() }
        let store = loaded.store
        #expect(store.count == 4)
        #expect(store.entries.map { store.sites[Int($0.site)] } == ["msp-a", "msp-a", "msp-b", "msp-a"])
        // The folder's name ("s") is no site of its own when every row names its site.
        #expect(store.sites.sorted() == ["msp-a", "msp-b"])
        #expect(
            store.entries.map { store.system(of: $0) } == [
                .sip, .dpi, .sip, InformationSystem(name: "XYZ", kind: .other),
            ])
        #expect(loaded.quality.rejectedByKind.isEmpty)
    }

    @Test("a row whose system is Excel is an entry of the system Excel, of kind other: never rejected")
    func excelRow() throws {
        let (loaded, folder) = try load([
            "ehpad/suivi.csv": "system," + header + "\n"
                + "Excel,X-1,R1,,,,,,2026-03-04T08:05:00+01:00,,,,vital_sign,Température,37.5,°C,\n"
                + " EXCEL ,X-2,R1,,,,,,2026-03-04T09:05:00+01:00,,,,vital_sign,Température,38.5,°C,\n"
                + "cahier de transmissions,C-1,R1,,,,,,2026-03-04T10:05:00+01:00,,,,note,,,,RAS\n"
        ])
        defer { folder.remove() }
        let store = loaded.store
        #expect(loaded.quality.rejectedByKind.isEmpty)
        #expect(store.count == 3)
        let excel = InformationSystem(name: "Excel", kind: .other)
        #expect(
            store.entries.map { store.system(of: $0) } == [
                excel, excel, InformationSystem(name: "cahier de transmissions", kind: .other),
            ])
        // The patient's local id is scoped by the system's name, as for DPI, DUI and SIP.
        #expect(store.patients.count == 2)
    }

    @Test("a declared system is recognized in file and folder names, with its declared kind")
    func declaredSystemFromNames() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(
            "ehpad/cahier-2026-03.csv",
            header + "\nC-1,R1,,,,,,2026-03-04T08:05:00+01:00,,,,note,,,,Chute dans la chambre\n")
        try folder.write(
            "ehpad/pharma/export.csv",
            header + "\nP-1,R1,,,,,,2026-03-04T08:05:00+01:00,,,,medication,Doliprane,,,\n")
        var options = IngestOptions()
        options.systems = [
            InformationSystem(name: "cahier", kind: .other), InformationSystem(name: "Pharma", kind: .other),
        ]
        let loader = AuditLoader(
            pseudonymizer: Pseudonymizer(keyBytes: Array("0123456789abcdef0123".utf8)), options: options)
        let loaded = try loader.load(paths: [folder.path])
        let store = loaded.store
        #expect(Set(store.entries.map { store.system(of: $0).name }) == ["cahier", "Pharma"])
        #expect(
            InputDiscovery.system(
                fromNames: ["cahier de transmissions 2026"],
                declared: [
                    InformationSystem(name: "cahier de transmissions", kind: .other)
                ])?.name == "cahier de transmissions")
        #expect(InputDiscovery.system(fromNames: ["cahiers"], declared: options.systems)?.name == "cahier")
        #expect(InputDiscovery.system(fromNames: ["export"], declared: options.systems) == nil)
    }

    @Test("empty file and header-only file")
    func emptyFiles() throws {
        let (loaded, folder) = try load([
            "s/dpi.csv": "", "s/dui.csv": "record_id,patient_id,recorded_at\n",
            "s/sip.csv": "record_id,patient_id,recorded_at\n1,P,2026-03-04\n",
        ])
        defer { folder.remove() }
        #expect(loaded.store.count == 1)
        #expect(loaded.quality.rejectedByKind == [.emptyFile: 1])
        #expect(loaded.quality.files == 3)
        do {
            _ = try load(["s/dpi.csv": "record_id,patient_id,recorded_at\n"])
            Issue.record("expected nothing readable")
        } catch let error as IngestError {
            #expect(error.failure == .invalidData)
        }
    }

    @Test("entries about patients with neither INS nor full traits are counted as unlinkable")
    func unlinkable() throws {
        let (loaded, folder) = try load([
            "s/dpi.csv": header + "\n1,IPP1,,A,B,1940-01-01,F,2026-03-04 08:00,,,,note,,,,x\n"
                + "2,IPP2,,,,,,2026-03-04 08:00,,,,note,,,,x\n3,IPP2,,,,,,2026-03-04 09:00,,,,note,,,,y\n"
                + "4,IPP3,123456789012311,,,,,2026-03-04 09:00,,,,note,,,,y\n"
        ])
        defer { folder.remove() }
        #expect(loaded.quality.entriesWithoutPatientLink == 2)
        #expect(loaded.quality.invalidINS == 0)
    }

    @Test("identity features at ingest: computed once per patient, birth place read, nothing in clear")
    func features() throws {
        let (loaded, folder) = try load([
            "s/dpi.csv":
                "record_id,patient_id,birth_name,given_names,birth_date,sex,birth_place,recorded_at,category,text\n"
                + "1,IPP1,Lefèvre,Bérénice Anne,1947-09-03,F,37261,2026-03-04 08:00,note,x\n"
                + "2,IPP1,Autre,Nom,1950-01-01,M,75056,2026-03-04 09:00,note,y\n"
                + "3,IPP2,,,,,,2026-03-04 09:00,note,y\n"
        ])
        defer { folder.remove() }
        let patients = loaded.store.patients
        #expect(patients.count == 2)
        let first = patients[0].features
        #expect(
            first.birthPlace != 0 && first.birthNameHash != 0 && first.givenNameHash != 0
                && first.sex == UInt8(ascii: "f"))
        #expect(first.birthDate != 0 && first.birthDateSwapped != first.birthDate && !first.birthName.isEmpty)
        #expect(patients[1].features.isEmpty)
        // The first row's identity is kept (as for the traits pseudonym).
        #expect(first.birthNamePhonetic != 0 && first.birthName.popCount > 20)
    }

    @Test("an INS whose check key is wrong is counted and not used to link")
    func invalidINS() throws {
        let (loaded, folder) = try load([
            "s/dpi.csv": header + "\n1,IPP1,123456789012345,,,,,2026-03-04 08:00,,,,note,,,,x\n"
                + "2,IPP1,123456789012345,,,,,2026-03-04 09:00,,,,note,,,,y\n"
                + "3,IPP2,2 85 05 2A 006 084 82,,,,,2026-03-04 09:00,,,,note,,,,y\n",
            "s/dui.csv": header + "\n1,R1,123456789012345,,,,,2026-03-04 08:00,,,,note,,,,x\n",
        ])
        defer { folder.remove() }
        #expect(loaded.quality.invalidINS == 2)  // once per patient record
        #expect(loaded.store.patients.filter { $0.ins != nil }.count == 1)  // the Corsican one
        let linkage = ProbabilisticLinker().link(loaded.store.patients)
        #expect(linkage.personCount == 3)
    }

    @Test("unknown columns are kept out and listed")
    func ignoredColumns() throws {
        let (loaded, folder) = try load([
            "s/dpi.csv": "record_id,patient_id,recorded_at,Service\n1,P,2026-03-04,Cardio\n"
        ])
        defer { folder.remove() }
        #expect(loaded.quality.ignoredColumns.values.first == ["Service"])
    }

    @Test("patients are linked across systems by traits folded for case, accents, hyphens and spaces")
    func traitsLinkage() throws {
        let (loaded, folder) = try load([
            "s/dpi.csv": header
                + "\n1,IPP1,,Le Goff,Jean-Pierre Marie,1940-02-03,M,2026-03-04 08:00,,,,note,,,,Chute\n",
            "s/dui.csv": header + "\n9,R-7,,LEGOFF,jean pierre,1940-02-03,H,2026-03-04 09:00,,,,note,,,,chute\n"
                + "10,R-8,,LEGOFF,Jean-Pierre,1940-02-04,M,2026-03-04 09:00,,,,note,,,,chute\n",
        ])
        defer { folder.remove() }
        let linkage = DeterministicLinker().link(loaded.store.patients)
        let persons = loaded.store.entries.map { linkage.person[Int($0.patient)] }
        // A compound given name is written with a hyphen here and a space there: its first part, "jean",
        // is the first given name of both (the birth date still sets R-8 apart).
        #expect(persons[0] == persons[1])
        #expect(persons[0] != persons[2])
        let (again, folder2) = try load([
            "s/dpi.csv": header
                + "\n1,IPP1,,Le Goff,Jean-Pierre Marie,1940-02-03,M,2026-03-04 08:00,,,,note,,,,Chute\n",
            "s/dui.csv": header + "\n9,R-7,,LE-GOFF,JEAN-PIERRE,1940-02-03,H,2026-03-04 09:00,,,,note,,,,chute\n",
        ])
        defer { folder2.remove() }
        let linkage2 = DeterministicLinker().link(again.store.patients)
        #expect(linkage2.personCount == 1)
        #expect(Analysis(store: again.store).groups.count == 1)
    }
}

@Suite("Encodings in ingest")
struct EncodingIngestTests {
    @Test("a Windows-1252 export gives the same entries as its UTF-8 twin")
    func windows1252Twin() throws {
        let text =
            header + "\n"
            + "1,IPP1,,Lefèvre,Élodie,1940-02-03,F,2026-03-04 08:00,,R1,IDE,note,Transmission,,,\"Œdème des chevilles, à surveiller\"\n"
            + "2,IPP1,,Lefèvre,Élodie,1940-02-03,F,2026-03-04 09:00,,R1,IDE,vital_sign,Température,\"37,5\",°C,\n"
        let bytes = text.unicodeScalars.map { scalar -> UInt8 in scalar.value == 0x0152 ? 0x8C : UInt8(scalar.value) }
        let folderA = try TemporaryFolder(), folderB = try TemporaryFolder()
        defer {
            folderA.remove()
            folderB.remove()
        }
        try folderA.write("s/dpi.csv", text)
        try folderB.write("s/dpi.csv", bytes: bytes)
        let loader = AuditLoader(
            pseudonymizer: Pseudonymizer(keyBytes: Array("0123456789abcdef".utf8)), options: IngestOptions())
        let utf8 = try loader.load(paths: [folderA.path]), windows = try loader.load(paths: [folderB.path])
        #expect(windows.quality.encodings.values.first == "windows-1252")
        #expect(windows.quality.rowsRejected == 0)
        #expect(utf8.store.entries == windows.store.entries)
        #expect(utf8.store.patients == windows.store.patients)
        #expect(utf8.store.categories == windows.store.categories)
    }
}

@Suite("Input discovery")
struct InputDiscoveryTests {
    @Test("site from the folder under the root, system from file then folder names")
    func namesAndFolders() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for path in [
            "ehpad-a/DUI_export.csv", "ehpad-a/dpi/2026-03.csv", "ehpad-a/notes.txt", "ch-b/sip-x.CSV",
            "top-dpi.csv", "ehpad-a/.hidden.csv",
            // The ground truth synth writes beside its exports: never read as exports.
            "truth.csv", "truth-pathways.csv", "truth-cross-category.csv",
        ] {
            try folder.write(path, "x")
        }
        let found = try InputDiscovery.files(in: [folder.path])
        let summary = found.files.map {
            "\(($0.path as NSString).lastPathComponent) \($0.site) \($0.system?.name ?? "-")"
        }
        let root = (folder.path as NSString).lastPathComponent
        #expect(
            summary == [
                "sip-x.CSV ch-b SIP", "DUI_export.csv ehpad-a DUI", "2026-03.csv ehpad-a DPI",
                "top-dpi.csv \(root) DPI",
            ])
        #expect(found.skipped == 4)
    }

    @Test("a missing path is an error with exit code 66")
    func missing() {
        do {
            _ = try InputDiscovery.files(in: ["/nonexistent/ressaisie"])
            Issue.record("expected an error")
        } catch let error as IngestError {
            #expect(error == .notFound(path: "/nonexistent/ressaisie"))
            #expect(error.failure == .missing)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(
        "system words: whole word or prefix, any case",
        arguments: [
            ("dpi", InformationSystem.dpi), ("DUI_2026", .dui), ("export-sip", .sip), ("sipexport", .sip),
            ("dossier", nil),
            ("ipdpi", nil),
        ] as [(String, InformationSystem?)])
    func systemNames(name: String, expected: InformationSystem?) {
        #expect(InputDiscovery.system(fromNames: [name]) == expected)
    }
}

@Suite("Pseudonymization")
struct PseudonymizerTests {
    @Test("same key, same pseudonym; another key or domain, another pseudonym")
    func keyed() {
        let a = Pseudonymizer(keyBytes: Array("0123456789abcdef".utf8))
        let b = Pseudonymizer(keyBytes: Array("0123456789abcdeF".utf8))
        #expect(a.pseudonym(.patient, "IPP1") == a.pseudonym(.patient, "IPP1"))
        #expect(a.pseudonym(.patient, "IPP1") != b.pseudonym(.patient, "IPP1"))
        #expect(a.pseudonym(.patient, "IPP1") != a.pseudonym(.author, "IPP1"))
        #expect(Pseudonymizer.ephemeral().pseudonym(.ins, "1") != Pseudonymizer.ephemeral().pseudonym(.ins, "1"))
    }

    @Test("the prepared HMAC equals swift-crypto's HMAC-SHA256 for keys and messages of every length")
    func preparedHMAC() {
        var random = SystemRandomNumberGenerator.Seeded(seed: 7)
        // RFC 4231 test case 2, then random keys (shorter, equal to and longer than a block) and messages.
        let rfcKey = Array("Jefe".utf8), rfcMessage = Array("what do ya want for nothing?".utf8)
        let rfc = rfcKey.withUnsafeBytes { key in
            rfcMessage.withUnsafeBytes { PreparedHMAC(key: key).authenticationCode(for: $0) }
        }
        #expect(
            rfc.map { String(format: "%02x", $0) }.joined()
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        for keyLength in [16, 20, 63, 64, 65, 131] {
            let key = (0..<keyLength).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            for messageLength in [0, 1, 17, 55, 56, 64, 200] {
                let message = (0..<messageLength).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
                let prepared = key.withUnsafeBytes { key in
                    message.withUnsafeBytes { Array(PreparedHMAC(key: key).authenticationCode(for: $0)) }
                }
                #expect(prepared == expected, "key \(keyLength) bytes, message \(messageLength) bytes")
            }
        }
    }

    @Test("key files: missing is 66, too short is 64, a trailing line break is ignored")
    func keyFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let short = try folder.write("short.key", "abc\n")
        let good = try folder.write("good.key", "0123456789abcdef\n")
        #expect(throws: IngestError.keyFile(path: folder.file("none"), reason: "no such file", notFound: true)) {
            _ = try Pseudonymizer.fromKeyFile(folder.file("none"))
        }
        do {
            _ = try Pseudonymizer.fromKeyFile(short)
            Issue.record("expected an error")
        } catch let error as IngestError {
            #expect(error.failure == .invalidSetting)
        }
        let fromFile = try Pseudonymizer.fromKeyFile(good)
        #expect(
            fromFile.pseudonym(.patient, "x")
                == Pseudonymizer(keyBytes: Array("0123456789abcdef".utf8)).pseudonym(.patient, "x"))
        #expect(!fromFile.isEphemeral)
    }

    @Test("the same exports with the same key give the same store, file after file")
    func deterministic() throws {
        let files = [
            "s/dpi.csv": header + "\n1,IPP1,1234,A,B,1940-01-01,F,2026-03-04 08:00,,R1,IDE,note,,,,x\n",
            "s/dui.csv": header + "\n2,R1,1234,A,B,1940-01-01,F,2026-03-04 09:00,,R1,IDE,note,,,,x\n",
        ]
        let (first, folder1) = try load(files)
        let (second, folder2) = try load(files)
        defer {
            folder1.remove()
            folder2.remove()
        }
        #expect(first.store.patients == second.store.patients)
        #expect(first.store.authors == second.store.authors)
        #expect(first.store.entries.map(\.fingerprint) == second.store.entries.map(\.fingerprint))
    }
}

@Suite("Times as systems write them")
struct ExportTimesTests {
    @Test("a date alone is a day; the effective time of that day is preferred; a stamped effective time says nothing")
    func dayPrecision() throws {
        let (loaded, folder) = try load([
            "s/dpi.csv": "record_id,patient_id,recorded_at,effective_at,label,value\n"
                + "1,P,2026-03-12,2026-03-12T08:15:00Z,T,37\n"  // day + time of that day: the time
                + "2,P,2026-03-12,,T,38\n"  // a day alone
                + "3,P,2026-03-12T09:00:00Z,2026-03-12T09:00:00Z,T,39\n"  // stamped with the typing time
                + "4,P,2026-03-12T09:00:00Z,2026-03-11,T,40\n"  // an effective day: rules nothing out
        ])
        defer { folder.remove() }
        let entries = loaded.store.entries
        #expect(
            entries[0].recordedAt == ISOTimeParser.parse("2026-03-12T08:15:00Z")!.seconds
                && !entries[0].flags.contains(.recordedDay))
        #expect(entries[0].effectiveAt == entries[0].recordedAt)
        #expect(
            entries[0].flags.contains(.recordedTimeFromEffective)
                && !entries[2].flags.contains(.recordedTimeFromEffective))
        #expect(entries[1].flags.contains(.recordedDay) && entries[1].effectiveAt == Entry.noTime)
        #expect(entries[2].effectiveAt == Entry.noTime && entries[3].effectiveAt == Entry.noTime)
    }

    @Test("implausible times are kept, counted with file and line, and stay out of the period")
    func implausible() throws {
        let (loaded, folder) = try load([
            "s/dpi.csv": "record_id,patient_id,birth_date,recorded_at,label,value\n"
                + "1,P,1950-01-01,2026-03-01T08:00:00Z,T,37\n"
                + "2,P,1950-01-01,2918-03-01T08:00:00Z,T,38\n"
                + "3,P,1950-01-01,1850-03-01T08:00:00Z,T,39\n"
                + "4,Q,2030-01-01,2026-03-02T08:00:00Z,T,40\n"
                + "5,P,1950-01-01,2026-03-03T08:00:00Z,T,41\n"
        ])
        defer { folder.remove() }
        #expect(loaded.store.count == 5)
        #expect(loaded.quality.implausibleTimes == 3)
        #expect(loaded.quality.implausibleTimeExamples.map(\.line) == [3, 4, 5])
        #expect(loaded.quality.implausibleTimeExamples.allSatisfy { $0.file.hasSuffix("s/dpi.csv") })
        #expect(loaded.quality.implausibleTimeExamples[0].detail.contains("after the date of the run"))
        #expect(loaded.quality.implausibleTimeExamples[2].detail.contains("birth"))
        let linkage = DeterministicLinker().link(loaded.store.patients)
        let metrics = Analysis(store: loaded.store, linker: DeterministicLinker()).metrics
        #expect(metrics.sites[0].firstRecordedAt == ISOTimeParser.parse("2026-03-01T08:00:00Z")!.seconds)
        #expect(metrics.sites[0].lastRecordedAt == ISOTimeParser.parse("2026-03-03T08:00:00Z")!.seconds)
        #expect(linkage.person.count == loaded.store.patients.count)
    }
}

@Suite("Boilerplate learned at ingest")
struct LearnedBoilerplateTests {
    @Test(
        "a site's own marker, in labels and texts, is learned and set aside: re-entries get their original's fingerprint"
    )
    func learnedAtIngest() throws {
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let syllables = ["ka", "lo", "mi", "zu", "pe", "ri", "ton", "vel", "dra", "chu"]
        func word() -> String { (0..<3).map { _ in syllables[next() % syllables.count] }.joined() }
        var dpi = "record_id,patient_id,recorded_at,category,label,value,text\n"
        var dui = dpi
        for index in 0..<60 {
            let text = (0..<5).map { _ in word() }.joined(separator: " ")
            let label = word().capitalized
            let time = "2026-03-0\(1 + index % 9)T08:\(10 + index % 40):00Z"
            dpi += "d\(index),P\(index % 7),\(time),note,Observation,,\(text)\n"
            dpi += "dl\(index),P\(index % 7),\(time),allergy,\(label),,\n"
            dui += "u\(index),P\(index % 7),\(time),note,Transmission,,Trolu Vekka : \(text)\n"
            dui += "ul\(index),P\(index % 7),\(time),allergy,Trolu Vekka - \(label),,\n"
        }
        let (loaded, folder) = try load(["s/dpi.csv": dpi, "s/dui.csv": dui])
        defer { folder.remove() }
        let learned = loaded.boilerplate.boilerplate.phrases
        #expect(learned.contains { $0.text == "trolu vekka" && $0.field == .text && $0.systems == ["DUI"] })
        #expect(learned.contains { $0.text == "trolu vekka" && $0.field == .label })
        #expect(learned.allSatisfy { $0.text == "trolu vekka" })
        #expect(loaded.boilerplate.rowsSampled == 240)
        let store = loaded.store
        let fingerprints = Dictionary(
            uniqueKeysWithValues: store.entries.map { (store.recordID(of: $0), $0.fingerprint) })
        for index in 0..<60 {
            #expect(fingerprints["d\(index)"] == fingerprints["u\(index)"])
            #expect(fingerprints["dl\(index)"] == fingerprints["ul\(index)"])
        }
    }
}
