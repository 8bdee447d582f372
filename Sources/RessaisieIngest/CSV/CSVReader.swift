import RessaisieCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif

/// Receives the rows of a `CSVReader`. A type rather than a closure, so that the per-row call is specialized
/// into the reading loop: no closure context, no dynamic exclusivity checks on captured state.
public protocol CSVRowHandler {
    mutating func handle(_ event: CSVReader.Event) throws
}

private struct ClosureRowHandler: CSVRowHandler {
    let body: (CSVReader.Event) throws -> Void
    func handle(_ event: CSVReader.Event) throws { try body(event) }
}

/// A streaming RFC 4180 reader over a file's bytes.
///
/// Quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF, a UTF-8 BOM. The file is read
/// in chunks into one buffer that only grows to hold the longest row (bounded by `maxRowBytes`, past
/// which the row is skipped and reported), so memory does not depend on the file's size. Fields are
/// handed out as byte ranges into that buffer: no `String` per field, no allocation per row.
public final class CSVReader {
    /// One row, valid only inside the callback that receives it.
    public struct Row {
        fileprivate let base: UnsafeRawPointer
        fileprivate let spans: UnsafeBufferPointer<FieldSpan>
        /// Line of the file where the row starts (1-based).
        public let line: Int

        public var count: Int { spans.count }

        /// The bytes of field `index` (quotes removed, doubled quotes undoubled).
        @inline(__always)
        public subscript(index: Int) -> UnsafeRawBufferPointer {
            let span = spans[index]
            return UnsafeRawBufferPointer(start: base + Int(span.start), count: Int(span.end - span.start))
        }

        /// The bytes from the first field's start to the last field's end (delimiters and quotes included,
        /// and possibly leftovers of undoubled quotes): for one fast validity check of the whole row.
        public var spannedBytes: UnsafeRawBufferPointer {
            guard let first = spans.first, let last = spans.last, last.end >= first.start else {
                return UnsafeRawBufferPointer(start: base, count: 0)
            }
            return UnsafeRawBufferPointer(start: base + Int(first.start), count: Int(last.end - first.start))
        }

        public func string(_ index: Int) -> String { String(decoding: self[index], as: UTF8.self) }
    }

    /// What the reader hands out: a row, or a row it had to set aside.
    public enum Event {
        case row(Row)
        case rejected(line: Int, kind: RejectionKind, detail: String)
    }

    fileprivate struct FieldSpan {
        var start: Int32
        var end: Int32
        /// A quoted field with doubled quotes to undouble (never an unquoted one: `A""1` stays as it is).
        var doubled = false
    }

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    public let path: String
    public private(set) var delimiter: UInt8 = UInt8(ascii: ",")
    /// Bytes read so far.
    public private(set) var bytesRead = 0
    /// Called with the number of bytes read since the last call, after each chunk (for progress).
    public var onRead: ((Int) -> Void)?
    /// Bytes of the file read at most: the rest is taken as not there (`inspect` reads the head of a file).
    public var byteLimit = Int.max

    private let descriptor: Int32
    private let chunkSize: Int
    private let maxRowBytes: Int
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var end = 0
    private var atEOF = false
    private var explicitDelimiter: UInt8?
    /// The file's encoding (given, or detected from its first bytes when reading starts).
    public private(set) var encoding: TextEncoding
    private let explicitEncoding: TextEncoding?
    private var transcoder: Transcoder?
    private var raw: UnsafeMutableRawPointer?
    /// True while everything read so far is ASCII and no encoding was given.
    private var undecided = false
    /// While undecided: bytes at the end of the buffer that start a cut multi-byte sequence.
    private var pendingUndecided = 0

    /// The character that quotes fields (`"` unless a profile says otherwise, such as `'`).
    public let quoteCharacter: UInt8

