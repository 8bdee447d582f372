import Foundation
import TestSupport
import Testing

@testable import RessaisieCore
@testable import RessaisieIngest

/// A vendor export (Windows-1252, `;`, title lines, French headers, split dates and times, decimal commas,
/// abbreviated professions) read through the profile that `inspect` proposes, against its canonical twin.
@Suite("Vendor exports through profiles")
struct ProfileTests {
    let vendor = PackagePaths.fixture("vendor/ehpad-les-tilleuls/dui-export-2026-03.csv")
    let twin = PackagePaths.fixture("demo/ehpad-les-tilleuls/dui.csv")

    func loader(profiles: [Profile] = []) -> AuditLoader {
        var options = IngestOptions()
        options.csvProfiles = profiles
        return AuditLoader(
            pseudonymizer: Pseudonymizer(keyBytes: Array("profile-test-key-0123".utf8)), options: options)
    }

    @Test("inspect --write-profile, then the profile with no hand edit: exactly the twin's entries, field by field")
    func sameEntriesAsCanonicalTwin() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let inspected = try BinaryRunner.run(["inspect", vendor, "--write-profile", folder.file("dui.profile.toml")])
        #expect(inspected.status == 0, "\(inspected.stderr)")
        #expect(inspected.stdout.contains("windows-1252"))
        #expect(inspected.stdout.contains("2 title lines above"))
        // Identifying values are masked in what inspect shows.
        #expect(!inspected.stdout.contains("LEFEVRE"))

        let profile = try Profile.load(path: folder.file("dui.profile.toml"))
        let mapped = try loader(profiles: [profile]).load(paths: [vendor])
        let canonical = try loader().load(paths: [twin])
        #expect(mapped.quality.rowsRejected == 0)
        #expect(mapped.store.count == canonical.store.count)
        #expect(mapped.store.count == 94)
        let a = mapped.store, b = canonical.store
        for (x, y) in zip(a.entries, b.entries) {
            #expect(a.recordID(of: x) == b.recordID(of: y))
            #expect(x.recordedAt == y.recordedAt && x.effectiveAt == y.effectiveAt, "\(a.recordID(of: x))")
            #expect(x.fingerprint == y.fingerprint && x.textWords == y.textWords, "\(a.recordID(of: x))")
            #expect(x.system == y.system && x.purpose == y.purpose)
            #expect(a.sites[Int(x.site)] == b.sites[Int(y.site)])
            #expect(a.categories[Int(x.category)] == b.categories[Int(y.category)], "\(a.recordID(of: x))")
            #expect(a.professions[Int(x.profession)] == b.professions[Int(y.profession)], "\(a.recordID(of: x))")
            #expect(a.patients[Int(x.patient)] == b.patients[Int(y.patient)], "\(a.recordID(of: x))")
            #expect(a.authors[Int(x.author)] == b.authors[Int(y.author)])
        }
    }

    @Test("a profile beside the export is picked up by analyze; the demo site then gives the same groups")
    func besideTheExport() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let site = folder.file("ehpad-les-tilleuls")
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: vendor, toPath: site + "/dui-export-2026-03.csv")
        try FileManager.default.copyItem(
            atPath: PackagePaths.fixture("demo/ehpad-les-tilleuls/dpi.csv"), toPath: site + "/dpi.csv")
        #expect(
            try BinaryRunner.run([
                "inspect", site + "/dui-export-2026-03.csv", "--write-profile",
                site + "/dui-export-2026-03.profile.toml",
            ]).status == 0)
        let key = folder.file("k")
        try folder.write("k", "profile-test-key-0123")
        let vendorRun = try BinaryRunner.run([
            "analyze", folder.path, "--key-file", key, "--groups", folder.file("g1.csv"), "-q", "-o", "/dev/null",
        ])
        #expect(vendorRun.status == 0, "\(vendorRun.stderr)")
        let demoRun = try BinaryRunner.run([
            "analyze", PackagePaths.fixture("demo/ehpad-les-tilleuls"), "--key-file", key, "--groups",
            folder.file("g2.csv"), "-q", "-o", "/dev/null",
        ])
        #expect(demoRun.status == 0)
        let g1 = try String(contentsOfFile: folder.file("g1.csv"), encoding: .utf8)
        let g2 = try String(contentsOfFile: folder.file("g2.csv"), encoding: .utf8)
        #expect(!g2.isEmpty && g1 == g2)
    }

    @Test("a profile naming a column the export lacks: exit 65, the column and the profile named")
    func wrongProfile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let profile = try folder.write(
            "bad.toml",
            """
            format = "ressaisie.profile/1"
            system = "DUI"
            [fields]
            record_id = "N° saisie"
            patient_id = "N° patient"
            recorded_at = { columns = ["Date saisie", "Heure saisie"], format = "dd/MM/yyyy HH:mm" }
            """)
        let result = try BinaryRunner.run(["analyze", vendor, "--profile", profile, "--key-file", folder.file("none")])
        #expect(result.status == 66)  // the key file is checked first
        try folder.write("k", "profile-test-key-0123")
        let run = try BinaryRunner.run(["analyze", vendor, "--profile", profile, "--key-file", folder.file("k")])
        #expect(run.status == 65)
        #expect(run.stderr.contains("'N° patient'"))
        #expect(run.stderr.contains("bad.toml"))
    }

    @Test(
        "profiles that are not valid are refused with their file and line",
        arguments: [
            ("format = \"ressaisie.profile/9\"\n[fields]\n", "format"),
            ("[fields]\nrecord_id = \"a\"\n", "required field 'patient_id'"),
            (
                "[fields]\nrecord_id = \"a\"\npatient_id = \"b\"\nrecorded_at = { column = \"c\", format = \"dd/MM/yyy\" }\n",
                "bad date format"
            ),
            ("[fields\n", "not valid TOML"),
            (
                "[fields]\nrecord_id = \"a\"\npatient_id = \"b\"\nrecorded_at = \"c\"\nsurname = \"d\"\n",
                "unknown field 'surname'"
            ),
        ])
    func invalidProfiles(text: String, message: String) throws {
        do {
            _ = try Profile.parse(text, path: "p.toml")
            Issue.record("expected an error")
        } catch let error as IngestError {
            #expect(error.description.contains(message), "\(error)")
            #expect(error.failure == .invalidData)
        }
    }
}

