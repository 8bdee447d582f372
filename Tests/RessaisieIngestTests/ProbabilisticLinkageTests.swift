import Foundation
import RessaisieCore
import Testing

@testable import RessaisieIngest

/// Records built the way ingest builds them: features from the raw values under a fixed key.
private struct People {
    let pseudonymizer = Pseudonymizer(keyBytes: Array("test key for linkage, 32 bytes!!".utf8))
    lazy var encoder = IdentityEncoder(pseudonymizer: pseudonymizer)
    var records: [PatientRecord] = []

    @discardableResult
    mutating func add(
        _ system: SystemID, _ id: String, _ name: String, _ given: String, _ date: String, sex: String = "F",
        place: String = "", ins: String? = nil, site: UInt16 = 0
    ) -> Int {
        func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
        let (n, g, d, x, p) = (bytes(name), bytes(given), bytes(date), bytes(sex), bytes(place))
        let features = n.withUnsafeBytes { n in
            g.withUnsafeBytes { g in
                d.withUnsafeBytes { d in
                    x.withUnsafeBytes { x in
                        p.withUnsafeBytes { p in
                            encoder.features(birthName: n, givenNames: g, birthDate: d, sex: x, birthPlace: p)
                        }
                    }
                }
            }
        }
        var record = PatientRecord(
            site: site, system: system,
            key: pseudonymizer.pseudonym(.patient, "\(InformationSystem.named[system.index].name)|\(id)"))
        if let ins, INSKey.isValid(ins) { record.ins = pseudonymizer.pseudonym(.ins, ins) }
        record.features = features
        records.append(record)
        return records.count - 1
    }

    func features(_ index: Int) -> IdentityFeatures { records[index].features }
}

@Suite("Probabilistic patient linkage")
struct ProbabilisticLinkageTests {
    @Test("name levels: exact, phonetic, Dice of bigram filters, disagree, missing")
    func nameLevels() {
        var people = People()
        let a = people.add(.dpi, "1", "Lefèvre", "Bérénice", "1947-09-03")
        let exact = people.add(.dui, "2", "LEFEVRE", "berenice", "1947-09-03")
        let phonetic = people.add(.dui, "3", "Lefebvre", "Bérénice", "1947-09-03")
        let dice = people.add(.dui, "4", "Lefèvrre", "Bérénicce", "1947-09-03")
        let other = people.add(.dui, "5", "Martin", "Jeanne", "1947-09-03")
        let missing = people.add(.dui, "6", "", "", "1947-09-03")
        func level(_ b: Int) -> UInt8 {
            FellegiSunterModel.compare(people.features(a), people.features(b), extraFields: 0)[0]
        }
        #expect(level(exact) == 3)
        #expect(level(phonetic) == 2)
        // Bérénise
        #expect(FellegiSunterModel.compare(people.features(a), people.features(dice), extraFields: 0)[1] == 1)
        #expect(level(other) == 0)
        #expect(level(missing) == FellegiSunterModel.missing)
        #expect(people.features(a).birthName.dice(people.features(dice).birthName) >= 0.8)
    }