    /// Opens `path`. `delimiter` nil detects it from the header line among `,` `;` tab and `|`;
    /// `encoding` nil detects it (BOM, valid UTF-8, else Windows-1252 or ISO-8859-15).
    public init(
        path: String, delimiter: UInt8? = nil, quote: UInt8 = UInt8(ascii: "\""), encoding: TextEncoding? = nil,
        chunkSize: Int = 1 << 20, maxRowBytes: Int = 8 << 20
    ) throws {
        self.path = path
        quoteCharacter = quote
        explicitEncoding = encoding
        self.encoding = encoding ?? .utf8
        self.chunkSize = chunkSize
        self.maxRowBytes = max(maxRowBytes, 1024)
        explicitDelimiter = delimiter
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw IngestError.notFound(path: path) }
            throw IngestError.unreadable(path: path, reason: String(cString: strerror(code)))
        }
        descriptor = fd
        capacity = chunkSize * 2
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
        raw?.deallocate()
    }

    /// Reads the whole file, calling `body` for each row (the header is the first row) and for each row
    /// set aside. Blank lines are skipped.
    public func read(_ body: (Event) throws -> Void) throws {
        try withoutActuallyEscaping(body) { body in
            var handler = ClosureRowHandler(body: body)
            try read(into: &handler)
        }
    }

    /// Reads the whole file, handing each row (the header is the first row) and each row set aside to
    /// `handler`. Blank lines are skipped. The hot path of the canonical reader: the handler's code is
    /// specialized into the reading loop.
    ///
    /// One function on purpose (a speed-critical byte loop, docs/DESIGN.md, "Speed-critical code"): the
    /// row's state (positions, field spans, quote state, line) lives in locals that the nested helpers
    /// share, so the loop keeps it in registers; split into methods, it would live in `self` and be loaded
    /// and stored on every field and every refill. Its parts: refill (keep the row in progress, read more),
    /// `scanFields` over whole rows, the SWAR skips over plain bytes, the state machine for the rest, and the
    /// last row at the end of the file.
    public func read<Handler: CSVRowHandler>(into handler: inout Handler) throws {
        var spans = UnsafeMutableBufferPointer<FieldSpan>.allocate(capacity: 64)
        defer { spans.deallocate() }
        var spanCount = 0
        var needsUnescape = false
        var fieldDoubled = false

        var rowStart = 0, position = 0
        var state = State.fieldStart
        var line = 1, rowLine = 1
        var skipping = false
        var malformed = false
        var first = true

        func appendSpan(_ span: FieldSpan) {
            if spanCount == spans.count { Self.double(&spans) }
            spans[spanCount] = span
            spanCount += 1
        }

        var fieldStart = 0
        var quotedEnd = -1
        // The buffer, in a local the nested functions read without an exclusivity check on `self.buffer`
        // per row; set again after every refill (which may move it).
        var current = buffer

        @inline(__always) func finishField(at position: Int) {
            guard !skipping else {
                quotedEnd = -1
                fieldDoubled = false
                return
            }
            var end = quotedEnd >= 0 ? quotedEnd : position
            if quotedEnd < 0, end > fieldStart, current.load(fromByteOffset: end - 1, as: UInt8.self) == 0x0D,
                state != .quoted
            {
                end -= 1  // CR of a CRLF row end (only reached at a row end or before a delimiter)
            }
            appendSpan(
                FieldSpan(start: Int32(fieldStart - rowStart), end: Int32(end - rowStart), doubled: fieldDoubled))
            quotedEnd = -1
            fieldDoubled = false
        }

        @inline(__always) func emitRow(endingAt position: Int) throws {
            defer {
                spanCount = 0
                needsUnescape = false
                skipping = false
                malformed = false
                state = .fieldStart
            }
            if skipping || position - rowStart > maxRowBytes {
                try handler.handle(
                    .rejected(
                        line: rowLine, kind: .rowTooLong, detail: "row longer than \(maxRowBytes >> 20) MiB, skipped"))
                return
            }
            if malformed {
                try handler.handle(
                    .rejected(line: rowLine, kind: .malformedQuote, detail: "characters after a closing quote"))
                return
            }
            // A blank line is one empty unquoted field.
            if spanCount == 1, spans[0].start == spans[0].end, position - rowStart <= 2 { return }
            let base = UnsafeRawPointer(current + rowStart)
            if needsUnescape {
                unescape(base: current + rowStart, spans: UnsafeMutableBufferPointer(rebasing: spans[0..<spanCount]))
            }
            try handler.handle(
                .row(Row(base: base, spans: UnsafeBufferPointer(rebasing: spans[0..<spanCount]), line: rowLine)))
        }

        /// Closes the row whose line break is at `newline`; the next row starts after it.
        @inline(__always) func endRow(atNewline newline: Int) throws {
            finishField(at: newline)
            line += 1
            try emitRow(endingAt: newline + 1)
            rowStart = newline + 1
            fieldStart = newline + 1
            rowLine = line
        }

        let quote = quoteCharacter
        let newline = UInt8(ascii: "\n")
        while true {
            if position == end {
                if atEOF { break }
                // Keep the row in progress, drop what is behind it, read more.
                if rowStart > 0 {
                    let kept = end - rowStart
                    if kept > 0 { memmove(buffer, buffer + rowStart, kept) }
                    position -= rowStart
                    fieldStart -= rowStart
                    if quotedEnd >= 0 { quotedEnd -= rowStart }
                    end = kept
                    rowStart = 0
                }
                if skipping {
                    // Nothing of a skipped row is kept.
                    end = 0
                    position = 0
                    fieldStart = 0
                } else if end >= maxRowBytes {
                    // The row in progress is too long: drop it and skip to its end.
                    skipping = true
                    end = 0
                    position = 0
                    fieldStart = 0
                    quotedEnd = -1
                } else if end + chunkSize > capacity {
                    grow(to: max(capacity * 2, end + chunkSize))
                }
                if first {
                    // Read enough to see the BOM and the whole header line before detecting anything.
                    if capacity < Self.headerWindow * 4 { grow(to: Self.headerWindow * 4) }
                    try fill(atLeast: Self.headerWindow)
                    startTranscoding()
                } else {
                    try fill(atLeast: chunkSize)
                }
                if first {
                    first = false
                    try handleStartOfFile(&position)
                    rowStart = position
                    fieldStart = position
                    delimiter = explicitDelimiter ?? detectDelimiter(from: position)
                }
                current = buffer
                continue
            }
            let delimiter = self.delimiter
            let bytes = buffer.assumingMemoryBound(to: UInt8.self)
            let delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
            let newlineWord = UInt64(newline) &* 0x0101_0101_0101_0101
            let quoteWord = UInt64(quote) &* 0x0101_0101_0101_0101
            while position < end {
                // Fastest path, from the start of a field: whole rows of plain and simple quoted fields
                // scanned by `scanFields`, without the state machine, which takes over where it stops.
                if state == .fieldStart && !skipping {
                    scanning: while true {
                        let (outcome, stop) = Self.scanFields(
                            bytes, fieldStart: &fieldStart, end: end, rowStart: rowStart, spans: &spans,
                            spanCount: &spanCount,
                            delimiter: delimiter, quote: quote, delimiterWord: delimiterWord, newlineWord: newlineWord,
                            quoteWord: quoteWord)
                        position = stop
                        switch outcome {
                        case .rowEnded:
                            line += 1
                            try emitRow(endingAt: position)
                            rowStart = position
                            rowLine = line
                        case .quoteInField:
                            state = .unquoted
                            break scanning
                        case .quotedField:
                            break scanning
                        case .bufferEnded:
                            if end > fieldStart { state = .unquoted }
                            break scanning
                        }
                    }
                    if position == end { break }
                }
                // Fast paths: run through the plain bytes of a field without going through the switch.
                // Eight bytes at a time while none of them is a delimiter or a line break (or a quote).
                if state == .unquoted {
                    position = Self.skip(bytes, from: position, to: end, until: delimiterWord, or: newlineWord)
                    while position < end, bytes[position] != delimiter, bytes[position] != newline { position += 1 }
                    if position == end { break }
                } else if state == .quoted {
                    while true {
                        position = Self.skip(bytes, from: position, to: end, until: quoteWord, or: newlineWord)
                        guard position < end, bytes[position] == newline else { break }
                        line += 1
                        position += 1
                    }
                    while position < end, bytes[position] != quote {
                        if bytes[position] == newline { line += 1 }
                        position += 1
                    }
                    if position == end { break }
                }
                let byte = bytes[position]
                switch state {
                case .unquoted:
                    if byte == delimiter {
                        finishField(at: position)
                        state = .fieldStart
                        fieldStart = position + 1
                    } else if byte == newline {
                        try endRow(atNewline: position)
                        position += 1
                        continue
                    }
                case .fieldStart:
                    if byte == quote {
                        state = .quoted
                        fieldStart = position + 1
                    } else if byte == delimiter {
                        fieldStart = position
                        finishField(at: position)
                        fieldStart = position + 1
                    } else if byte == newline {
                        fieldStart = min(fieldStart, position)
                        try endRow(atNewline: position)
                        position += 1
                        continue
                    } else {
                        state = .unquoted
                    }
                case .quoted:
                    if byte == quote {
                        state = .quoteInQuoted
                    } else if byte == newline {
                        line += 1
                    }
                case .quoteInQuoted:
                    if byte == quote {
                        state = .quoted
                        needsUnescape = true
                        fieldDoubled = true
                    } else if byte == delimiter {
                        if quotedEnd < 0 { quotedEnd = position - 1 }
                        finishField(at: position)
                        state = .fieldStart
                        fieldStart = position + 1
                    } else if byte == newline {
                        if quotedEnd < 0 { quotedEnd = position - 1 }
                        try endRow(atNewline: position)
                        position += 1
                        continue
                    } else if byte == 0x0D {
                        if quotedEnd < 0 { quotedEnd = position - 1 }
                    } else {
                        malformed = true
                    }
                }
                position += 1
            }
        }

        // End of file: close the last row.
        switch state {
        case .quoted:
            try handler.handle(
                .rejected(
                    line: rowLine, kind: .unterminatedQuote,
                    detail: "unterminated quoted field (opened on line \(rowLine), runs to the end of the file)"))
        case .fieldStart where spanCount == 0 && position == rowStart:
            break  // the file ended with a line break
        default:
            if state == .quoteInQuoted, quotedEnd < 0 { quotedEnd = position - 1 }
            if state == .fieldStart { fieldStart = min(fieldStart, position) }
            finishField(at: position)
            try emitRow(endingAt: position)
        }
    }

    /// The position of the first 8-byte word, from `start`, that holds a byte equal to one of the two
    /// repeated bytes (`first`, `second`): before it every byte is plain. Stops 8 bytes before `end`; the
    /// caller finishes byte by byte. (Zero-byte test: (x − 0x01…) & ~x & 0x80… is non-zero when a byte of
    /// x is zero.)
    @inline(__always)
    static func skip(
        _ bytes: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int, until first: UInt64, or second: UInt64
    ) -> Int {
        var position = start
        while position + 8 <= end {
            let word = UnsafeRawPointer(bytes + position).loadUnaligned(as: UInt64.self)
            let a = word ^ first, b = word ^ second
            let found = ((a &- 0x0101_0101_0101_0101) & ~a | (b &- 0x0101_0101_0101_0101) & ~b) & 0x8080_8080_8080_8080
            if found != 0 { return position + found.trailingZeroBitCount >> 3 }
            position += 8
        }
        return position
    }

    /// Doubles the room for a row's field spans, keeping those there are.
    private static func double(_ spans: inout UnsafeMutableBufferPointer<FieldSpan>) {
        let larger = UnsafeMutableBufferPointer<FieldSpan>.allocate(capacity: spans.count * 2)
        _ = larger.initialize(fromContentsOf: spans)
        spans.deallocate()
        spans = larger
    }

    /// Where `scanFields` stopped.
    fileprivate enum FieldScan {
        /// After the line break that ends the row.
        case rowEnded
        /// At a quote inside an unquoted field (an ordinary byte, for the state machine to go on from).
        case quoteInField
        /// At the opening quote of a quoted field it does not read (on several lines, with doubled quotes,
        /// or not closed within the buffered bytes): nothing of that field is taken.
        case quotedField
        /// At the end of the buffered bytes, within the field that starts at `fieldStart`.
        case bufferEnded
    }

    /// Takes the fields of the row in progress from `fieldStart` (the start of a field) into `spans`, up to
    /// the row's end: plain fields, and quoted fields on one line without doubled quotes, closed by a quote
    /// that a delimiter or a line break follows. The delimiters, line breaks and quotes of eight bytes at
    /// a time are found at once (one bit each), and fields are cut between them. A function of its own so
    /// that its few values stay in registers.
    @inline(never)
    fileprivate static func scanFields(
        _ bytes: UnsafeMutablePointer<UInt8>, fieldStart: inout Int, end: Int, rowStart: Int,
        spans: inout UnsafeMutableBufferPointer<FieldSpan>, spanCount: inout Int,
        delimiter: UInt8, quote: UInt8, delimiterWord: UInt64, newlineWord: UInt64, quoteWord: UInt64
    ) -> (FieldScan, Int) {
        let newline = UInt8(ascii: "\n")
        var start = fieldStart
        var count = spanCount
        defer {
            fieldStart = start
            spanCount = count
        }
        @inline(__always) func add(_ valueStart: Int, _ valueEnd: Int) {
            if count == spans.count { double(&spans) }
            spans[count] = FieldSpan(
                start: Int32(truncatingIfNeeded: valueStart &- rowStart),
                end: Int32(truncatingIfNeeded: valueEnd &- rowStart))
            count &+= 1
        }
        var window = start
        while window < end {
            var mask: UInt64
            if window &+ 8 <= end {
                mask = structuralMask(
                    UnsafeRawPointer(bytes + window).loadUnaligned(as: UInt64.self),
                    delimiter: delimiterWord, newline: newlineWord, quote: quoteWord)
            } else {
                mask = 0
                var offset = 0
                while window &+ offset < end {
                    let byte = bytes[window &+ offset]
                    if byte == delimiter || byte == newline || byte == quote { mask |= 0x80 &<< UInt64(offset &* 8) }
                    offset &+= 1
                }
            }
            // Only what is at or after the start of the current field.
            if start > window { mask &= ~0 &<< UInt64((start &- window) &* 8) }
            var jumped = false
            while mask != 0 {
                let found = window &+ mask.trailingZeroBitCount &>> 3
                mask &= mask &- 1
                var byte = bytes[found]
                if byte == quote {
                    guard found == start else { return (.quoteInField, found) }
                    let closing = findQuoteOrNewline(
                        bytes, from: found &+ 1, to: end, quote: quoteWord, newline: newlineWord)
                    guard closing &+ 1 < end, bytes[closing] == quote else { return (.quotedField, found) }
                    byte = bytes[closing &+ 1]
                    guard byte == delimiter || byte == newline else { return (.quotedField, found) }
                    add(found &+ 1, closing)
                    start = closing &+ 2
                    jumped = true
                } else {
                    // A CR before the delimiter or line break is not part of an unquoted field.
                    add(start, found > start && bytes[found &- 1] == 0x0D ? found &- 1 : found)
                    start = found &+ 1
                }
                if byte == newline { return (.rowEnded, start) }
                if jumped { break }
            }
            window = jumped ? start : window &+ 8
        }
        return (.bufferEnded, end)
    }

    /// One high bit for each byte of `word` equal to the delimiter, a line break or a quote (exact for
    /// every byte: the low seven bits are added without carrying into the next byte).
    @inline(__always)
    static func structuralMask(_ word: UInt64, delimiter: UInt64, newline: UInt64, quote: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        @inline(__always) func nonZero(_ x: UInt64) -> UInt64 { ((x & low) &+ low) | x }
        return ~(nonZero(word ^ delimiter) & nonZero(word ^ newline) & nonZero(word ^ quote)) & 0x8080_8080_8080_8080
    }

    /// The position of the first quote or line break from `start` (`end` when there is none).
    @inline(__always)
    static func findQuoteOrNewline(
        _ bytes: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int, quote: UInt64, newline: UInt64
    ) -> Int {
        var position = skip(bytes, from: start, to: end, until: quote, or: newline)
        let q = UInt8(truncatingIfNeeded: quote), n = UInt8(truncatingIfNeeded: newline)
        while position < end, bytes[position] != q, bytes[position] != n { position += 1 }
        return position
    }

    /// Removes one quote of each doubled pair inside quoted fields, in place.
    private func unescape(base: UnsafeMutableRawPointer, spans: UnsafeMutableBufferPointer<FieldSpan>) {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        for index in spans.indices where spans[index].doubled {
            let span = spans[index]
            var read = Int(span.start), write = Int(span.start)
            let end = Int(span.end)
            while read < end {
                let byte = bytes[read]
                bytes[write] = byte
                write += 1
                read += byte == quoteCharacter && read + 1 < end && bytes[read + 1] == quoteCharacter ? 2 : 1
            }
            spans[index].end = Int32(write)
        }
    }

    /// Bytes read before detecting the BOM and the delimiter.
    static let headerWindow = 1 << 16

    /// Reads until `atLeast` bytes are buffered, the buffer is full, or the file ends.
    private func fill(atLeast minimum: Int) throws {
        while end < capacity {
            // At most a chunk a read, so that rows and fields meet the end of the buffered bytes where the
            // chunk size puts it (tests read with chunks of a few bytes).
            var room = min(capacity - end, chunkSize)
            var target = buffer + end
            if undecided {
                // Leave room to turn what comes into UTF-8 if it turns out not to be UTF-8.
                room = min(room, (capacity - end - 8) / 3)
                guard room > 0 else { return }
            } else if transcoder != nil {
                // Raw bytes go to a side buffer, and come back as UTF-8 (up to 3 bytes each).
                room = min(chunkSize, (capacity - end - 8) / 3)
                guard room > 0 else { return }
                target = raw!
            }
            room = min(room, byteLimit - bytesRead)
            let count = room > 0 ? Glibc_read(descriptor, target, room) : 0
            if count < 0 {
                if errno == EINTR { continue }
                throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 {
                atEOF = true
                return
            }
            if transcoder != nil {
                end += transcoder!.transcode(UnsafeRawBufferPointer(start: raw!, count: count), into: buffer + end)
            } else if undecided {
                decide(newBytesAt: end, count: count)
            } else {
                end += count
            }
            bytesRead += count
            onRead?(count)
            if end >= minimum { return }
        }
    }

    /// Detects the encoding from the first 64 KiB (unless given); for anything but UTF-8, turns the
    /// window into UTF-8 and sets up transcoding of what follows. A window of pure ASCII decides nothing:
    /// the first chunk with other bytes does (ASCII reads the same in every encoding handled here).
    private func startTranscoding() {
        var window = UnsafeRawBufferPointer(start: buffer, count: min(end, Self.headerWindow))
        let windowIsAll = atEOF && end <= Self.headerWindow
        // A sequence cut at the window's end belongs to what follows.
        if !windowIsAll {
            window = UnsafeRawBufferPointer(
                rebasing: window[0..<(window.count - TextEncoding.trailingPartialSequence(window))])
        }
        let detected = explicitEncoding ?? TextEncoding.detect(window, atEndOfFile: true)
        if explicitEncoding == nil, !windowIsAll, Self.isASCII(window) {
            encoding = .utf8
            undecided = true
            decide(newBytesAt: window.count, count: end - window.count)
            return
        }
        encoding = detected ?? .utf8
        guard encoding != .utf8 else { return }
        var coder = Transcoder(encoding: encoding)
        let bytes = Array(UnsafeRawBufferPointer(start: buffer, count: end))
        if capacity < bytes.count * 3 + 8 { grow(to: bytes.count * 3 + 8 + chunkSize) }
        end = bytes.withUnsafeBytes { coder.transcode($0, into: buffer) }
        transcoder = coder
        raw = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
    }

    /// While undecided, looks at `count` new bytes at `start`: still ASCII, nothing changes; valid UTF-8,
    /// the file is UTF-8; otherwise the single-byte encoding detected, and these bytes are turned into
    /// UTF-8 in place (room for them was left by `fill`).
    private func decide(newBytesAt newStart: Int, count newCount: Int) {
        // Bytes of a sequence cut at the end of the previous chunk are judged with this one.
        let start = newStart - pendingUndecided, count = newCount + pendingUndecided
        pendingUndecided = 0
        let new = UnsafeRawBufferPointer(start: buffer + start, count: count)
        end = start + count
        guard !Self.isASCII(new) else { return }
        undecided = false
        // Only a cut sequence at the end is not ASCII: wait for the bytes that finish it.
        guard let detected = TextEncoding.detect(new, atEndOfFile: atEOF) else {
            undecided = true
            pendingUndecided = TextEncoding.trailingPartialSequence(new)
            return
        }
        guard detected != .utf8 else { return }
        encoding = detected
        var coder = Transcoder(encoding: detected)
        let copy = Array(new)
        if capacity < start + copy.count * 3 + 8 { grow(to: start + copy.count * 3 + 8 + chunkSize) }
        end = start + copy.withUnsafeBytes { coder.transcode($0, into: buffer + start) }
        transcoder = coder
        raw = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
    }

    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index + 8 <= bytes.count {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    private func grow(to newCapacity: Int) {
        let larger = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        larger.copyMemory(from: buffer, byteCount: end)
        buffer.deallocate()
        buffer = larger
        capacity = newCapacity
    }

    /// Skips a byte-order mark.
    private func handleStartOfFile(_ position: inout Int) throws {
        let bytes = buffer.assumingMemoryBound(to: UInt8.self)
        // A BOM (UTF-16 ones arrive here already turned into UTF-8's).
        if end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            position = 3
        }
    }

    /// The delimiter among `,` `;` tab `|`: counted outside quotes on each of the first 20 lines, the one
    /// that splits the most lines into the same number of fields (title lines above a header count for
    /// little); ties go to the most fields, then to `,` `;` tab `|` in that order.
    private func detectDelimiter(from start: Int) -> UInt8 {
        let bytes = buffer.assumingMemoryBound(to: UInt8.self)
        let order: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]  // the slots of `counts`
        var perLine: [[Int]] = []
        var counts = [0, 0, 0, 0]
        var inQuotes = false
        var position = start
        while position < end, perLine.count < 20 {
            let byte = bytes[position]
            if byte == quoteCharacter {
                inQuotes.toggle()
            } else if !inQuotes {
                if byte == UInt8(ascii: "\n") {
                    perLine.append(counts)
                    counts = [0, 0, 0, 0]
                } else {
                    switch byte {
                    case UInt8(ascii: ","): counts[0] += 1
                    case UInt8(ascii: ";"): counts[1] += 1
                    case 0x09: counts[2] += 1
                    case UInt8(ascii: "|"): counts[3] += 1
                    default: break
                    }
                }
            }
            position += 1
        }
        if counts != [0, 0, 0, 0] { perLine.append(counts) }
        var best = 0, bestScore = (0, 0)
        for slot in order.indices {
            // The most common non-zero count of this delimiter, and on how many lines it is found.
            var frequency: [Int: Int] = [:]
            for line in perLine where line[slot] > 0 { frequency[line[slot], default: 0] += 1 }
            guard let (fields, lines) = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { continue }
            if (lines, fields) > bestScore {
                bestScore = (lines, fields)
                best = slot
            }
        }
        return order[best]
    }
}

@inline(__always)
private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