@Suite("inspect privacy")
struct InspectPrivacyTests {
    @Test("unknown headers, values guessed as dates and identity columns are masked; a headerless file shows no names")
    func masking() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write(
            "dui.csv",
            """
            Identifiant;Nom usuel;Jour X;Libellé;Valeur
            1;DUPONTEL;03/02/1931;Poids;60
            2;MARTINEZ;12/12/1944;Poids;61

            """)
        let result = try BinaryRunner.run(["inspect", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("DUPONTEL") && !result.stdout.contains("1931"))
        #expect(result.stdout.contains("Poids"))
        let shown = try BinaryRunner.run(["inspect", file, "--show-values"])
        #expect(shown.stdout.contains("DUPONTEL"))
        let headerless = try folder.write("sip.csv", "1;DUPONTEL;03/02/1931\n2;MARTINEZ;12/12/1944\n")
        let bare = try BinaryRunner.run(["inspect", headerless])
        #expect(!bare.stdout.contains("DUPONTEL") && !bare.stdout.contains("MARTINEZ"))
    }
}

@Suite("Profile dialect options")
struct ProfileDialectTests {
    @Test("time_zone, delimiter, quote and header_line of a profile are honoured")
    func options() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write(
            "site/dui.csv", "Export du 05/03/2026\nid|résident|quand|note\n1|R1|04/03/2026 08:00|'a|b'\n")
        let profile = try Profile.parse(
            """
            format = "ressaisie.profile/1"
            system = "DUI"
            delimiter = "|"
            quote = "'"
            header_line = 2
            time_zone = "UTC"
            [fields]
            record_id = "id"
            patient_id = "Résident"
            recorded_at = { column = "quand", format = "dd/MM/yyyy HH:mm" }
            text = "note"
            """, path: "p.toml")
        var options = IngestOptions()
        options.csvProfiles = [profile]
        let loaded = try AuditLoader(pseudonymizer: .ephemeral(), options: options).load(paths: [file])
        #expect(loaded.store.count == 1)
        #expect(loaded.store.entries[0].recordedAt == ISOTimeParser.parse("2026-03-04T08:00:00Z")!.seconds)
        var fingerprinter = ContentFingerprinter()
        #expect(loaded.store.entries[0].fingerprint == fingerprinter.fingerprint(text: "a|b"))
    }

    @Test("local words mapped by [values] on every row, joined date and time columns, dates alone")
    func valuesAndJoinedColumns() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var rows = "n;dossier;date;heure;né le;fonction;type;libellé\n"
        let words = [("Fonction 7", "IDE"), ("Fonction 9", "aide-soignant"), ("Médecin", "Médecin")]
        for index in 0..<30 {
            let (local, _) = words[index % 3]
            rows +=
                "\(index);P\(index % 4);0\(1 + index % 9)/03/2026;\(10 + index % 12):0\(index % 6);31/12/1939;\(local);Obs \(index % 2);Pouls\n"
        }
        let file = try folder.write("site/dui.csv", rows)
        let profile = try Profile.parse(
            """
            format = "ressaisie.profile/1"
            system = "DUI"
            time_zone = "UTC"
            [fields]
            record_id = "n"
            patient_id = "dossier"
            recorded_at = { columns = ["date", "heure"], format = "dd/MM/yyyy HH:mm" }
            birth_date = { column = "né le", format = "dd/MM/yyyy" }
            profession = "fonction"
            category = "type"
            label = "libellé"
            [values.profession]
            "Fonction 7" = "IDE"
            "Fonction 9" = "aide-soignant"
            [values.category]
            "Obs 0" = "vital_sign"
            "Obs 1" = "note"
            """, path: "p.toml")
        var options = IngestOptions()
        options.csvProfiles = [profile]
        let loaded = try AuditLoader(pseudonymizer: .ephemeral(), options: options).load(paths: [file])
        #expect(loaded.store.count == 30)
        for (index, entry) in loaded.store.entries.enumerated() {
            let expectedTime = ISOTimeParser.parse("2026-03-0\(1 + index % 9)T\(10 + index % 12):0\(index % 6):00Z")!
                .seconds
            #expect(entry.recordedAt == expectedTime, "row \(index)")
            // Words only the profile knows mapped by it (to IDE, aide-soignant), Médecin as written; then the
            // vocabulary's canonical names.
            let profession = loaded.store.professions[Int(entry.profession)]
            #expect(profession == ["infirmier", "aide_soignant", "medecin"][index % 3], "\(profession)")
            #expect(loaded.store.categories[Int(entry.category)] == (index % 2 == 0 ? "vital_sign" : "note"))
        }
        #expect(Set(loaded.store.entries.map(\.profession)).count == 3)
        var iso: [UInt8] = []
        MappedCSVReader.appendISO(ParsedTime(seconds: 86_400 * 365 + 3_723, isLocal: true, isDateOnly: false), to: &iso)
        #expect(iso == Array("1971-01-01T01:02:03".utf8))
        iso.removeAll()
        MappedCSVReader.appendISO(ParsedTime(seconds: -86_400, isLocal: true, isDateOnly: true), to: &iso)
        #expect(iso == Array("1969-12-31".utf8))
    }
}

@Suite("Mapped XML through a TOML profile")
struct MappedXMLProfileTests {
    @Test("--profile with an [xml] table reads the vendor XML export; without it the file is refused")
    func mappedXML() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("k", "profile-test-key-0123")
        let site = folder.file("ehpad")
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: PackagePaths.fixture("xml/mapped/dui-export.xml"), toPath: site + "/dui-export.xml")
        let profile = PackagePaths.fixture("profiles/dui-export-xml.profile.toml")
        let read = try BinaryRunner.run([
            "analyze", folder.path, "--profile", profile, "--key-file", folder.file("k"), "--format", "json", "-q",
        ])
        #expect(read.status == 0, "\(read.stderr)")
        let quality = try #require(try jsonObject(read.stdout)["data_quality"] as? [String: Any])
        #expect(quality["entries"] as? Int == 2)
        #expect(quality["rows_rejected"] as? Int == 0)
        let parsed = try Profile.load(path: profile)
        #expect(parsed.mappedXMLProfile?.recordElement == "saisie")
        #expect(parsed.mappedXMLProfile?.constants[.system] == "DUI")
        let refused = try BinaryRunner.run(["analyze", folder.path, "--key-file", folder.file("k")])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("root element <export>"))
    }
}
