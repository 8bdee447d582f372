import Foundation
import RessaisieCore

/// Hashes of element paths, so that a reader finds the rule of an element with one table look-up
/// instead of comparing path strings: the hash of `a/b/c` is built from the hash of `a/b` and the hash of
/// the name `c`. A name's own hash does not depend on where it is, so the stream reader computes it once
/// per distinct name in a document (`XMLStreamReader.nameHash`).
enum PathHash {
    static let seed: UInt64 = 0xCBF2_9CE4_8422_2325

    /// Hash of one element name (FNV-1a).
    @inline(__always)
    static func name(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = seed
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// Hash of the path `parent/name`, from the parent path's hash and the name's (`name(_:)`).
    @inline(__always)
    static func child(_ parent: UInt64, _ name: UInt64) -> UInt64 {
        let mixed = ((parent << 27) | (parent >> 37)) ^ name
        return mixed &* 0x9E37_79B9_7F4A_7C15
    }

    @inline(__always)
    static func child(_ parent: UInt64, _ name: UnsafeRawBufferPointer) -> UInt64 {
        child(parent, Self.name(name))
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

/// A read-only table from path hashes to rules, for the readers' per-element look-up: open addressing with
/// linear probing over the hash itself, a few instructions a look-up (a `Dictionary` hashes its `UInt64`
/// keys again with SipHash, which cost more than the rest of an element's handling).
struct PathTable<Value: Sendable>: Sendable {
    private var keys: [UInt64]
    private var values: [Value?]
    private let mask: Int

    init(_ entries: [UInt64: Value]) {
        var size = 16
        while size < entries.count * 4 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
        for (key, value) in entries {
            var index = Self.start(key, mask)
            while values[index] != nil { index = (index + 1) & mask }
            keys[index] = key
            values[index] = value
        }
    }

    @inline(__always)
    private static func start(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: key ^ (key >> 31)) & mask }

    @inline(__always)
    subscript(key: UInt64) -> Value? {
        var index = Self.start(key, mask)
        while let value = values[index] {
            if keys[index] == key { return value }
            index = (index + 1) & mask
        }
        return nil
    }
}

/// True when `bytes` are exactly the bytes of `literal` (an element or attribute name).
@inline(__always)
func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    bytes.count == literal.utf8CodeUnitCount
        && (bytes.isEmpty || memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0)
}

/// Byte values for a fixed set of slots, in one reusable buffer: what a reader gathers about one record
/// (or document, patient, author) before assembling it. Resetting keeps the capacity, so gathering
/// allocates nothing once the buffer has grown.
///
/// The bytes live in manually managed storage rather than an `Array`: `Array.append(contentsOf:)` costs
/// about 180 instructions a call, more than the rest of a value's handling. A copy of a `FieldBuffer`
/// shares its storage (reference semantics): the readers keep each buffer in one place and only read
/// through copies.
///
/// A buffer holds at most `limit` bytes (`IngestOptions.maxRowBytes`, 8 MiB by default): hostile input
/// (one huge value, or a huge number of values appended to a record) cannot make it grow without bound
/// or overflow its 32-bit offsets. A value that does not fit is dropped and the buffer marked
/// `overflowed`; a record assembled from an overflowed buffer is rejected as `row_too_long`. Values
/// appended in turn to two slots leave dead copies behind (a value is moved to the end to grow): they are
/// compacted away once they are half of the buffer, so such input costs linear time, not quadratic.
struct FieldBuffer {
    static let defaultLimit = 8 << 20

    private final class Storage {
        var bytes: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var count = 0
        let limit: Int
        var overflowed = false
        /// Start and count of each slot's value, interleaved.
        let slots: UnsafeMutablePointer<Int32>
        let slotCount: Int

        init(slots slotCount: Int, limit: Int) {
            precondition(limit > 0 && limit < Int(Int32.max))
            self.slotCount = slotCount
            self.limit = limit
            capacity = min(256, limit)
            bytes = .allocate(capacity: capacity)
            slots = .allocate(capacity: 2 * slotCount)
            slots.initialize(repeating: 0, count: 2 * slotCount)
        }

        deinit {
            bytes.deallocate()
            slots.deallocate()
        }

