import RessaisieCore

/// The records an XML document gave the learning pass, as the reading pass would hand them to the assembler:
/// each record's canonical values (or that it overflowed its buffer) and its line. The reading pass then
/// assembles them without parsing the document a second time (`XMLExportReader.replay`).
///
/// Filled by one reader on one thread, then read by one reader on another, never at once.
final class RecordedRecords: @unchecked Sendable {
    /// Every record's values, one after the other, by canonical slot (`FieldBuffer.Slots`).
    private(set) var bytes: [UInt8] = []
    /// The end of each value in `bytes`, `fieldCount` a record.
    private var ends: [UInt32] = []
    private(set) var lines: [Int32] = []
    private var overflowed: [Bool] = []
    /// The document's size, for the progress meter and the data-quality figures.
    var documentBytes = 0

    static let fieldCount = FieldBuffer.canonicalSlots

    var count: Int { lines.count }

    /// Records the values a reader gathered for one record (none when its buffer overflowed).
    func append(_ fields: FieldBuffer, line: Int) {
        lines.append(Int32(truncatingIfNeeded: line))
        overflowed.append(fields.overflowed)
        guard !fields.overflowed else { return }
        for slot in 0..<Self.fieldCount {
            bytes.append(contentsOf: fields.value(slot))
            ends.append(UInt32(bytes.count))
        }
    }

    /// Whether record `record` overflowed its buffer when it was read.
    func didOverflow(_ record: Int) -> Bool { overflowed[record] }

    /// Runs `body` with the values of record `record` (one that did not overflow), pointing into this recording.
    func withCanonicalValues<R>(_ record: Int, _ body: (CanonicalValues) throws -> R) rethrows -> R {
        // The values of the records before this one that did not overflow.
        let first = valueIndex[record]
        return try bytes.withUnsafeBytes { raw in
            func value(_ field: Int) -> UnsafeRawBufferPointer {
                let index = first + field
                let start = index == 0 ? 0 : Int(ends[index - 1]), end = Int(ends[index])
                return start == end ? CanonicalValues.empty : UnsafeRawBufferPointer(rebasing: raw[start..<end])
            }
            return try body(FieldBuffer.canonicalValues(line: Int(lines[record]), value))
        }
    }

    /// The index in `ends` of each record's first value (computed once the recording is complete).
    private lazy var valueIndex: [Int] = {
        var index: [Int] = []
        index.reserveCapacity(count)
        var next = 0
        for record in 0..<count {
            index.append(next)
            if !overflowed[record] { next += Self.fieldCount }
        }
        return index
    }()

    /// Bytes held (values and their bounds).
    var heldBytes: Int { bytes.count + 4 * ends.count + 5 * lines.count }

    /// Gives back the room the arrays grew beyond what they hold (they are kept until the reading pass).
    func shrink() {
        bytes = bytes.withUnsafeBufferPointer { Array($0) }
        ends = ends.withUnsafeBufferPointer { Array($0) }
        lines = lines.withUnsafeBufferPointer { Array($0) }
        overflowed = overflowed.withUnsafeBufferPointer { Array($0) }
    }

    /// Frees what is held, once replayed.
    func release() {
        bytes = []
        ends = []
        lines = []
        overflowed = []
    }
}
