/// A small, strict TOML 1.0 reader for the project's own files (profiles, `audit.toml`).
///
/// Why our own: the C++ parser wrapped by TOMLKit aborted the process on two bytes (`[` then a newline),
/// so one bad profile in an export folder killed a nightly run. This reader is plain Swift over bytes:
/// every malformed input is a `TOMLError` with line and column, never a trap; nesting is bounded so no
/// input can exhaust the stack. It covers what the files use and the rest of TOML's syntax: tables,
/// arrays of tables, dotted keys, basic/literal/multi-line strings, integers (decimal, hex, octal,
/// binary), floats, booleans, date-times (kept as their text), arrays, inline tables and comments.

/// A TOML value; date-times keep their text (the project reads none).
public enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case dateTime(String)
    case array([TOMLValue])
    case table(TOMLTable)

    public var string: String? { if case .string(let value) = self { value } else { nil } }
    public var int: Int? { if case .integer(let value) = self { value } else { nil } }
    public var bool: Bool? { if case .boolean(let value) = self { value } else { nil } }
    public var array: [TOMLValue]? { if case .array(let value) = self { value } else { nil } }
    public var table: TOMLTable? { if case .table(let value) = self { value } else { nil } }

    /// The kind's name, for messages (`expected a string, found an integer`).
    public var kindName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .dateTime: "a date-time"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

/// A table: its keys in document order.
public struct TOMLTable: Sendable, Equatable, Sequence {
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]

    public init() {}

    public subscript(key: String) -> TOMLValue? { values[key] }

    mutating func append(_ key: String, _ value: TOMLValue) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
    }

    public func makeIterator() -> AnyIterator<(key: String, value: TOMLValue)> {
        var index = 0
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            return (keys[index], values[keys[index]]!)
        }
    }
}

/// A syntax error: 1-based line and column (in characters) of where reading stopped.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var reason: String
    public var description: String { "line \(line), column \(column): \(reason)" }
}

public enum TOMLReader {
    /// Deepest nesting of arrays and inline tables accepted (a guard for the stack, far above any real file).
    public static let maximumDepth = 64

    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var parser = Parser(bytes: Array(text.utf8))
        return try parser.document()
    }
}

// MARK: - Building tables

/// A table while it is being read: tables are shared by reference so headers and dotted keys can reach them.
private final class TableNode {
    enum Slot {
        case value(TOMLValue)
        case table(TableNode)
        case tables([TableNode])
    }

    var keys: [String] = []
    var slots: [String: Slot] = [:]
    /// Defined by a `[header]` of its own (a second one is an error).
    var definedByHeader = false
    /// Created by a dotted key (`a.b = 1`): a later `[a]` header may not reopen it.
    var definedByDottedKey = false
    /// An inline table: closed once read.
    var closed = false

    func set(_ key: String, _ slot: Slot) {
        if slots.updateValue(slot, forKey: key) == nil { keys.append(key) }
    }

    var value: TOMLTable {
        var table = TOMLTable()
        for key in keys {
            switch slots[key]! {
            case .value(let value): table.append(key, value)
            case .table(let node): table.append(key, .table(node.value))
            case .tables(let nodes): table.append(key, .array(nodes.map { .table($0.value) }))
            }
        }
        return table
    }
}

// MARK: - Parser

private struct Parser {
    let bytes: [UInt8]
    var position = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Positions and errors

    var atEnd: Bool { position >= bytes.count }
    var current: UInt8? { position < bytes.count ? bytes[position] : nil }
    func peek(_ offset: Int) -> UInt8? { position + offset < bytes.count ? bytes[position + offset] : nil }