        /// Room for `extra` more bytes; false, and the buffer marked overflowed, when they would take it
        /// past its limit. May move the values (compaction): take pointers into the buffer after it.
        @inline(__always)
        func reserve(_ extra: Int) -> Bool {
            count + extra <= capacity || makeRoom(extra)
        }

        private func makeRoom(_ extra: Int) -> Bool {
            var live = 0
            for slot in 0..<slotCount { live += Int(slots[2 * slot + 1]) }
            if count - live >= count / 2 { compact() }
            guard count + extra <= limit else {
                overflowed = true
                return false
            }
            if count + extra > capacity {
                var newCapacity = capacity * 2
                while newCapacity < count + extra { newCapacity *= 2 }
                newCapacity = min(newCapacity, limit)
                let newBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
                newBytes.update(from: bytes, count: count)
                bytes.deallocate()
                bytes = newBytes
                capacity = newCapacity
            }
            return true
        }

        /// Moves the live values to the front, in order, dropping dead copies.
        private func compact() {
            var order = (0..<slotCount).filter { slots[2 * $0 + 1] > 0 }
            order.sort { slots[2 * $0] < slots[2 * $1] }
            var end = 0
            for slot in order {
                let start = Int(slots[2 * slot]), length = Int(slots[2 * slot + 1])
                if start != end { (bytes + end).update(from: bytes + start, count: length) }
                slots[2 * slot] = Int32(end)
                end += length
            }
            count = end
        }
    }

    private let storage: Storage

    init(slots: Int, limit: Int = FieldBuffer.defaultLimit) {
        storage = Storage(slots: slots, limit: limit)
    }

    /// True when a value did not fit within the buffer's limit since it was last reset.
    var overflowed: Bool { storage.overflowed }

    /// Bytes held, dead copies included (never more than the limit).
    var byteCount: Int { storage.count }

    mutating func reset() {
        storage.count = 0
        storage.overflowed = false
        storage.slots.update(repeating: 0, count: 2 * storage.slotCount)
    }

    @inline(__always)
    private func start(_ slot: Int) -> Int { Int(storage.slots[2 * slot]) }
    @inline(__always)
    private func count(_ slot: Int) -> Int { Int(storage.slots[2 * slot + 1]) }

    @inline(__always)
    func has(_ slot: Int) -> Bool {
        precondition(slot >= 0 && slot < storage.slotCount)
        return storage.slots[2 * slot + 1] > 0
    }

    /// Replaces the value of `slot` (`value` must not point into this buffer: see `copy`).
    mutating func set(_ slot: Int, _ value: UnsafeRawBufferPointer) {
        precondition(slot >= 0 && slot < storage.slotCount)
        storage.slots[2 * slot + 1] = 0
        guard storage.reserve(value.count) else { return }
        storage.slots[2 * slot] = Int32(truncatingIfNeeded: storage.count)
        storage.slots[2 * slot + 1] = Int32(truncatingIfNeeded: value.count)
        appendBytes(value)
    }

    /// Appends bytes for which room was reserved.
    @inline(__always)
    private mutating func appendBytes(_ value: UnsafeRawBufferPointer) {
        guard let base = value.baseAddress, !value.isEmpty else { return }
        (storage.bytes + storage.count).update(from: base.assumingMemoryBound(to: UInt8.self), count: value.count)
        storage.count += value.count
    }

    /// Forgets the value of `slot`.
    @inline(__always)
    mutating func clear(_ slot: Int) {
        precondition(slot >= 0 && slot < storage.slotCount)
        storage.slots[2 * slot + 1] = 0
    }

    /// Sets `slot` when it has no value yet.
    @inline(__always)
    mutating func setFirst(_ slot: Int, _ value: UnsafeRawBufferPointer) {
        if !has(slot) { set(slot, value) }
    }

    mutating func set(_ slot: Int, _ string: String) {
        var copy = string
        copy.withUTF8 { set(slot, UnsafeRawBufferPointer($0)) }
    }

