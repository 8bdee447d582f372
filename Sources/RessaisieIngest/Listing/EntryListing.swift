import Foundation
import RessaisieCore

/// One entry as the readers produced it, for `ressaisie entries`: the canonical fields of the README's input
/// contract, with the patient id, INS and author id replaced by their pseudonyms (32 hex digits), the
/// category, profession and purpose as the analysis sees them (vocabulary and profile applied), and every
/// other field as the reader gave it to the assembler (times as read, content as read). Identity traits
/// (names, birth date, sex) are never listed.
public struct ListedEntry: Sendable, Equatable {
    /// The listed fields, in column order.
    public static let columns: [CanonicalField] = [
        .site, .system, .recordID, .patientID, .ins, .birthName, .givenNames, .birthDate, .sex, .recordedAt,
        .effectiveAt, .authorID, .profession, .category, .purpose, .label, .value, .unit, .text,
    ]

    /// The export and line the entry was read from.
    public var file: String
    public var line: Int
    /// Values by `columns`; empty when the source has none (and always for identity traits).
    public var values: [String]

    public subscript(field: CanonicalField) -> String {
        Self.columns.firstIndex(of: field).map { values[$0] } ?? ""
    }
}

/// Told of every entry as a reader assembles it (`IngestOptions.entrySink`). Called on the thread that reads
/// the file: `EntryListing` reads one file at a time, in order.
public protocol EntrySink: AnyObject, Sendable {
    func entry(_ entry: ListedEntry)
}

/// Reads exports and hands each entry to a sink as it is read, without keeping them: what
/// `ressaisie entries` writes, so an analyst can check what a profile or an XML export gives.
public enum EntryListing {
    /// Reads the exports under `paths` one file at a time, in path order, telling `sink` of each entry; returns
    /// the data quality of the whole (rejected rows are counted there, not listed). Each file's entries are
    /// dropped once it is read; record ids used twice across files are not looked for.
    ///
    /// Throws what `AuditLoader` throws: a missing path, with `strict` the first rejected row or unreadable
    /// file, and `nothingReadable` when no export is found.
    public static func read(
        paths: [String], pseudonymizer: Pseudonymizer, options: IngestOptions, into sink: any EntrySink
    ) throws -> DataQuality {
        let discovered = try InputDiscovery.files(in: paths, systems: options.systems)
        guard !discovered.files.isEmpty else {
            throw IngestError.nothingReadable(reason: "no .csv or .xml export under \(paths.joined(separator: ", "))")
        }
        var options = options
        options.entrySink = sink
        let loader = AuditLoader(pseudonymizer: pseudonymizer, options: options, parallelism: 1)
        var quality = DataQuality()
        for file in discovered.files {
            quality.absorb(try loader.load(files: [file]).quality)
        }
        quality.filesSkipped = discovered.skipped
        return quality
    }
}

extension Pseudonym {
    /// The pseudonym as 32 lowercase hex digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 32)
        for (offset, word) in [high, low].enumerated() {
            for nibble in 0..<16 { bytes[offset * 16 + nibble] = digits[Int((word >> UInt64(60 - 4 * nibble)) & 0xF)] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Writes listed entries as canonical CSV (RFC 4180, a header row of `ListedEntry.columns`) to a file
/// descriptor, through a buffer: rows are not kept. Free text is written only when `includeText` is set.
public final class EntryCSVWriter: EntrySink, @unchecked Sendable {  // used from one thread at a time
    private let descriptor: Int32
    private let includeText: Bool
    private var buffer: [UInt8] = []
    /// The first write error (errno), after which nothing more is written.
    public private(set) var failure: Int32?
    public private(set) var rows = 0

    public init(descriptor: Int32, includeText: Bool) {
        self.descriptor = descriptor
        self.includeText = includeText
        buffer.reserveCapacity(1 << 16)
        append(ListedEntry.columns.map(\.rawValue))
    }

    public func entry(_ entry: ListedEntry) {
        var values = entry.values
        if !includeText, let text = ListedEntry.columns.firstIndex(of: .text) { values[text] = "" }
        append(values)
        rows += 1
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes what is buffered; throws the first write error.
    public func finish() throws {
        flush()
        if let failure { throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO) }
    }

    private func append(_ values: [String]) {
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(0x2C) }
            CSVField.append(value, to: &buffer)
        }
        buffer.append(0x0A)
    }

    private func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil else { return }
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
    }
}