    func error(_ reason: String, at offset: Int? = nil) -> TOMLError {
        let end = min(offset ?? position, bytes.count)
        var line = 1, column = 1
        for index in 0..<end {
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else if bytes[index] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return TOMLError(line: line, column: column, reason: reason)
    }

    func describe(_ byte: UInt8?) -> String {
        guard let byte else { return "the end of the file" }
        switch byte {
        case 0x0A: return "a newline"
        case 0x0D: return "a carriage return"
        case 0x20...0x7E: return "'\(Character(UnicodeScalar(byte)))'"
        default: return "byte 0x\(String(byte, radix: 16, uppercase: true))"
        }
    }

    // MARK: Whitespace, comments, newlines

    mutating func skipSpaces() {
        while let byte = current, byte == 0x20 || byte == 0x09 { position += 1 }
    }

    /// A comment up to the end of the line (not the newline itself).
    mutating func skipComment() throws(TOMLError) {
        guard current == UInt8(ascii: "#") else { return }
        position += 1
        while let byte = current, byte != 0x0A {
            if byte == 0x0D, peek(1) == 0x0A { return }
            if isControl(byte) { throw error("control character in a comment") }
            position += 1
        }
    }

    /// True when a newline (LF or CRLF) was consumed.
    mutating func newline() -> Bool {
        if current == 0x0A {
            position += 1
            return true
        }
        if current == 0x0D, peek(1) == 0x0A {
            position += 2
            return true
        }
        return false
    }

    /// After a key/value or a header: spaces, a comment, then a newline or the end of the file.
    mutating func endOfLine() throws(TOMLError) {
        skipSpaces()
        try skipComment()
        if atEnd || newline() { return }
        throw error("expected the end of the line, found \(describe(current))")
    }

    /// Blank lines, comments and newlines inside an array.
    mutating func skipArrayFiller() throws(TOMLError) {
        while true {
            skipSpaces()
            try skipComment()
            if !newline() { return }
        }
    }

    func isControl(_ byte: UInt8) -> Bool { (byte < 0x20 && byte != 0x09) || byte == 0x7F }

    // MARK: Document

    mutating func document() throws(TOMLError) -> TOMLTable {
        let root = TableNode()
        var table = root
        while true {
            skipSpaces()
            try skipComment()
            if atEnd { break }
            if newline() { continue }
            if current == UInt8(ascii: "[") {
                table = try header(root: root)
            } else {
                try keyValue(into: table)
                try endOfLine()
            }
        }
        return root.value
    }

    /// `[a.b]` or `[[a.b]]`: the table that following keys go into.
    mutating func header(root: TableNode) throws(TOMLError) -> TableNode {
        let start = position
        position += 1
        let isArray = current == UInt8(ascii: "[")
        if isArray { position += 1 }
        skipSpaces()
        let path = try key()
        skipSpaces()
        guard current == UInt8(ascii: "]") else {
            throw error("expected ']' to close the table header, found \(describe(current))")
        }
        position += 1
        if isArray {
            guard current == UInt8(ascii: "]") else { throw error("expected ']]' to close the array-of-tables header") }
            position += 1
        }
        try endOfLine()

        var table = root
        for part in path.dropLast() {
            switch table.slots[part] {
            case nil:
                let node = TableNode()
                table.set(part, .table(node))
                table = node
            case .table(let node):
                guard !node.closed else {
                    throw error("'\(part)' is an inline table and cannot be extended", at: start)
                }
                table = node
            case .tables(let nodes):
                table = nodes[nodes.count - 1]
            case .value:
                throw error("'\(part)' is already a value, not a table", at: start)
            }
        }
        let last = path[path.count - 1]
        let name = path.joined(separator: ".")
        if isArray {
            let node = TableNode()
            node.definedByHeader = true
            switch table.slots[last] {
            case nil: table.set(last, .tables([node]))
            case .tables(let nodes): table.set(last, .tables(nodes + [node]))
            default: throw error("'\(name)' is already defined and is not an array of tables", at: start)
            }
            return node
        }
        switch table.slots[last] {
        case nil:
            let node = TableNode()
            node.definedByHeader = true
            table.set(last, .table(node))
            return node
        case .table(let node):
            guard !node.definedByHeader, !node.definedByDottedKey, !node.closed else {
                throw error("table '\(name)' is defined twice", at: start)
            }
            node.definedByHeader = true
            return node
        default:
            throw error("'\(name)' is already defined and is not a table", at: start)
        }
    }

    /// `key = value`, the key possibly dotted.
    mutating func keyValue(into table: TableNode) throws(TOMLError) {
        let start = position
        let path = try key()
        skipSpaces()
        guard current == UInt8(ascii: "=") else {
            throw error("expected '=' after the key, found \(describe(current))")
        }
        position += 1
        skipSpaces()
        let value = try self.value()
        var target = table
        for part in path.dropLast() {
            switch target.slots[part] {
            case nil:
                let node = TableNode()
                node.definedByDottedKey = true
                target.set(part, .table(node))
                target = node
            case .table(let node) where !node.closed && !node.definedByHeader:
                target = node
            default:
                throw error("'\(part)' is already defined", at: start)
            }
        }
        let last = path[path.count - 1]
        guard target.slots[last] == nil else {
            throw error("key '\(path.joined(separator: "."))' is defined twice", at: start)
        }
        if case .table(let inline) = value {
            // Kept as a node so that a later dotted key or header is refused like TOML says (it is closed).
            let node = TableNode()
            for (key, value) in inline { node.set(key, .value(value)) }
            node.closed = true
            target.set(last, .table(node))
        } else {
            target.set(last, .value(value))
        }
    }

    // MARK: Keys

    /// A key: bare or quoted parts separated by dots.
    mutating func key() throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            parts.append(try simpleKey())
            skipSpaces()
            guard current == UInt8(ascii: ".") else { return parts }
            position += 1
        }
    }

    mutating func simpleKey() throws(TOMLError) -> String {
        switch current {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                throw error("a key cannot be a multi-line string")
            }
            return try basicString()
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                throw error("a key cannot be a multi-line string")
            }
            return try literalString()
        default:
            let start = position
            while let byte = current, isBareKeyByte(byte) { position += 1 }
            guard position > start else { throw error("expected a key, found \(describe(current))") }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
    }

    func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    // MARK: Values

    mutating func value() throws(TOMLError) -> TOMLValue {
        switch current {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                return .string(try multilineBasicString())
            }
            return .string(try basicString())
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                return .string(try multilineLiteralString())
            }
            return .string(try literalString())
        case UInt8(ascii: "["):
            return try array()
        case UInt8(ascii: "{"):
            return try inlineTable()
        case nil, 0x0A, 0x0D, UInt8(ascii: "#"):
            throw error("expected a value, found \(describe(current))")
        default:
            return try scalar()
        }
    }

    mutating func enter() throws(TOMLError) {
        depth += 1
        if depth > TOMLReader.maximumDepth {
            throw error("arrays and inline tables nested deeper than \(TOMLReader.maximumDepth)")
        }
    }

    mutating func array() throws(TOMLError) -> TOMLValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var items: [TOMLValue] = []
        while true {
            try skipArrayFiller()
            if current == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            items.append(try value())
            try skipArrayFiller()
            if current == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard current == UInt8(ascii: "]") else {
                throw error("expected ',' or ']' in the array, found \(describe(current))")
            }
            position += 1
            return .array(items)
        }
    }

    /// `{ a = 1, b.c = "x" }`: on one line, no trailing comma (TOML 1.0).
    mutating func inlineTable() throws(TOMLError) -> TOMLValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        let node = TableNode()
        skipSpaces()
        if current == UInt8(ascii: "}") {
            position += 1
            return .table(node.value)
        }
        while true {
            skipSpaces()
            try keyValue(into: node)
            skipSpaces()
            if current == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard current == UInt8(ascii: "}") else {
                throw error("expected ',' or '}' in the inline table, found \(describe(current))")
            }
            position += 1
            return .table(node.value)
        }
    }

    // MARK: Strings

    /// Appends the UTF-8 bytes of bytes[start..<end], refusing control characters.
    func checkedText(_ start: Int, _ end: Int, allowNewlines: Bool) throws(TOMLError) {
        var index = start
        while index < end {
            let byte = bytes[index]
            if isControl(byte) {
                let isNewline = byte == 0x0A || (byte == 0x0D && index + 1 < end && bytes[index + 1] == 0x0A)
                if !(allowNewlines && isNewline) { throw error("control character in a string", at: index) }
            }
            index += 1
        }
    }

    mutating func literalString() throws(TOMLError) -> String {
        let open = position
        position += 1
        let start = position
        while let byte = current, byte != UInt8(ascii: "'") {
            if byte == 0x0A || byte == 0x0D {
                throw error("unterminated string (opened at column \(column(of: open)))")
            }
            position += 1
        }
        guard current != nil else { throw error("unterminated string") }
        try checkedText(start, position, allowNewlines: false)
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        position += 1
        return text
    }

    func column(of offset: Int) -> Int { error("", at: offset).column }

    mutating func multilineLiteralString() throws(TOMLError) -> String {
        position += 3
        _ = newline()  // a newline right after the opening quotes is not part of the string
        let start = position
        while true {
            guard current != nil else { throw error("unterminated multi-line string") }
            if current == UInt8(ascii: "'"), peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                // Up to two quotes may end the content right before the closing three.
                var end = position + 3
                while end < bytes.count, bytes[end] == UInt8(ascii: "'"), end - position < 5 { end += 1 }
                let contentEnd = end - 3
                try checkedText(start, contentEnd, allowNewlines: true)
                position = end
                return String(decoding: bytes[start..<contentEnd], as: UTF8.self)
            }
            position += 1
        }
    }

    mutating func basicString() throws(TOMLError) -> String {
        position += 1
        var out: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0x0A, 0x0D:
                throw error("unterminated string (a basic string ends on its line)")
            default:
                if isControl(byte) { throw error("control character in a string") }
                out.append(byte)
                position += 1
            }
        }
    }

    mutating func multilineBasicString() throws(TOMLError) -> String {
        position += 3
        _ = newline()
        var out: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unterminated multi-line string") }
            if byte == UInt8(ascii: "\""), peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                var end = position + 3
                while end < bytes.count, bytes[end] == UInt8(ascii: "\""), end - position < 5 { end += 1 }
                out.append(contentsOf: repeatElement(UInt8(ascii: "\""), count: end - position - 3))
                position = end
                return String(decoding: out, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                // A backslash ending a line trims the newline and the whitespace that follows.
                var look = position + 1
                while look < bytes.count, bytes[look] == 0x20 || bytes[look] == 0x09 { look += 1 }
                if look < bytes.count,
                    bytes[look] == 0x0A || (bytes[look] == 0x0D && look + 1 < bytes.count && bytes[look + 1] == 0x0A)
                {
                    position = look
                    while let next = current, next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D {
                        if next == 0x0D, peek(1) != 0x0A { throw error("a carriage return without a newline") }
                        position += 1
                    }
                    continue
                }
                try escape(into: &out)
                continue
            }
            if byte == 0x0D {
                guard peek(1) == 0x0A else { throw error("a carriage return without a newline") }
                out.append(contentsOf: [0x0D, 0x0A])
                position += 2
                continue
            }
            if byte != 0x0A, isControl(byte) { throw error("control character in a string") }
            out.append(byte)
            position += 1
        }
    }

    mutating func escape(into out: inout [UInt8]) throws(TOMLError) {
        let start = position
        position += 1
        guard let letter = current else { throw error("unterminated string") }
        position += 1
        switch letter {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = letter == UInt8(ascii: "u") ? 4 : 8
            guard position + count <= bytes.count else {
                throw error("incomplete \\\(Character(UnicodeScalar(letter))) escape", at: start)
            }
            var code: UInt32 = 0
            for byte in bytes[position..<position + count] {
                guard let digit = hexDigit(byte) else {
                    throw error("bad hexadecimal digit in a unicode escape", at: start)
                }
                code = code << 4 | UInt32(digit)
            }
            guard let scalar = UnicodeScalar(code) else {
                throw error("escape is not a Unicode scalar value", at: start)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
            position += count
        default:
            throw error("unknown escape '\\' followed by \(describe(letter))", at: start)
        }
    }

    func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: Numbers, booleans, date-times

    /// A bare value: read up to a delimiter, then classified.
    mutating func scalar() throws(TOMLError) -> TOMLValue {
        let start = position
        while let byte = current {
            // A space may separate a date from its time (`1979-05-27 07:32:00`).
            if byte == 0x20, isDateTimeSpace(start) {
                position += 1
                continue
            }
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ",")
                || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "#")
            {
                break
            }
            position += 1
        }
        let token = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Self.classify(token) else { throw error("invalid value '\(token.prefix(40))'", at: start) }
        return value
    }

    /// A space right after `YYYY-MM-DD` and before a digit belongs to a date-time.
    func isDateTimeSpace(_ start: Int) -> Bool {
        guard position - start == 10, let next = peek(1), next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") else {
            return false
        }
        return Self.isDate(Array(bytes[start..<position]))
    }

    static func isDate(_ token: [UInt8]) -> Bool {
        guard token.count == 10, token[4] == UInt8(ascii: "-"), token[7] == UInt8(ascii: "-") else { return false }
        return token.enumerated().allSatisfy { index, byte in
            index == 4 || index == 7 || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
    }

    static func classify(_ token: String) -> TOMLValue? {
        switch token {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        let utf8 = Array(token.utf8)
        guard let first = utf8.first else { return nil }
        if utf8.count >= 10, isDate(Array(utf8.prefix(10))) { return isDateTime(utf8) ? .dateTime(token) : nil }
        if utf8.count >= 8, utf8[2] == UInt8(ascii: ":") { return isLocalTime(utf8[...]) ? .dateTime(token) : nil }
        var body = utf8[...]
        var sign = ""
        if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            sign = first == UInt8(ascii: "-") ? "-" : ""
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        // 0x, 0o, 0b: unsigned only.
        if body.count > 2, body.first == UInt8(ascii: "0"), let radixLetter = body.dropFirst().first,
            let radix = [UInt8(ascii: "x"): 16, UInt8(ascii: "o"): 8, UInt8(ascii: "b"): 2][radixLetter]
        {
            guard sign.isEmpty, first != UInt8(ascii: "+"), let digits = underscored(body.dropFirst(2)) else {
                return nil
            }
            return Int(digits, radix: radix).map(TOMLValue.integer)
        }
        guard let plain = underscored(body) else { return nil }
        let isFloat = plain.contains { $0 == "." || $0 == "e" || $0 == "E" }
        if !isFloat {
            guard plain.allSatisfy(\.isASCII), plain.allSatisfy(\.isNumber) else { return nil }
            if plain.count > 1, plain.hasPrefix("0") { return nil }  // no leading zeros
            return Int(sign + plain).map(TOMLValue.integer)
        }
        // A float: digits, an optional fraction with digits on both sides of the point, an optional exponent.
        let scalars = Array(plain.utf8)
        var index = 0
        func digits() -> Int {
            let begin = index
            while index < scalars.count, scalars[index] >= UInt8(ascii: "0"), scalars[index] <= UInt8(ascii: "9") {
                index += 1
            }
            return index - begin
        }
        let integerDigits = digits()
        guard integerDigits > 0 else { return nil }
        if integerDigits > 1, scalars[0] == UInt8(ascii: "0") { return nil }
        if index < scalars.count, scalars[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
        }
        if index < scalars.count, scalars[index] == UInt8(ascii: "e") || scalars[index] == UInt8(ascii: "E") {
            index += 1
            if index < scalars.count, scalars[index] == UInt8(ascii: "+") || scalars[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { return nil }
        }
        guard index == scalars.count else { return nil }
        return Double(sign + plain).map(TOMLValue.float)
    }

    /// The digits with their underscores removed, each underscore between two digits; nil otherwise.
    static func underscored(_ body: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        var previousIsDigit = false
        for (offset, byte) in body.enumerated() {
            if byte == UInt8(ascii: "_") {
                let next = body.dropFirst(offset + 1).first
                guard previousIsDigit, let next, isAlphanumeric(next) else { return nil }
                previousIsDigit = false
                continue
            }
            previousIsDigit = isAlphanumeric(byte)
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    /// `YYYY-MM-DD`, optionally followed by `T`/space and a time, optionally an offset (`Z`, `+01:00`).
    static func isDateTime(_ token: [UInt8]) -> Bool {
        guard token.count > 10 else { return true }
        let separator = token[10]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == 0x20 else {
            return false
        }
        var time = token[11...]
        if let last = time.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            time = time.dropLast()
        } else if time.count >= 6, let signIndex = time.index(time.endIndex, offsetBy: -6, limitedBy: time.startIndex),
            time[signIndex] == UInt8(ascii: "+") || time[signIndex] == UInt8(ascii: "-")
        {
            guard isClock(time[(signIndex + 1)...], seconds: false) else { return false }
            time = time[..<signIndex]
        }
        return isLocalTime(time)
    }

    /// `HH:MM:SS` with an optional fraction.
    static func isLocalTime(_ time: ArraySlice<UInt8>) -> Bool {
        guard time.count >= 8 else { return false }
        let clock = time.prefix(8)
        guard isClock(clock, seconds: true) else { return false }
        let rest = time.dropFirst(8)
        if rest.isEmpty { return true }
        guard rest.first == UInt8(ascii: "."), rest.count > 1 else { return false }
        return rest.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static func isClock(_ text: ArraySlice<UInt8>, seconds: Bool) -> Bool {
        let expected = seconds ? 8 : 5
        guard text.count == expected else { return false }
        for (offset, byte) in text.enumerated() {
            if offset == 2 || offset == 5 {
                guard byte == UInt8(ascii: ":") else { return false }
            } else if !(byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
                return false
            }
        }
        return true
    }
}