    /// Appends to the value of `slot`, with `separator` between parts when it is not 0. When the whole
    /// does not fit, the slot keeps its value so far and the buffer is marked overflowed.
    mutating func append(_ slot: Int, _ value: UnsafeRawBufferPointer, separator: UInt8 = 0) {
        guard !value.isEmpty else { return }
        if count(slot) == 0 {
            set(slot, value)
            return
        }
        let last = start(slot) + count(slot) == storage.count
        let extra = (last ? 0 : count(slot)) + (separator != 0 ? 1 : 0) + value.count
        guard storage.reserve(extra) else { return }
        // Read after reserving: compaction may have moved the value (and made it the last one).
        let start = start(slot), count = count(slot)
        if start + count != storage.count {
            // Not the last value written: move it to the end first.
            (storage.bytes + storage.count).update(from: storage.bytes + start, count: count)
            storage.slots[2 * slot] = Int32(truncatingIfNeeded: storage.count)
            storage.count += count
        }
        if separator != 0 {
            storage.bytes[storage.count] = separator
            storage.count += 1
            storage.slots[2 * slot + 1] += 1
        }
        appendBytes(value)
        storage.slots[2 * slot + 1] += Int32(truncatingIfNeeded: value.count)
    }

    /// Appends the value of `source`, another slot of this buffer, to `slot` (as `append`).
    mutating func append(_ slot: Int, fromSlot source: Int, separator: UInt8 = 0) {
        guard has(source) else { return }
        // Room first (the most `append` may need): the source's bytes move if the buffer grows or compacts.
        guard storage.reserve(count(slot) + 1 + count(source)) else { return }
        append(slot, value(source), separator: separator)
    }

    /// Copies `slot` of `other` into `slot` of this buffer (nothing when empty there). `other` may be this
    /// very buffer. An overflowed `other` makes this buffer overflowed too: a record built from it is
    /// rejected.
    mutating func copy(_ slot: Int, from other: FieldBuffer, _ otherSlot: Int) {
        if other.storage.overflowed { storage.overflowed = true }
        guard other.has(otherSlot) else { return }
        // Room first: the bytes of `other` move if it is this buffer and it grows or compacts.
        storage.slots[2 * slot + 1] = 0
        guard storage.reserve(other.count(otherSlot)) else { return }
        let value = other.value(otherSlot)
        storage.slots[2 * slot] = Int32(truncatingIfNeeded: storage.count)
        storage.slots[2 * slot + 1] = Int32(truncatingIfNeeded: value.count)
        appendBytes(value)
    }

    @inline(__always)
    func withValue<R>(_ slot: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(value(slot))
    }

    /// The bytes of `slot`, valid while this buffer is alive and until it is next changed.
    @inline(__always)
    func value(_ slot: Int) -> UnsafeRawBufferPointer {
        precondition(slot >= 0 && slot < storage.slotCount)
        return Self.uncheckedValue(slot, slots: storage.slots, bytes: storage.bytes)
    }

    /// The bytes of `slot` in a storage's slot table and bytes, the slot not checked.
    @inline(__always)
    private static func uncheckedValue(
        _ slot: Int, slots: UnsafeMutablePointer<Int32>, bytes: UnsafeMutablePointer<UInt8>
    ) -> UnsafeRawBufferPointer {
        let count = Int(slots[2 * slot + 1])
        return count == 0
            ? UnsafeRawBufferPointer(start: nil, count: 0)
            : UnsafeRawBufferPointer(start: bytes + Int(slots[2 * slot]), count: count)
    }

    func string(_ slot: Int) -> String { withValue(slot) { String(decoding: $0, as: UTF8.self) } }

    func equals(_ slot: Int, _ literal: StaticString) -> Bool {
        withValue(slot) { RessaisieIngest.equals($0, literal) }
    }

    func hash(_ slot: Int) -> UInt64 { withValue(slot) { StableHasher.hash($0) } }

}

extension FieldBuffer {
    /// The canonical values held in slots numbered as `Slots` (one slot per `CanonicalField`, in its order).
    static let canonicalSlots = 22