    @Test("birth date levels: exact, day/month swap, two of three components, disagree; sex and place")
    func dateLevels() {
        var people = People()
        let a = people.add(.dpi, "1", "Durand", "Paul", "1950-04-07", sex: "M", place: "75056")
        let exact = people.add(.dui, "2", "Durand", "Paul", "07/04/1950", sex: "H", place: "75056")
        let swapped = people.add(.dui, "3", "Durand", "Paul", "19500704", sex: "F", place: "13055")
        let twoOfThree = people.add(.dui, "4", "Durand", "Paul", "1950-04-17")
        let other = people.add(.dui, "5", "Durand", "Paul", "1962-11-17")
        let none = people.add(.dui, "6", "Durand", "Paul", "", sex: "")
        func pattern(_ b: Int) -> ComparisonPattern {
            FellegiSunterModel.compare(people.features(a), people.features(b), extraFields: 0)
        }
        #expect(pattern(exact)[2] == 3)
        #expect(pattern(swapped)[2] == 2)
        #expect(pattern(twoOfThree)[2] == 1)
        #expect(pattern(other)[2] == 0)
        #expect(pattern(none)[2] == FellegiSunterModel.missing)
        #expect(pattern(exact)[3] == 1 && pattern(swapped)[3] == 0 && pattern(none)[3] == FellegiSunterModel.missing)
        #expect(
            pattern(exact)[4] == 1 && pattern(swapped)[4] == 0 && pattern(twoOfThree)[4] == FellegiSunterModel.missing)
    }

    @Test("birth dates are read as components in ISO, YYYYMMDD and dd/MM/yyyy, even when the date does not exist")
    func dateComponents() {
        func components(_ text: String) -> [Int]? {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBytes { IdentityEncoder.dateComponents($0) }.map { [$0.0, $0.1, $0.2] }
        }
        #expect(components("1947-09-03") == [1947, 9, 3])
        #expect(components("1947-09-03T00:00:00+01:00") == [1947, 9, 3])
        #expect(components("19470903") == [1947, 9, 3])
        #expect(components("03/09/1947") == [1947, 9, 3])
        #expect(components("19175009") == [1917, 50, 9])  // a typo in the month: year and day still count
        #expect(components("") == nil && components("n/a") == nil && components("1947") == nil)
    }

    @Test("extra columns: exact, Dice of bigram filters, disagree, missing")
    func extraLevels() {
        var people = People()
        var encoder = people.encoder
        func features(_ values: [String]) -> IdentityFeatures {
            let bytes = values.map { Array($0.utf8) }
            let empty = UnsafeRawBufferPointer(start: nil, count: 0)
            func with(_ index: Int, _ buffers: [UnsafeRawBufferPointer]) -> IdentityFeatures {
                if index == bytes.count {
                    return encoder.features(
                        birthName: empty, givenNames: empty, birthDate: empty, sex: empty, birthPlace: empty,
                        extra: buffers)
                }
                return bytes[index].withUnsafeBytes { with(index + 1, buffers + [$0]) }
            }
            return with(0, [])
        }
        let a = features(["12 rue des Lilas", "Montlouis", "37000", "x"])
        let b = features(["12, rue des lilas", "Montlouise", "37100", ""])
        let pattern = FellegiSunterModel.compare(a, b, extraFields: 4)
        #expect(pattern[5] == 2)  // folded alike
        #expect(pattern[6] == 1)  // Montlouis / Montlouise
        #expect(pattern[7] == 0)
        #expect(pattern[8] == FellegiSunterModel.missing)
    }

    @Test("features are keyed: another audit key gives other hashes and filters")
    func keyed() {
        let values = (Array("Dupont".utf8), Array("Marie".utf8), Array("1940-01-01".utf8))
        func features(_ key: String) -> IdentityFeatures {
            var encoder = IdentityEncoder(pseudonymizer: Pseudonymizer(keyBytes: Array(key.utf8)))
            return values.0.withUnsafeBytes { n in
                values.1.withUnsafeBytes { g in
                    values.2.withUnsafeBytes { d in
                        encoder.features(
                            birthName: n, givenNames: g, birthDate: d, sex: .init(start: nil, count: 0),
                            birthPlace: .init(start: nil, count: 0))
                    }
                }
            }
        }
        let a = features("first key, long enough"), b = features("second key, long enough")
        #expect(a.birthNameHash != b.birthNameHash && a.birthDate != b.birthDate)
        #expect(a.birthName != b.birthName)
        #expect(a == features("first key, long enough"))
    }

    @Test("a typo'd name and a day/month swap are linked; homonyms with other birth dates are not")
    func typosAndHomonyms() {
        var people = People()
        let typoA = people.add(.dpi, "1", "Lefèvre", "Bérénice", "1947-09-03")
        let typoB = people.add(.dui, "1", "LEFEBVRE", "Bérénice", "1947-09-03")
        let swapA = people.add(.dpi, "2", "Rousseau", "Armand", "1938-05-11", sex: "M")
        let swapB = people.add(.dui, "2", "Rousseau", "Armand", "1938-11-05", sex: "M")
        let homonymA = people.add(.dpi, "3", "Martin", "Jeanne", "1941-02-14")
        let homonymB = people.add(.dui, "3", "Martin", "Jeanne", "1952-07-30")
        let dice = people.add(.dpi, "4", "Bonnefoy", "Clémentine", "1929-12-24")
        let diceB = people.add(.sip, "4", "Bonnefoi", "Clementine", "1929-12-24")
        let linkage = ProbabilisticLinker().link(people.records)
        #expect(linkage.person[typoA] == linkage.person[typoB])
        #expect(linkage.person[swapA] == linkage.person[swapB])
        #expect(linkage.person[dice] == linkage.person[diceB])
        #expect(linkage.person[homonymA] != linkage.person[homonymB])
        #expect(linkage.linksByProbability == 3)
        #expect(linkage.personCount == 5)
    }

    @Test("different valid INS are never linked, however alike the traits; a valid INS links whatever the names")
    func ins() {
        var people = People()
        let a = people.add(.dpi, "1", "Martin", "Jeanne", "1941-02-14", ins: "241027512345694")
        let b = people.add(.dui, "1", "Martin", "Jeanne", "1941-02-14", ins: "241027512345793")
        let c = people.add(.sip, "1", "Martine", "Jeanne", "1941-02-14")
        let d = people.add(.sip, "2", "Autre", "Nom", "2001-01-01", ins: "241027512345694")
        #expect(INSKey.isValid("241027512345694") && INSKey.isValid("241027512345793"))
        let linkage = ProbabilisticLinker().link(people.records)
        #expect(linkage.person[a] != linkage.person[b])
        #expect(linkage.person[a] == linkage.person[d])
        #expect(linkage.linksByINS == 1)
        #expect(linkage.refusedByINS >= 1)
        #expect(linkage.person[c] == linkage.person[a] || linkage.person[c] == linkage.person[b])
    }

    @Test("identity duplicates: one person under two local ids of one system, counted per site and system")
    func identityDuplicates() {
        var people = People()
        people.add(.dpi, "1", "Lambert", "Odette", "1933-03-21")
        people.add(.dpi, "1bis", "LAMBERT", "Odette", "1933-03-21")
        people.add(.dpi, "1ter", "Lambert", "Odete", "1933-03-21")
        people.add(.dui, "7", "Lambert", "Odette", "1933-03-21")
        people.add(.dui, "8", "Garnier", "Lucien", "1930-06-02", sex: "M")
        people.add(.dui, "9", "Lambert", "Odette", "1933-03-21", site: 1)
        let linkage = ProbabilisticLinker().link(people.records)
        let duplicates = linkage.identityDuplicates(in: people.records)
        #expect(duplicates[0]?[.dpi] == 2)
        #expect(duplicates[0]?[.dui] == nil)
        #expect(duplicates[1] == nil)
        #expect(linkage.personCount == 3)  // Lambert and Garnier on site 0, Lambert on site 1
    }

    @Test("two ids of one system with birth dates a digit apart stay two persons; across systems, one")
    func homonymsWithinOneSystem() {
        // A threshold low enough that the same names with one date component wrong pass (about 14).
        let linker = ProbabilisticLinker(threshold: 8)
        func linkage(secondIn system: SystemID, id: String) -> PatientLinkage {
            var people = People()
            people.add(.dpi, "IPP1", "Tessier", "André", "1929-12-16", sex: "M", ins: "129127512345619")
            people.add(system, id, "TESSIER", "Andre", "1929-12-14", sex: "M")
            return linker.decide(people.records, scope: .withinSite).linkage
        }
        let within = linkage(secondIn: .dpi, id: "IPP2")
        #expect(within.personCount == 2)
        #expect(within.refusedWithinSystem == 1)
        #expect(within.linksByProbability == 0)

        let across = linkage(secondIn: .dui, id: "R-1")
        #expect(across.personCount == 1)
        #expect(across.linksByProbability == 1)
        #expect(across.refusedWithinSystem == 0)
    }

    @Test("EM on a synthetic set with known matches: sane m and u, matches found, non-matches left")
    func em() {
        var people = People()
        var generator = SystemRandomNumberGenerator.Seeded(seed: 42)
        let names = [
            "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
            "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
        ]
        let givens = ["Marie", "Jeanne", "Paul", "Louis", "Anne", "Pierre", "Claude", "Jacques", "Michelle", "Henri"]
        func typo(_ s: String) -> String {
            var characters = Array(s)
            let index = Int.random(in: 1..<characters.count, using: &generator)
            characters[index] = characters[index] == "e" ? "a" : "e"
            return String(characters)
        }
        var truth: [(Int, Int)] = []
        for person in 0..<150 {
            let name = names.randomElement(using: &generator)!, given = givens.randomElement(using: &generator)!
            // unique
            let date = String(format: "%04d-%02d-%02d", 1900 + person / 2, 1 + person % 12, 1 + (person * 5) % 28)
            let a = people.add(.dpi, "p\(person)", name, given, date)
            guard person % 3 != 0 else { continue }  // a third only in the DPI
            let noisy = person % 5 == 1 ? typo(name) : name
            let b = people.add(.dui, "r\(person)", noisy, given, date)
            truth.append((a, b))
        }
        let result = ProbabilisticLinker().decide(people.records, scope: .acrossSystems)
        let model = result.model
        #expect(model.iterations > 1)
        #expect(model.m[2][3] > 0.8)  // birth dates agree exactly among matches
        #expect(model.u[2][3] < 0.5)
        #expect(model.weight(field: 0, level: 3) > 0 && model.weight(field: 2, level: 0) < 0)
        let found = Set(result.links.map { [$0.a, $0.b].sorted() })
        let expected = Set(truth.map { [$0.0, $0.1].sorted() })
        let correct = found.intersection(expected).count
        #expect(Double(correct) / Double(expected.count) >= 0.95)
        #expect(Double(correct) / Double(max(found.count, 1)) >= 0.95)
    }
}

extension SystemRandomNumberGenerator {
    /// A seeded generator (SplitMix64), so the synthetic set is the same on every run.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}

@Suite("SipHash-2-4")
struct SipHashTests {
    @Test("the reference vectors of the SipHash paper (key 00…0f, messages 00…)")
    func vectors() {
        let hasher = SipHash(key: Array(0..<16))
        #expect(hasher.hash([]) == 0x726F_DB47_DD0E_0E31)
        #expect(hasher.hash(Array(0..<15)) == 0xA129_CA61_49BE_45E5)
        #expect(hasher.hash(Array(0..<8)) == 0x93F5_F579_9A93_2462)
    }
}
