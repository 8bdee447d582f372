/// Writes numbers one way: "37,50", "37.5" and "+037.500" all become "37.5"; "7,0" becomes "7".
///
/// Applied to folded values; anything that is not a plain decimal number is left as it is.
public enum ValueNormalization {
    /// Rewrites `value` in place when it is a plain decimal number (optional sign, digits, optional
    /// decimal comma or point and digits).
    public static func normalizeNumber(_ value: inout [UInt8]) {
        var result: [UInt8] = []
        var index = 0
        let whole = value.withUnsafeBytes { appendNumber($0, at: &index, to: &result) && index == $0.count }
        if whole { value = result }
    }

    /// Appends one canonical decimal number read at `index` (sign, digits, decimal comma or point):
    /// leading zeros and trailing fractional zeros dropped, `-0` as `0`.
    public static func appendNumber(_ bytes: UnsafeRawBufferPointer, at index: inout Int, to output: inout [UInt8])
        -> Bool
    {
        var position = index
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            negative = bytes[position] == UInt8(ascii: "-")
            position += 1
        }
        let integerStart = position
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        let integerEnd = position
        var fractionStart = position, fractionEnd = position
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: ".") || bytes[position] == UInt8(ascii: ","),
            isDigit(bytes[position + 1])
        {
            fractionStart = position + 1
            position = fractionStart
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            fractionEnd = position
        }
        guard integerEnd > integerStart || fractionEnd > fractionStart else { return false }
        var integerFrom = integerStart
        while integerFrom < integerEnd - 1, bytes[integerFrom] == UInt8(ascii: "0") { integerFrom += 1 }
        var fractionTo = fractionEnd
        while fractionTo > fractionStart, bytes[fractionTo - 1] == UInt8(ascii: "0") { fractionTo -= 1 }
        let isZero =
            bytes[integerFrom..<integerEnd].allSatisfy { $0 == UInt8(ascii: "0") } && fractionTo == fractionStart
        if negative && !isZero { output.append(UInt8(ascii: "-")) }
        if integerFrom < integerEnd {
            output.append(contentsOf: bytes[integerFrom..<integerEnd])
        } else {
            output.append(UInt8(ascii: "0"))
        }
        if fractionTo > fractionStart {
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: bytes[fractionStart..<fractionTo])
        }
        index = position
        return true
    }

    public static func normalizeNumber(_ string: String) -> String {
        var bytes = Array(string.utf8)
        normalizeNumber(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
