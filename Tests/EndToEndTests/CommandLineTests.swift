import Foundation
import TestSupport
import Testing

/// Exit codes and messages of the contract (docs/DESIGN.md, "Exit codes"), and cron behaviour.
@Suite("Command line contract")
struct CommandLineTests {
    let header = "record_id,patient_id,recorded_at,category,label,value\n"

    @Test("a missing input path exits 66 and names it")
    func missingPath() throws {
        let result = try BinaryRunner.run(["analyze", "/nonexistent/exports", "--key-file", keyFile])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/exports: no such file or folder"))
    }

    @Test("--strict turns the first rejected row into exit 65 with file and line")
    func strict() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("site/dpi.csv", header + "1,P,2026-03-04 08:00,vital_sign,Poids,60\n2,P,2026-03-04,x\n")
        let lenient = try BinaryRunner.run(["analyze", folder.path, "--key-file", keyFile, "--format", "json"])
        #expect(lenient.status == 0)
        #expect(lenient.stderr.contains("1 row(s) rejected"))
        let quality = try #require(try jsonObject(lenient.stdout)["data_quality"] as? [String: Any])
        #expect(quality["rows_rejected"] as? Int == 1)
        #expect((quality["rejected_by_reason"] as? [String: Int])?["ragged_row"] == 1)
        let rejections = try #require(quality["rejections"] as? [[String: Any]])
        #expect(rejections.first?["line"] as? Int == 3)

        let strict = try BinaryRunner.run(["analyze", folder.path, "--key-file", keyFile, "--strict"])
        #expect(strict.status == 65)
        #expect(strict.stderr.contains("dpi.csv:3: expected 6 fields, found 4"))
        #expect(strict.stdout.isEmpty)
    }

    @Test("nothing readable exits 65; a file that is not an export names the missing column")
    func nothingReadable() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("site/dpi.csv", "record_id,patient_id\n1,P\n")
        let result = try BinaryRunner.run(["analyze", folder.path, "--key-file", keyFile])
        #expect(result.status == 65)
        #expect(result.stderr.contains("missing required column 'recorded_at'"))
        let empty = try TemporaryFolder()
        defer { empty.remove() }
        let none = try BinaryRunner.run(["analyze", empty.path, "--key-file", keyFile])
        #expect(none.status == 65)
        #expect(none.stderr.contains("nothing to analyze"))
    }

    @Test("usage errors exit 64")
    func usage() throws {
        #expect(try BinaryRunner.run(["analyze", "--format", "pdf"]).status == 64)
        #expect(try BinaryRunner.run(["analyze", "--window-hours", "0"]).status == 64)
        #expect(try BinaryRunner.run(["analyze", "--time-zone", "Mars/Olympus"]).status == 64)
    }

    @Test("key files: missing is 66, too short is 64; without one a warning, unless --quiet")
    func keys() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let short = try folder.write("short.key", "abc")
        #expect(try BinaryRunner.run(["analyze", "--key-file", folder.file("none.key")]).status == 66)
        #expect(try BinaryRunner.run(["analyze", "--key-file", short]).status == 64)
        let fromEnvironment = try BinaryRunner.run(["analyze", "-q"], environment: ["RESSAISIE_KEY_FILE": short])
        #expect(fromEnvironment.status == 64)
        let warned = try BinaryRunner.run(["analyze"])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("random key"))
        let quiet = try BinaryRunner.run(["analyze", "--quiet", "-o", folder.file("r.txt")])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty)
    }

    @Test("-o /dev/null writes to the device and leaves it a device")
    func devNull() throws {
        let result = try BinaryRunner.run([
            "analyze", "--key-file", keyFile, "-q", "-o", "/dev/null", "--groups", "/dev/null",
        ])
        #expect(result.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
    }

    @Test("an output that cannot be written exits 73 and leaves nothing half-written")
    func unwritable() throws {
        let result = try BinaryRunner.run([
            "analyze", "--key-file", keyFile, "-q", "-o", "/nonexistent/folder/report.txt",
        ])
        #expect(result.status == 73)
        #expect(result.stderr.contains("cannot write"))
    }

    @Test("the same input and key give byte-identical JSON and groups (SOURCE_DATE_EPOCH fixes the time)")
    func reproducible() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let environment = ["SOURCE_DATE_EPOCH": "1772409600"]
        for run in ["a", "b"] {
            let result = try BinaryRunner.run(
                [
                    "analyze", "--key-file", keyFile, "--format", "json", "-o", folder.file("\(run).json"), "--groups",
                    folder.file("\(run).csv"), "-q",
                ], environment: environment)
            #expect(result.status == 0)
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: folder.file("a.json")))
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: folder.file("b.json")))))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: folder.file("a.csv")))
                == Data(contentsOf: URL(fileURLWithPath: folder.file("b.csv"))))
        #expect(String(decoding: a, as: UTF8.self).contains("\"generated_at\": \"2026-03-02T01:00:00+01:00\""))
    }

    @Test("malformed exports are counted, never a crash or a hang")
    func malformed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("s/dpi.csv", header + "1,P,2026-03-04 08:00,note,a,1\n2,P,\"2026-03-04 09:00,note,b,2\n")
        var utf8Rows = Array(header.utf8)
        for number in 0..<3_000 { utf8Rows += Array("v\(number),R,2026-03-04 08:00,note,café,1\n".utf8) }
        try folder.write(
            "s/dui.csv",
            bytes: utf8Rows + Array("1,R,2026-03-04 08:00,note,".utf8) + [0xFF, 0xFE]
                + Array(",1\n2,R,2026-03-04 08:00,note,b,2\n".utf8))
        try folder.write("s/sip.csv", "")
        try folder.write("s/sip-header-only.csv", header)
        var huge = Array((header + "1,S,2026-03-04 08:00,note,\"").utf8)
        huge += Array(repeating: UInt8(ascii: "x"), count: 10 << 20)
        huge += Array("\",1\n2,S,2026-03-04 08:00,note,ok,1\n".utf8)
        try folder.write("s/sip-huge.csv", bytes: huge)
        let result = try BinaryRunner.run(["analyze", folder.path, "--key-file", keyFile, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let quality = try #require(try jsonObject(result.stdout)["data_quality"] as? [String: Any])
        let reasons = try #require(quality["rejected_by_reason"] as? [String: Int])
        #expect(reasons == ["unterminated_quote": 1, "invalid_utf8": 1, "empty_file": 1, "row_too_long": 1])
        #expect(quality["entries"] as? Int == 3_003)
    }
}

@Suite("Lenient file refusal")
struct LenientFileTests {
    @Test("one export that cannot be read is counted as a refused file; the others are analysed; --strict stops")
    func oneBadFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("s/dpi.csv", "record_id,patient_id,recorded_at\n1,P,2026-03-04 08:00\n")
        try folder.write("s/dui.csv", "record_id,patient_id\n1,R\n")
        let lenient = try BinaryRunner.run(["analyze", folder.path, "--key-file", keyFile, "--format", "json"])
        #expect(lenient.status == 0, "\(lenient.stderr)")
        let quality = try #require(try jsonObject(lenient.stdout)["data_quality"] as? [String: Any])
        #expect((quality["rejected_by_reason"] as? [String: Int])?["invalid_file"] == 1)
        #expect(quality["entries"] as? Int == 1)
        let strict = try BinaryRunner.run(["analyze", folder.path, "--key-file", keyFile, "--strict"])
        #expect(strict.status == 65)
        #expect(strict.stderr.contains("missing required column 'recorded_at'"))
    }
}
