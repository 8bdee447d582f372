import Foundation
import TestSupport
import Testing

/// `ressaisie entries` through the built binary: one canonical row per entry, identifiers pseudonymized,
/// free text only when asked.
@Suite("ressaisie entries")
struct EntriesCommandTests {
    static let header =
        "site,system,record_id,patient_id,ins,birth_name,given_names,birth_date,sex,recorded_at,effective_at,"
        + "author_id,profession,category,purpose,label,value,unit,text"

    /// Rows as dictionaries by column name.
    private func rows(_ csv: String) -> [[String: String]] {
        let table = parseSimpleCSV(csv)
        guard let names = table.first else { return [] }
        return table.dropFirst().filter { $0.count == names.count }.map {
            Dictionary(uniqueKeysWithValues: zip(names, $0))
        }
    }

    private func isPseudonym(_ value: String) -> Bool {
        value.count == 32 && value.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    @Test("the demo audit: every entry a row, ids as pseudonyms, no identifying value, no text by default")
    func demo() throws {
        let result = try BinaryRunner.run(["entries", PackagePaths.fixture("demo"), "--key-file", keyFile])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(Self.header + "\n"))
        let listed = rows(result.stdout)
        let analyze = try BinaryRunner.run([
            "analyze", PackagePaths.fixture("demo"), "--key-file", keyFile, "--format", "json",
        ])
        let quality = try #require(try jsonObject(analyze.stdout)["data_quality"] as? [String: Any])
        let entries = try #require(quality["entries"] as? Int)
        let duplicateIDs = (quality["rejected_by_reason"] as? [String: Int])?["duplicate_record_id"] ?? 0
        // The listing does not look for record ids reused across files: those rows are listed too.
        #expect(listed.count == entries + duplicateIDs)
        #expect(listed.allSatisfy { isPseudonym($0["patient_id"]!) })
        #expect(listed.allSatisfy { $0["author_id"]!.isEmpty || isPseudonym($0["author_id"]!) })
        #expect(listed.allSatisfy { $0["ins"]!.isEmpty || isPseudonym($0["ins"]!) })
        #expect(listed.contains { !$0["ins"]!.isEmpty })
        #expect(
            listed.allSatisfy { $0["birth_name"]!.isEmpty && $0["given_names"]!.isEmpty && $0["birth_date"]!.isEmpty })
        #expect(listed.allSatisfy { $0["text"]!.isEmpty })
        #expect(
            Set(listed.map { $0["category"]! }).isSubset(of: [
                "vital_sign", "note", "medication", "allergy", "diagnosis", "appointment", "care_plan",
                "administrative", "activity",
                "observation",
            ]))
        for value in try demoInputValues(of: identifyingColumns) {
            #expect(!result.stdout.contains(value), "identifying value '\(value)' written")
        }
    }

    @Test("--include-text writes the free text; --output writes a file and nothing on standard output")
    func includeText() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let output = folder.file("entries.csv")
        let result = try BinaryRunner.run([
            "entries", PackagePaths.fixture("demo"), "--key-file", keyFile, "--include-text", "--output", output,
            "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let written = try String(contentsOfFile: output, encoding: .utf8)
        let texts = try demoInputValues(of: ["text"])
        #expect(texts.contains { written.contains($0) })
        #expect(rows(written).contains { !$0["text"]!.isEmpty })
        // Free text may name people (it is the analyst's choice to write it): the other columns may not.
        let otherColumns = rows(written).map { row in row.filter { $0.key != "text" }.values.joined(separator: ",") }
            .joined(separator: "\n")
        for value in try demoInputValues(of: identifyingColumns.subtracting(["text"])) {
            #expect(!otherColumns.contains(value), "identifying value '\(value)' written")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["entries.csv"])
    }

    @Test("XML fixtures: CDA statements and FHIR resources as the readers give them")
    func xml() throws {
        let result = try BinaryRunner.run([
            "entries", PackagePaths.fixture("xml/cda"), PackagePaths.fixture("xml/fhir"), "--key-file", keyFile,
            "--include-text",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let listed = rows(result.stdout)
        #expect(
            listed.map { $0["record_id"]! } == [
                "OBS-1", "DOC-1/observation#3", "OBS-R", "1.2.3.4", "NOTE-1", "MED-1", "o1", "c1", "cond-1", "mr-1",
                "ap-1",
            ])
        let medication = try #require(listed.first { $0["record_id"] == "MED-1" })
        #expect(medication["label"] == "Paracétamol 1 g" && medication["category"] == "medication")
        #expect(medication["text"] == "1 g matin midi soir" && medication["system"] == "DPI")
        let temperature = try #require(listed.first { $0["record_id"] == "OBS-1" })
        #expect(
            temperature["value"] == "37.5" && temperature["unit"] == "Cel" && temperature["category"] == "vital_sign")
        #expect(
            !result.stdout.contains("IPP-77") && !result.stdout.contains("279035121518989")
                && !result.stdout.contains("RPPS-"))
        // One patient per system, the same pseudonym on every row of a system.
        #expect(Set(listed.filter { $0["system"] == "DPI" }.map { $0["patient_id"]! }).count == 1)
    }

    @Test("--profile: a mapped XML export's records as the profile reads them")
    func profile() throws {
        let result = try BinaryRunner.run([
            "entries", PackagePaths.fixture("xml/mapped"), "--profile",
            PackagePaths.fixture("profiles/dui-export-xml.profile.toml"),
            "--key-file", keyFile,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let listed = rows(result.stdout)
        let first = try #require(listed.first)
        #expect(first["record_id"] == "S-1" && first["system"] == "DUI" && first["category"] == "vital_sign")
        #expect(first["label"] == "Température" && first["value"] == "37,5" && first["unit"] == "Cel")
        #expect(first["recorded_at"] == "2026-03-04 09:15" && first["profession"] == "aide_soignant")
        #expect(listed.allSatisfy { isPseudonym($0["patient_id"]!) && $0["text"]!.isEmpty })
    }

    @Test("a missing path exits 66; --strict stops at a rejected row with 65")
    func errors() throws {
        let missing = try BinaryRunner.run(["entries", "/nonexistent/exports", "--key-file", keyFile])
        #expect(missing.status == 66)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(
            "site/dpi.csv", "record_id,patient_id,recorded_at\nR1,P1,2026-03-01T08:00\nR2,,2026-03-01T09:00\n")
        let strict = try BinaryRunner.run(["entries", folder.path, "--key-file", keyFile, "--strict"])
        #expect(strict.status == 65)
        #expect(strict.stderr.contains("dpi.csv:3"))
        let lenient = try BinaryRunner.run(["entries", folder.path, "--key-file", keyFile])
        #expect(lenient.status == 0)
        #expect(rows(lenient.stdout).map { $0["record_id"]! } == ["R1"])
        #expect(lenient.stderr.contains("1 row(s) rejected"))
    }
}