    /// The slot of a canonical field. A switch rather than a table, so that `Slots` are compile-time
    /// constants (no lazy global initialization on the per-record path) and a new field fails to compile
    /// here until it gets a slot.
    @inline(__always)
    static func slot(_ field: CanonicalField) -> Int {
        switch field {
        case .site: Slots.site
        case .system: Slots.system
        case .recordID: Slots.recordID
        case .patientID: Slots.patientID
        case .ins: Slots.ins
        case .birthName: Slots.birthName
        case .givenNames: Slots.givenNames
        case .birthDate: Slots.birthDate
        case .sex: Slots.sex
        case .birthPlace: Slots.birthPlace
        case .recordedAt: Slots.recordedAt
        case .effectiveAt: Slots.effectiveAt
        case .authorID: Slots.authorID
        case .profession: Slots.profession
        case .category: Slots.category
        case .purpose: Slots.purpose
        case .code: Slots.code
        case .codeSystem: Slots.codeSystem
        case .label: Slots.label
        case .value: Slots.value
        case .unit: Slots.unit
        case .text: Slots.text
        }
    }

    /// Runs `body` with `CanonicalValues` pointing into this buffer (slots numbered as `CanonicalField`).
    func withCanonicalValues<R>(line: Int, _ body: (CanonicalValues) throws -> R) rethrows -> R {
        precondition(storage.slotCount >= Self.canonicalSlots)
        return try withExtendedLifetime(storage) {
            // Slots are the constants below, all within the buffer: read without a check each.
            let slots = storage.slots, bytes = storage.bytes
            return try body(Self.canonicalValues(line: line) { Self.uncheckedValue($0, slots: slots, bytes: bytes) })
        }
    }

    /// The canonical values whose slot `Slots.x` holds `value(x)` (also what `RecordedRecords` replays).
    @inline(__always)
    static func canonicalValues(line: Int, _ value: (Int) -> UnsafeRawBufferPointer) -> CanonicalValues {
        var values = CanonicalValues()
        values.site = value(Slots.site)
        values.system = value(Slots.system)
        values.recordID = value(Slots.recordID)
        values.patientID = value(Slots.patientID)
        values.ins = value(Slots.ins)
        values.birthName = value(Slots.birthName)
        values.givenNames = value(Slots.givenNames)
        values.birthDate = value(Slots.birthDate)
        values.sex = value(Slots.sex)
        values.birthPlace = value(Slots.birthPlace)
        values.recordedAt = value(Slots.recordedAt)
        values.effectiveAt = value(Slots.effectiveAt)
        values.authorID = value(Slots.authorID)
        values.profession = value(Slots.profession)
        values.category = value(Slots.category)
        values.purpose = value(Slots.purpose)
        values.label = value(Slots.label)
        values.value = value(Slots.value)
        values.unit = value(Slots.unit)
        values.text = value(Slots.text)
        values.line = line
        return values
    }

    /// Slot numbers of the canonical fields.
    enum Slots {
        static let site = 0, system = 1, recordID = 2, patientID = 3, ins = 4, birthName = 5, givenNames = 6
        static let birthDate = 7, sex = 8, birthPlace = 9, recordedAt = 10, effectiveAt = 11, authorID = 12
        static let profession = 13, category = 14, purpose = 15, code = 16, codeSystem = 17, label = 18, value = 19
        static let unit = 20, text = 21
    }
}

/// HL7 v3 timestamps (`TS`: `YYYYMMDD[HHMM[SS[.fff]]][±ZZZZ]`) rewritten as ISO 8601 for `ISOTimeParser`.
enum HL7Time {
    /// Appends the ISO form of `bytes` to `output`; false (nothing appended) when it is not at least a
    /// full date (`2006` or `201401` give no time).
    static func appendISO(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) -> Bool {
        withISO(bytes) { iso in
            guard let iso else { return false }
            output.append(contentsOf: iso)
            return true
        }
    }

