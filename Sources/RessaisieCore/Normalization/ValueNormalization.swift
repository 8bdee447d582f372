/// Writes numbers one way: "37,50", "37.5" and "+037.500" all become "37.5"; "7,0" becomes "7".
///
/// Applied to folded values; anything that is not a plain decimal number is left as it is.
public enum ValueNormalization {
    /// Rewrites `value` in place when it is a plain decimal number (optional sign, digits, optional
    /// decimal comma or point and digits).
    public static func normalizeNumber(_ value: inout [UInt8]) {
        guard !value.isEmpty else { return }
        var index = 0
        var negative = false
        if value[0] == UInt8(ascii: "+") || value[0] == UInt8(ascii: "-") {
            negative = value[0] == UInt8(ascii: "-")
            index = 1
        }
        let integerStart = index
        while index < value.count, isDigit(value[index]) { index += 1 }
        let integerEnd = index
        var fractionStart = index, fractionEnd = index
        if index < value.count, value[index] == UInt8(ascii: ",") || value[index] == UInt8(ascii: ".") {
            index += 1
            fractionStart = index
            while index < value.count, isDigit(value[index]) { index += 1 }
            fractionEnd = index
            guard fractionEnd > fractionStart else { return }
        }
        guard index == value.count, integerEnd > integerStart || fractionEnd > fractionStart else { return }

        var integerFrom = integerStart
        while integerFrom < integerEnd - 1, value[integerFrom] == UInt8(ascii: "0") { integerFrom += 1 }
        var fractionTo = fractionEnd
        while fractionTo > fractionStart, value[fractionTo - 1] == UInt8(ascii: "0") { fractionTo -= 1 }

        var result: [UInt8] = []
        result.reserveCapacity(value.count)
        if integerFrom < integerEnd {
            result.append(contentsOf: value[integerFrom..<integerEnd])
        } else {
            result.append(UInt8(ascii: "0"))
        }
        if fractionTo > fractionStart {
            result.append(UInt8(ascii: "."))
            result.append(contentsOf: value[fractionStart..<fractionTo])
        }
        let isZero = result.allSatisfy { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: ".") }
        if negative && !isZero { result.insert(UInt8(ascii: "-"), at: 0) }
        value = result
    }

    /// The canonical form of `value` when it is a plain decimal number that needs rewriting, else nil
    /// (the value is used as it is). Plain integers without leading zeros are returned as nil: nothing
    /// to rewrite, nothing allocated.
    public static func canonicalNumber(_ value: UnsafeRawBufferPointer) -> [UInt8]? {
        guard !value.isEmpty else { return nil }
        var needsWork = false
        for (offset, byte) in value.enumerated() {
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                needsWork = true
            } else if byte < 0x30 || byte > 0x39 {
                return nil
            } else if byte == 0x30 && offset == 0 && value.count > 1 {
                needsWork = true
            }
        }
        guard needsWork else { return nil }
        var bytes = Array(value)
        normalizeNumber(&bytes)
        return bytes
    }

    public static func normalizeNumber(_ string: String) -> String {
        var bytes = Array(string.utf8)
        normalizeNumber(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
