import Testing

@testable import RessaisieCore

/// The bounded edit distance of short texts (`TextSketch.editDistance`) computes only the band of cells that
/// can stay within its limit: on random strings it must say what the whole table says.
@Suite("Edit distance of short texts")
struct EditDistanceTests {
    /// Optimal string alignment distance over the whole table, digits costing more than `limit` to edit,
    /// capped at `limit + 1`: the definition the banded one must follow.
    static func reference(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        let over = limit + 1
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for j in 0...b.count where j > 0 { table[0][j] = isDigit(b[j - 1]) ? over : min(over, table[0][j - 1] + 1) }
        for i in 0...a.count where i > 0 {
            table[i][0] = isDigit(a[i - 1]) ? over : min(over, table[i - 1][0] + 1)
            for j in 0...b.count where j > 0 {
                let x = a[i - 1], y = b[j - 1]
                var best = x == y ? table[i - 1][j - 1] : (isDigit(x) || isDigit(y) ? over : table[i - 1][j - 1] + 1)
                if !isDigit(x) { best = min(best, table[i - 1][j] + 1) }
                if !isDigit(y) { best = min(best, table[i][j - 1] + 1) }
                if i > 1, j > 1, x == b[j - 2], a[i - 2] == y, x != y, !isDigit(x), !isDigit(y) {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = min(best, over)
            }
        }
        return min(table[a.count][b.count], over)
    }

    @Test("the banded distance equals the whole table's on random short strings, limits 1 and 2")
    func bandedEqualsWholeTable() {
        var state: UInt64 = 0x5EED_0000_0000_0001
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let alphabet = Array("abca 12".utf8)
        var agreements = 0, withinLimit = 0
        for _ in 0..<20_000 {
            let a = (0..<Int(next() % 13)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            // Half the pairs: b is a with a few random edits, so that distances within the limit are common.
            var b = a
            if next() % 2 == 0 {
                b = (0..<Int(next() % 13)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            } else {
                for _ in 0..<Int(next() % 3) {
                    let position = b.isEmpty ? 0 : Int(next() % UInt64(b.count))
                    switch next() % 3 {
                    case 0 where !b.isEmpty: b.remove(at: position)
                    case 1: b.insert(alphabet[Int(next() % UInt64(alphabet.count))], at: position)
                    default: if !b.isEmpty { b[position] = alphabet[Int(next() % UInt64(alphabet.count))] }
                    }
                }
            }
            for limit in 1...2 {
                let banded = a.withUnsafeBufferPointer { x in
                    b.withUnsafeBufferPointer { y in TextSketch.editDistance(x, y, limit: limit) }
                }
                let expected = Self.reference(a, b, limit: limit)
                #expect(
                    banded == expected, "\(String(decoding: a, as: UTF8.self)) / \(String(decoding: b, as: UTF8.self))")
                if banded == expected { agreements += 1 }
                if expected <= limit { withinLimit += 1 }
            }
        }
        #expect(agreements == 40_000)
        // The draw must exercise both outcomes.
        #expect(withinLimit > 5_000 && withinLimit < 35_000)
    }
}
