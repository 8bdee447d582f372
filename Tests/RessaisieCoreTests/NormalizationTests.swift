import Foundation
import RessaisieCore
import Testing

@Suite("Text folding")
struct TextFoldingTests {
    @Test(
        "case, accents, ligatures and spacing fold away",
        arguments: [
            ("Température", "temperature"),
            ("  Chute   dans la\tchambre ", "chute dans la chambre"),
            ("ŒDÈME du cœur", "oedeme du coeur"),
            ("Ægis Straße", "aegis strasse"),
            ("l’infirmière — IDE", "l'infirmiere - ide"),
            ("Bérénice\u{00A0}Dupré", "berenice dupre"),
            ("Ele\u{0301}onore", "eleonore"),  // decomposed accent (NFD)
            ("ÇA VA", "ca va"),
        ])
    func textMode(input: String, expected: String) {
        #expect(TextFolding.fold(input, mode: .text) == expected)
    }

    @Test(
        "name mode keeps letters and digits only",
        arguments: [
            ("Le Goff", "legoff"), ("LEGOFF", "legoff"), ("le-goff", "legoff"), ("Jean-Pierre", "jeanpierre"),
            ("D'Artagnan", "dartagnan"), ("Élodie", "elodie"), ("ŒUVRAY", "oeuvray"),
        ])
    func nameMode(input: String, expected: String) {
        #expect(TextFolding.fold(input, mode: .name) == expected)
    }

    @Test("non-Latin letters are lowercased and kept")
    func otherScripts() {
        #expect(TextFolding.fold("ΑΒΓ Ж", mode: .text) == "αβγ ж")
    }
}

@Suite("Number normalization")
struct ValueNormalizationTests {
    @Test(
        "decimal comma or point, trailing and leading zeros",
        arguments: [
            ("37,50", "37.5"), ("37.5", "37.5"), ("+037.500", "37.5"), ("7,0", "7"), ("7", "7"), ("-0,0", "0"),
            ("-12,30", "-12.3"), (".5", "0.5"), ("0", "0"), ("000", "0"), ("100", "100"),
        ])
    func numbers(input: String, expected: String) {
        #expect(ValueNormalization.normalizeNumber(input) == expected)
    }

    @Test(
        "anything that is not a plain number is left alone",
        arguments: ["120/80", "1.2.3", "abc", "12,", "-", "+", "1e3", "37,5 °c"])
    func notNumbers(input: String) {
        #expect(ValueNormalization.normalizeNumber(input) == input)
    }
}

@Suite("Content fingerprint")
struct ContentFingerprintTests {
    @Test("the same content written differently has one fingerprint")
    func equivalentContent() {
        var fingerprinter = ContentFingerprinter()
        let a = fingerprinter.fingerprint(label: "Température", value: "37,50", unit: "°C")
        let b = fingerprinter.fingerprint(label: " temperature ", value: "37.5", unit: "°c")
        #expect(a == b)
        let note1 = fingerprinter.fingerprint(text: "Chute  dans la chambre, pas de   plaie")
        let note2 = fingerprinter.fingerprint(text: "chute dans la chambre, pas de plaie")
        #expect(note1 == note2)
    }

    @Test("different values, units, labels or text differ")
    func differentContent() {
        var fingerprinter = ContentFingerprinter()
        let base = fingerprinter.fingerprint(label: "Température", value: "37,5", unit: "°C")
        #expect(base != fingerprinter.fingerprint(label: "Température", value: "37,6", unit: "°C"))
        #expect(base != fingerprinter.fingerprint(label: "Température", value: "37,5", unit: "°F"))
        #expect(base != fingerprinter.fingerprint(label: "Pouls", value: "37,5", unit: "°C"))
        #expect(base != fingerprinter.fingerprint(label: "Température", value: "37,5", unit: "°C", text: "fébrile"))
    }