    /// Calls `body` with the ISO form of `bytes` (in a stack buffer, valid during the call), or nil when
    /// it is not at least a full date.
    static func withISO<R>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R
    {
        // The ISO form is at most 6 bytes longer: two dashes, a `T`, two colons and the offset's colon.
        try withUnsafeTemporaryAllocation(byteCount: bytes.count + 8, alignment: 1) { buffer in
            let count = write(bytes, to: buffer)
            return try body(count == 0 ? nil : UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Writes the ISO form of `bytes` to `output` (at least `bytes.count + 6` bytes); its length, 0 when
    /// `bytes` is not at least a full date.
    private static func write(_ bytes: UnsafeRawBufferPointer, to output: UnsafeMutableRawBufferPointer) -> Int {
        var digits = 0
        while digits < bytes.count, bytes[digits] >= 0x30, bytes[digits] <= 0x39 { digits += 1 }
        guard digits == 8 || digits == 12 || digits == 14 else { return 0 }
        var out = 0
        @inline(__always) func put(_ byte: UInt8) {
            output[out] = byte
            out += 1
        }
        @inline(__always) func copy(_ from: Int, _ to: Int) { for index in from..<to { put(bytes[index]) } }
        copy(0, 4)
        put(0x2D)
        copy(4, 6)
        put(0x2D)
        copy(6, 8)
        var position = digits
        if digits >= 12 {
            put(0x54)
            copy(8, 10)
            put(0x3A)
            copy(10, 12)
            if digits == 14 {
                put(0x3A)
                copy(12, 14)
            }
            if position < bytes.count, bytes[position] == 0x2E {
                // Fraction: kept only after seconds.
                let fractionStart = position
                position += 1
                while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
                if digits == 14 { copy(fractionStart, position) }
            }
            if position + 5 <= bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D {
                copy(position, position + 3)
                put(0x3A)
                copy(position + 3, position + 5)
                position += 5
            } else if position < bytes.count, bytes[position] == 0x5A {
                put(0x5A)
                position += 1
            }
        } else if position + 5 <= bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D {
            position += 5  // a date with an offset: the date alone
        }
        return position == bytes.count ? out : 0
    }
}

/// One file's batch as XML readers fill it: the store, its data quality, and the assembler that turns
/// gathered canonical values into entries.
struct BatchBuilder {
    var store: EntryStore
    var quality = DataQuality()
    var assembler: EntryAssembler
    let strict: Bool
    let path: String
    /// Bytes a reader may gather for one record (`IngestOptions.maxRowBytes`): the limit of its buffers.
    let recordLimit: Int

    init(file: InputFile, pseudonymizer: Pseudonymizer, options: IngestOptions) {
        store = EntryStore(deduplicatingRecordIDs: false, declaredSystems: options.systems)
        let fileIndex = store.file(named: file.path)
        assembler = EntryAssembler(
            file: file, fileIndex: fileIndex, pseudonymizer: pseudonymizer, options: options, store: &store)
        strict = options.strict
        path = file.path
        recordLimit = min(max(options.maxRowBytes, 1024), Int(Int32.max) - 1)
        quality.files = 1
    }

    /// Adds the record whose canonical values are in `fields` (slots numbered as `CanonicalField`).
    mutating func add(_ fields: FieldBuffer, line: Int) throws {
        assembler.sample?.record(fields, line: line)
        quality.rowsRead += 1
        let problem: (RejectionKind, String)? =
            fields.overflowed ? overflow : fields.withCanonicalValues(line: line) { assembler.add($0, to: &store) }
        if let (kind, detail) = problem { try reject(line: line, kind, detail) }
        try assembler.stopIfSampleIsFull()
    }

    /// Adds record `record` of what the learning pass recorded of this file, as `add` did when it was read.
    mutating func replay(_ recorded: RecordedRecords, record: Int) throws {
        quality.rowsRead += 1
        let line = Int(recorded.lines[record])
        let problem: (RejectionKind, String)? =
            recorded.didOverflow(record)
            ? overflow : recorded.withCanonicalValues(record) { assembler.add($0, to: &store) }
        if let (kind, detail) = problem { try reject(line: line, kind, detail) }
    }

    private var overflow: (RejectionKind, String) {
        (
            .rowTooLong,
            "record over \(Self.shown(recordLimit)) once its values are gathered (an over-long value or too many values), skipped"
        )
    }

    /// Counts a rejection (with `--strict`, stops the run with it).
    mutating func reject(line: Int, _ kind: RejectionKind, _ detail: String) throws {
        let rejection = Rejection(file: path, line: line, kind: kind, detail: detail)
        if strict { throw IngestError.rejected(rejection) }
        quality.record(rejection)
    }

    private static func shown(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    mutating func finish(bytes: Int) -> FileBatch {
        quality.bytes = bytes
        quality.entries = store.count
        quality.rowsOutsideSelection = assembler.rowsOutsideSelection
        return FileBatch(store: store, quality: quality)
    }
}
