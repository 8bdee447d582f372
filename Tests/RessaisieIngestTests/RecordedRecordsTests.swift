import Foundation
import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieIngest

/// XML documents the learning pass read whole are assembled in the reading pass from what it recorded
/// (`RecordedRecords`), not parsed again: the audit read must be the same, entry for entry, rejection for
/// rejection.
@Suite("XML documents replayed from the learning pass")
struct RecordedRecordsTests {
    static let key = Array("0123456789abcdef0123".utf8)

    /// A CDA document with two statements over a 16 KiB record limit and one that fits.
    static let longStatements =
        "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=\"1.2\" extension=\"D\"/>"
        + "<effectiveTime value=\"20260304080000\"/><recordTarget><patientRole><id root=\"9.9\" extension=\"P1\"/>"
        + "</patientRole></recordTarget><component><structuredBody><component><section>"
        + "<entry><act><id extension=\"A1\"/><text>" + String(repeating: "long text ", count: 3000)
        + "</text></act></entry>"
        + "<entry><act><id extension=\"A3\"/><text>short</text></act></entry>"
        + "<entry><act><id extension=\"A2\"/><text>" + String(repeating: "<br/>part", count: 4000)
        + "</text></act></entry>"
        + "</section></component></structuredBody></component></ClinicalDocument>"

    /// A CDA document of 60 statements of 400 bytes of text each (about 25 kB of values once recorded).
    static let manyStatements =
        "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=\"1.2\" extension=\"M\"/>"
        + "<effectiveTime value=\"20260304080000\"/><recordTarget><patientRole><id root=\"9.9\" extension=\"P2\"/>"
        + "</patientRole></recordTarget><component><structuredBody><component><section>"
        + (0..<60).map { index in
            "<entry><act><id extension=\"S\(index)\"/><text>statement \(index) "
                + String(repeating: "words of a note ", count: 25) + "</text></act></entry>"
        }.joined()
        + "</section></component></structuredBody></component></ClinicalDocument>"

    func files() throws -> [String: [UInt8]] {
        func fixture(_ relative: String) throws -> [UInt8] {
            Array(try Data(contentsOf: URL(fileURLWithPath: PackagePaths.fixture(relative))))
        }
        return [
            "s/dpi/long.xml": Array(Self.longStatements.utf8),
            "s/dpi/many.xml": Array(Self.manyStatements.utf8),
            "s/dpi/nested.xml": try fixture("xml/cda/dpi-nested.xml"),
            "s/sip/bundle.xml": try fixture("xml/fhir/sip-bundle.xml"),
            "t/dpi/progress.xml": try fixture("xml/ccda/Progress_Note.xml"),
        ]
    }

    func loader(strict: Bool, recordingBudget: Int) -> AuditLoader {
        var options = IngestOptions(strict: strict)
        options.maxRowBytes = 16 << 10
        var loader = AuditLoader(pseudonymizer: Pseudonymizer(keyBytes: Self.key), options: options, parallelism: 2)
        loader.recordingBudget = recordingBudget
        return loader
    }

    /// Every entry with what the pipeline keeps of it.
    func describe(_ store: EntryStore) -> [String] {
        store.entries.map { entry in
            [
                store.recordID(of: entry), "\(entry.recordedAt)", "\(entry.effectiveAt)", "\(entry.fingerprint)",
                "\(store.patients[Int(entry.patient)].key)", "\(entry.author)", store.categories[Int(entry.category)],
                store.sites[Int(entry.site)],
                store.files[Int(entry.file)].components(separatedBy: "/").suffix(3)
                    .joined(separator: "/"),
            ].joined(separator: "|")
        }
    }

    @Test("the learning pass records the documents it reads whole; the reading pass gives the same audit")
    func replayedAsRead() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for (path, contents) in try files() { try folder.write(path, bytes: contents) }
        let replaying = loader(strict: false, recordingBudget: AuditLoader.recordedBytesLimit)
        let discovered = try InputDiscovery.files(in: [folder.path])
        let sizes = discovered.files.map {
            (try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? 0
        }
        // All four documents are read whole by the learning pass, and recorded.
        let learning = replaying.learnBoilerplate(files: discovered.files, sizes: sizes)
        #expect(learning.recordings.count == 5)
        #expect(learning.recordings.values.map(\.count).reduce(0, +) > 10)

        let replayed = try replaying.load(paths: [folder.path])
        let parsed = try loader(strict: false, recordingBudget: 0).load(paths: [folder.path])
        #expect(replayed.store.count > 10)
        #expect(describe(replayed.store) == describe(parsed.store))
        #expect(replayed.quality == parsed.quality)
        #expect(replayed.quality.rejectedByKind == [.rowTooLong: 2])
        #expect(replayed.quality.rejections.map(\.line) == parsed.quality.rejections.map(\.line))
        #expect(replayed.quality.bytes == sizes.reduce(0, +))
    }

    @Test("a document past the recording budget is parsed again; the audit read is the same")
    func pastTheBudget() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for (path, contents) in try files() { try folder.write(path, bytes: contents) }
        let discovered = try InputDiscovery.files(in: [folder.path])
        let sizes = discovered.files.map {
            (try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? 0
        }
        // 12 000 bytes for each of the two runs: the small documents fit, the one of many statements does not.
        let small = loader(strict: false, recordingBudget: 24_000)
        let learning = small.learnBoilerplate(files: discovered.files, sizes: sizes)
        #expect(!learning.recordings.isEmpty)
        #expect(!learning.recordings.keys.contains { $0.hasSuffix("many.xml") })
        #expect(learning.recordings.values.allSatisfy { $0.heldBytes <= 12_000 })
        // With the whole budget, it is recorded.
        let whole = loader(strict: false, recordingBudget: AuditLoader.recordedBytesLimit)
        #expect(
            whole.learnBoilerplate(files: discovered.files, sizes: sizes).recordings.keys.contains {
                $0.hasSuffix("many.xml")
            })
        let replayed = try small.load(paths: [folder.path])
        let parsed = try loader(strict: false, recordingBudget: 0).load(paths: [folder.path])
        #expect(describe(replayed.store) == describe(parsed.store))
        #expect(replayed.quality == parsed.quality)
    }

    @Test("with --strict, a replayed document stops the run at the same record as a parsed one")
    func strictReplay() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for (path, contents) in try files() { try folder.write(path, bytes: contents) }
        func failure(_ budget: Int) -> String {
            do {
                _ = try loader(strict: true, recordingBudget: budget).load(paths: [folder.path])
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let replayed = failure(AuditLoader.recordedBytesLimit)
        #expect(replayed.contains("long.xml") && replayed.contains("row_too_long") || replayed.contains("record over"))
        #expect(replayed == failure(0))
    }
}