    @Test("field boundaries matter: label 'ab' + value 'c' is not label 'a' + value 'bc'")
    func boundaries() {
        var fingerprinter = ContentFingerprinter()
        #expect(
            fingerprinter.fingerprint(label: "ab", value: "c") != fingerprinter.fingerprint(label: "a", value: "bc"))
        #expect(fingerprinter.fingerprint(label: "T", value: "5") != fingerprinter.fingerprint(label: "T", unit: "5"))
        // A measure's value and unit stay apart; content with no known measure is compared as a whole.
        #expect(
            fingerprinter.fingerprint(label: "Température", value: "37", unit: "5")
                != fingerprinter.fingerprint(label: "Température", value: "37 5"))
    }

    @Test("one fingerprinter for many entries (its memos warm, slots reused) gives what a fresh one gives each entry")
    func memosAreExact() {
        // Labels, values and units that collide in small memos, notes whose label does or does not count,
        // parts of every length up to past the memo's key limit.
        let labels = [
            "Température", "T°", "TA", "Pouls", "Transmission", "ab", "a", "", String(repeating: "l", count: 59),
        ]
        let values = ["37,5", "37.50", "12/8", "120/80", "", "c", "bc", "5", String(repeating: "9", count: 30)]
        let units = ["°C", "mmHg", "", "/min", "5"]
        let texts = ["", "chute dans la chambre", "RAS"]
        var shared = ContentFingerprinter()
        var count = 0
        for round in 0..<2 {
            for (index, label) in labels.enumerated() {
                for value in values {
                    for unit in units {
                        for text in texts {
                            let textIsContent = (index + round) % 2 == 0
                            var fresh = ContentFingerprinter()
                            let expected = fresh.summarize(
                                label: label, value: value, unit: unit, text: text, textIsContent: textIsContent)
                            let got = shared.summarize(
                                label: label, value: value, unit: unit, text: text, textIsContent: textIsContent)
                            #expect(
                                got.fingerprint == expected.fingerprint,
                                "\(label)|\(value)|\(unit)|\(text)|\(textIsContent)")
                            #expect(got.sketch == expected.sketch)
                            count += 1
                        }
                    }
                }
            }
        }
        #expect(count == 2 * 9 * 9 * 5 * 3)
        // A thousand values of one length: more than the memo has slots, so equal-length keys share slots.
        for value in (0..<1_000).map({ String(format: "%03d", $0) }) {
            var fresh = ContentFingerprinter()
            let expected = fresh.fingerprint(label: "Pouls", value: value, unit: "/min")
            #expect(shared.fingerprint(label: "Pouls", value: value, unit: "/min") == expected, "\(value)")
        }
    }

    @Test("copies of one fingerprinter used on two threads at once each give what a fingerprinter alone gives")
    func copiesOnThreads() async {
        // Long texts, so that each entry folds many bytes into the scratch: two copies sharing one buffer
        // would overwrite each other's words between folding and hashing.
        let texts = (0..<3_000).map { index in
            "Transmission \(index) : patient calme, pansement refait à \(index % 24) h, famille prévenue. "
                + String(repeating: "Surveillance neurologique \(index % 7), ", count: 1 + index % 9)
        }
        var alone = ContentFingerprinter()
        let expected = texts.map { alone.fingerprint(text: $0) }
        var original = ContentFingerprinter()
        _ = original.fingerprint(text: "warms the scratch buffer before the copies are made")
        let copy = original
        let results = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var fingerprinter = copy
                    return texts.map { fingerprinter.fingerprint(text: $0) }
                }
            }
            var all: [[UInt64]] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 4 && results.allSatisfy { $0 == expected })
    }

    @Test("the fingerprint is stable across runs (pinned value)")
    func stable() {
        var fingerprinter = ContentFingerprinter()
        let first = fingerprinter.fingerprint(label: "Température", value: "37,5", unit: "°C")
        var other = ContentFingerprinter()
        #expect(first == other.fingerprint(label: "temperature", value: "37.50", unit: "°c"))
        #expect(StableHasher.hash("ressaisie") == StableHasher.hash("ressaisie"))
        #expect(StableHasher.hash("ressaisie") != StableHasher.hash("ressaisiE"))
    }
}

@Suite("Byte string table")
struct ByteStringTableTests {
    @Test("interning returns one index per distinct string, through growth")
    func interning() {
        var table = ByteStringTable(capacity: 2)
        var indices: [UInt32] = []
        for number in 0..<5_000 { indices.append(table.intern("id-\(number)").index) }
        #expect(table.count == 5_000)
        #expect(Set(indices).count == 5_000)
        for number in stride(from: 0, to: 5_000, by: 7) {
            let (index, inserted) = table.intern("id-\(number)")
            #expect(!inserted)
            #expect(index == indices[number])
            #expect(table.string(at: index) == "id-\(number)")
        }
        #expect(table.intern("").inserted)
        #expect(!table.intern("").inserted)
    }

