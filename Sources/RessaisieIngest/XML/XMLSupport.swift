import Foundation
import RessaisieCore

/// Hashes of element paths, so that a reader finds the rule of an element with one table look-up
/// instead of comparing path strings: the hash of `a/b/c` is built from the hash of `a/b` and `c`.
enum PathHash {
    static let seed: UInt64 = 0xCBF2_9CE4_8422_2325

    @inline(__always)
    static func child(_ parent: UInt64, _ name: UnsafeRawBufferPointer) -> UInt64 {
        var hash = (parent ^ 0x2F) &* 0x0000_0100_0000_01B3
        for byte in name { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// Hash of a path written `a/b/c`, from `seed`.
    static func of(_ path: String, from start: UInt64 = seed) -> UInt64 {
        var hash = start
        for component in path.split(separator: "/") {
            var bytes = Array(component.utf8)
            hash = bytes.withUnsafeMutableBytes { child(hash, UnsafeRawBufferPointer($0)) }
        }
        return hash
    }
}

/// Byte values for a fixed set of slots, in one reusable buffer: what a reader gathers about one record
/// (or document, patient, author) before assembling it. Resetting keeps the capacity, so gathering
/// allocates nothing once the buffer has grown.
struct FieldBuffer {
    private(set) var bytes: [UInt8] = []
    private var starts: [Int32]
    private var counts: [Int32]

    init(slots: Int) {
        starts = Array(repeating: 0, count: slots)
        counts = Array(repeating: 0, count: slots)
    }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        for index in counts.indices { counts[index] = 0 }
    }

    @inline(__always)
    func has(_ slot: Int) -> Bool { counts[slot] > 0 }

    /// Replaces the value of `slot`.
    mutating func set(_ slot: Int, _ value: UnsafeRawBufferPointer) {
        starts[slot] = Int32(truncatingIfNeeded: bytes.count)
        counts[slot] = Int32(truncatingIfNeeded: value.count)
        appendBytes(value)
    }

    /// Appends with one copy (the generic `append(contentsOf:)` of a raw buffer goes byte by byte).
    @inline(__always)
    private mutating func appendBytes(_ value: UnsafeRawBufferPointer) {
        guard let base = value.baseAddress, !value.isEmpty else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: value.count))
    }

    /// Forgets the value of `slot`.
    @inline(__always)
    mutating func clear(_ slot: Int) { counts[slot] = 0 }

    /// Sets `slot` when it has no value yet.
    @inline(__always)
    mutating func setFirst(_ slot: Int, _ value: UnsafeRawBufferPointer) {
        if counts[slot] == 0 { set(slot, value) }
    }

    mutating func set(_ slot: Int, _ string: String) {
        var copy = string
        copy.withUTF8 { set(slot, UnsafeRawBufferPointer($0)) }
    }

    /// Appends to the value of `slot`, with `separator` between parts when it is not 0.
    mutating func append(_ slot: Int, _ value: UnsafeRawBufferPointer, separator: UInt8 = 0) {
        guard !value.isEmpty else { return }
        let start = Int(starts[slot]), count = Int(counts[slot])
        if count == 0 {
            set(slot, value)
            return
        }
        if start + count != bytes.count {
            // Not the last value written: move it to the end first.
            bytes.append(contentsOf: bytes[start..<start + count])
            starts[slot] = Int32(truncatingIfNeeded: bytes.count - count)
        }
        if separator != 0 { bytes.append(separator); counts[slot] += 1 }
        appendBytes(value)
        counts[slot] += Int32(truncatingIfNeeded: value.count)
    }

    /// Copies `slot` of `other` into `slot` of this buffer (nothing when empty there).
    mutating func copy(_ slot: Int, from other: FieldBuffer, _ otherSlot: Int) {
        guard other.counts[otherSlot] > 0 else { return }
        let start = Int(other.starts[otherSlot]), count = Int(other.counts[otherSlot])
        starts[slot] = Int32(truncatingIfNeeded: bytes.count)
        counts[slot] = Int32(truncatingIfNeeded: count)
        other.bytes.withUnsafeBufferPointer { source in
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<start + count]))
        }
    }

    func withValue<R>(_ slot: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { base in try body(Self.slice(base, Int(starts[slot]), Int(counts[slot]))) }
    }

    func string(_ slot: Int) -> String { withValue(slot) { String(decoding: $0, as: UTF8.self) } }

    func equals(_ slot: Int, _ literal: StaticString) -> Bool {
        withValue(slot) { $0.count == literal.utf8CodeUnitCount && memcmp($0.baseAddress!, literal.utf8Start, $0.count) == 0 }
    }

    func hash(_ slot: Int) -> UInt64 { withValue(slot) { StableHasher.hash($0) } }

    /// Calls `body` with pointers to every slot's bytes (valid during the call).
    func withValues<R>(_ body: (_ value: (Int) -> UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { base in
            try body { slot in Self.slice(base, Int(starts[slot]), Int(counts[slot])) }
        }
    }

    @inline(__always)
    private static func slice(_ base: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> UnsafeRawBufferPointer {
        count == 0 ? UnsafeRawBufferPointer(start: nil, count: 0) : UnsafeRawBufferPointer(rebasing: base[start..<start + count])
    }
}

extension FieldBuffer {
    /// The canonical values held in slots numbered as `CanonicalField.allCases`.
    static let canonicalSlots = CanonicalField.allCases.count

    @inline(__always)
    static func slot(_ field: CanonicalField) -> Int { canonicalSlotIndex[field]! }
    private static let canonicalSlotIndex: [CanonicalField: Int] = Dictionary(
        uniqueKeysWithValues: CanonicalField.allCases.enumerated().map { ($1, $0) })

    /// Runs `body` with `CanonicalValues` pointing into this buffer (slots numbered as `CanonicalField`).
    func withCanonicalValues<R>(line: Int, _ body: (CanonicalValues) throws -> R) rethrows -> R {
        try withValues { value in
            var values = CanonicalValues()
            values.site = value(Slots.site); values.system = value(Slots.system); values.recordID = value(Slots.recordID)
            values.patientID = value(Slots.patientID); values.ins = value(Slots.ins); values.birthName = value(Slots.birthName)
            values.givenNames = value(Slots.givenNames); values.birthDate = value(Slots.birthDate); values.sex = value(Slots.sex)
            values.birthPlace = value(Slots.birthPlace)
            values.recordedAt = value(Slots.recordedAt); values.effectiveAt = value(Slots.effectiveAt)
            values.authorID = value(Slots.authorID); values.profession = value(Slots.profession)
            values.category = value(Slots.category); values.purpose = value(Slots.purpose); values.label = value(Slots.label)
            values.value = value(Slots.value); values.unit = value(Slots.unit); values.text = value(Slots.text)
            values.line = line
            return try body(values)
        }
    }

    /// Slot numbers of the canonical fields.
    enum Slots {
        static let site = slot(.site), system = slot(.system), recordID = slot(.recordID), patientID = slot(.patientID)
        static let ins = slot(.ins), birthName = slot(.birthName), givenNames = slot(.givenNames)
        static let birthDate = slot(.birthDate), sex = slot(.sex), birthPlace = slot(.birthPlace), recordedAt = slot(.recordedAt)
        static let effectiveAt = slot(.effectiveAt), authorID = slot(.authorID), profession = slot(.profession)
        static let category = slot(.category), purpose = slot(.purpose), label = slot(.label), value = slot(.value)
        static let unit = slot(.unit), text = slot(.text)
    }
}

/// HL7 v3 timestamps (`TS`: `YYYYMMDD[HHMM[SS[.fff]]][±ZZZZ]`) rewritten as ISO 8601 for `ISOTimeParser`.
enum HL7Time {
    /// Appends the ISO form of `bytes` to `output`; false (nothing appended) when it is not at least a
    /// full date (`2006` or `201401` give no time).
    static func appendISO(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) -> Bool {
        var digits = 0
        while digits < bytes.count, bytes[digits] >= 0x30, bytes[digits] <= 0x39 { digits += 1 }
        guard digits == 8 || digits == 12 || digits == 14 else { return false }
        let start = output.count
        output.append(contentsOf: bytes[0..<4]); output.append(0x2D)
        output.append(contentsOf: bytes[4..<6]); output.append(0x2D)
        output.append(contentsOf: bytes[6..<8])
        var position = digits
        if digits >= 12 {
            output.append(0x54)
            output.append(contentsOf: bytes[8..<10]); output.append(0x3A)
            output.append(contentsOf: bytes[10..<12])
            if digits == 14 { output.append(0x3A); output.append(contentsOf: bytes[12..<14]) }
            if position < bytes.count, bytes[position] == 0x2E {
                // Fraction: kept only after seconds.
                let fractionStart = position
                position += 1
                while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
                if digits == 14 { output.append(contentsOf: bytes[fractionStart..<position]) }
            }
            if position + 5 <= bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D {
                output.append(contentsOf: bytes[position..<position + 3]); output.append(0x3A)
                output.append(contentsOf: bytes[position + 3..<position + 5])
                position += 5
            } else if position < bytes.count, bytes[position] == 0x5A {
                output.append(0x5A)
                position += 1
            }
        } else if position + 5 <= bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D {
            position += 5  // a date with an offset: the date alone
        }
        if position != bytes.count {
            output.removeSubrange(start...)
            return false
        }
        return true
    }
}

/// One file's batch as XML readers fill it: the store, its data quality, and the assembler that turns
/// gathered canonical values into entries.
struct BatchBuilder {
    var store = EntryStore(deduplicatingRecordIDs: false)
    var quality = DataQuality()
    var assembler: EntryAssembler
    let strict: Bool
    let path: String

    init(file: InputFile, pseudonymizer: Pseudonymizer, options: IngestOptions) {
        let fileIndex = store.file(named: file.path)
        assembler = EntryAssembler(file: file, fileIndex: fileIndex, pseudonymizer: pseudonymizer, options: options, store: &store)
        strict = options.strict
        path = file.path
        quality.files = 1
    }

    /// Adds the record whose canonical values are in `fields` (slots numbered as `CanonicalField`).
    mutating func add(_ fields: FieldBuffer, line: Int) throws {
        quality.rowsRead += 1
        let problem = fields.withCanonicalValues(line: line) { assembler.add($0, to: &store) }
        if let (kind, detail) = problem {
            let rejection = Rejection(file: path, line: line, kind: kind, detail: detail)
            if strict { throw IngestError.rejected(rejection) }
            quality.record(rejection)
        }
    }

    mutating func finish(bytes: Int) -> FileBatch {
        quality.bytes = bytes
        quality.entries = store.count
        return FileBatch(store: store, quality: quality)
    }
}
