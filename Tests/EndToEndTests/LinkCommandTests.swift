import Foundation
import TestSupport
import Testing

/// `ressaisie link` through the built binary, on the two small person files of `Fixtures/link`.
@Suite("link command")
struct LinkCommandTests {
    static let a = PackagePaths.fixture("link/persons-a.csv")
    static let b = PackagePaths.fixture("link/persons-b.csv")

    @Test(
        "French headers in Windows-1252 with ';' and dd/MM/yyyy, English ones in UTF-8 with YYYYMMDD: INS, traits and probabilistic pairs; homonyms apart"
    )
    func pairs() throws {
        let result = try BinaryRunner.run([
            "link", Self.a, Self.b, "--id", "id", "--id", "rec_id", "--ignore", "soc_sec_id", "--key-file", keyFile,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = parseSimpleCSV(result.stdout)
        #expect(rows.first == ["a_id", "b_id", "method", "weight", "probability"])
        let pairs = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ("\($0[0])-\($0[1])", $0[2]) })
        #expect(
            pairs == [
                "A1-B1": "probabilistic",  // Lefèvre / LEFEBVRE
                "A2-B2": "probabilistic",  // day and month swapped
                "A4-B4": "traits", "A5-B5": "traits",
                "A6-B6": "ins",  // same valid INS, other given name and sex
                "A7-B7": "probabilistic",  // Bonnefoy / Bonnefoi
            ])
        // A3 and B3 share every trait but carry different valid INS.
        #expect(result.stderr.contains("2 different INS"))
        #expect(
            result.stderr.contains(
                "columns of A: birth_date=date de naissance, birth_name=nom, given_names=prénom, ins=INS, sex=sexe"))
        #expect(result.stderr.contains("1 INS with a wrong check key"))
        for row in rows.dropFirst() {
            #expect(Double(row[3])! >= 15 && Double(row[4])! > 0.9)
        }
        // No name or date reaches the output.
        for secret in ["Lef", "LEF", "Rousseau", "1947", "03/09"] {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
        }
    }

    @Test("--output, --quiet; missing file 66, unknown column 64, no identity column 65")
    func exits() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let output = folder.path + "/pairs.csv"
        let quiet = try BinaryRunner.run([
            "link", Self.a, Self.b, "--id", "id", "--id", "rec_id", "--output", output, "--quiet",
        ])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty)
        #expect(
            try String(contentsOfFile: output, encoding: .utf8).hasPrefix("a_id,b_id,method,weight,probability\nA1,B1,")
        )
        #expect(try BinaryRunner.run(["link", Self.a, folder.path + "/none.csv"]).status == 66)
        let unknown = try BinaryRunner.run(["link", Self.a, Self.b, "--id", "numero"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no column 'numero'"))
        try folder.write("other.csv", "code,label\n1,x\n")
        #expect(try BinaryRunner.run(["link", Self.a, folder.path + "/other.csv"]).status == 65)
    }
}