    @Test("a small table of short strings (scanned, not hashed) keeps its indices when it outgrows the scan")
    func smallTables() {
        // Strings of 0 to 16 bytes that differ only in their length, their middle or their last byte; then
        // one of 17 bytes, then enough to pass the scan's limit.
        let short = ["", "a", "ab", "abcdefg", "abcdefgh", "abcdefgi", "abcdefghijklmnop", "abcdefgXijklmnop"]
        for switchAt in [nil, "abcdefghijklmnopq", "ninth"] {
            var table = ByteStringTable(capacity: 4)
            var indices: [String: UInt32] = [:]
            for string in short {
                let (index, inserted) = table.intern(string)
                #expect(inserted, "\(string)")
                indices[string] = index
            }
            if let switchAt { indices[switchAt] = table.intern(switchAt).index }
            for string in short + ["more", "and more"] {
                let (index, inserted) = table.intern(string)
                if let known = indices[string] {
                    #expect(!inserted && index == known, "\(string)")
                } else {
                    #expect(inserted)
                    indices[string] = index
                }
            }
            #expect(Set(indices.values).count == indices.count)
            for (string, index) in indices {
                #expect(table.string(at: index) == string)
                #expect(Array(string.utf8).withUnsafeBytes { table.index(of: $0) } == index)
            }
        }
    }
}

@Suite("Radix sort")
struct RadixSortTests {
    @Test("sorts like the standard sort and keeps equal keys in order", arguments: [0, 1, 5, 255, 256, 10_000])
    func matchesStandardSort(count: Int) {
        var generator = SystemRandomNumberGenerator()
        var items = (0..<count).map { index in
            // Few distinct keys in the high bits and low bits, to exercise skipped digits and ties.
            KeyedIndex(
                key: UInt64.random(in: 0..<50, using: &generator) << 40 | UInt64.random(in: 0..<3, using: &generator),
                index: UInt32(index))
        }
        let expected = items.sorted { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        RadixSort.sort(&items)
        #expect(items == expected)
    }

    @Test("full-width keys")
    func wideKeys() {
        var items = (0..<5_000).map { KeyedIndex(key: StableHasher.hash("k\($0 % 1_000)"), index: UInt32($0)) }
        let expected = items.sorted { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        RadixSort.sort(&items)
        #expect(items == expected)
    }
}

@Suite("Entry store limits")
struct EntryStoreLimitTests {
    @Test("past the limit of named categories, professions and sites, names share one overflow entry")
    func overflow() {
        var store = EntryStore()
        for number in 0..<(EntryStore.namedLimit + 10) {
            _ = store.category(named: "c\(number)")
            _ = store.profession(named: "p\(number)")
            _ = store.site(named: "s\(number)")
        }
        #expect(store.categories.count == EntryStore.namedLimit + 1)
        #expect(store.categories.last == "other")
        #expect(store.category(named: "another one") == store.category(named: "other"))
        #expect(store.professions.last == "autre")
        #expect(store.sites.last == "(other sites)")
        #expect(store.category(named: "c5") == 5)
    }
}

@Suite("Text folding into words")
struct FoldWordsTests {
    func words(_ text: String) -> (String, Int) {
        let input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: TextFolding.maximumFoldedCount(input.count))
        let (count, beforeColon) = input.withUnsafeBytes { bytes in
            output.withUnsafeMutableBufferPointer { TextFolding.foldWords(bytes, writingTo: $0.baseAddress!) }
        }
        return (String(decoding: output[..<count], as: UTF8.self), beforeColon)
    }

    @Test("case, accents, punctuation as spaces, digits apart from letters, the words before a colon")
    func folding() {
        #expect(words("Recopié du DPI : Chute à 14h, pas de plaie.") == ("recopie du dpi chute a 14 h pas de plaie", 3))
        #expect(words("  ŒDÈMES  des membres—inférieurs ") == ("oedemes des membres inferieurs", -1))
        #expect(words("TA 120/80mmHg") == ("ta 120 80 mmhg", -1))
        #expect(words("").0.isEmpty)
    }
}
