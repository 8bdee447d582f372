/// The one CSV quoting (RFC 4180) of every file the tool writes: groups, tables, entries, link pairs, history,
/// review samples and synthetic exports. Pure string work, no I/O.
public enum CSVField {
    /// `value` as a field: as it is, or quoted with its quotes doubled when it holds the delimiter, a quote or a
    /// line break (CR or LF, alone or together). `delimiter` is an ASCII byte: `,` (the default), `;`, a tab.
    public static func escape(_ value: String, delimiter: UInt8 = 0x2C) -> String {
        guard needsQuotes(value.utf8, delimiter: delimiter) else { return value }
        var quoted = [UInt8]()
        quoted.reserveCapacity(value.utf8.count + 2)
        appendQuoted(value.utf8, to: &quoted)
        return String(decoding: quoted, as: UTF8.self)
    }

    /// Appends `value` as a field (the same quoting as `escape`) to a byte buffer.
    public static func append(_ value: String, delimiter: UInt8 = 0x2C, to buffer: inout [UInt8]) {
        if needsQuotes(value.utf8, delimiter: delimiter) {
            appendQuoted(value.utf8, to: &buffer)
        } else {
            buffer.append(contentsOf: value.utf8)
        }
    }

    /// One CSV line (no line break): the fields escaped and joined by `delimiter`.
    public static func line(_ values: [String], delimiter: UInt8 = 0x2C) -> String {
        values.map { escape($0, delimiter: delimiter) }.joined(separator: String(UnicodeScalar(delimiter)))
    }

    private static func needsQuotes(_ bytes: String.UTF8View, delimiter: UInt8) -> Bool {
        bytes.contains(where: { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
    }

    private static func appendQuoted(_ bytes: String.UTF8View, to buffer: inout [UInt8]) {
        buffer.append(0x22)
        for byte in bytes {
            if byte == 0x22 { buffer.append(0x22) }
            buffer.append(byte)
        }
        buffer.append(0x22)
    }
}
