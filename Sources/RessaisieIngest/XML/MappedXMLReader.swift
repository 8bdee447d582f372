import RessaisieCore

/// How to read a vendor's flat XML export (`<export><saisie>…</saisie></export>`): the root element that
/// identifies it, the element of one record, and where each canonical field sits in a record.
public struct MappedXMLProfile: Sendable, Equatable {
    /// How dates are written.
    public enum DateFormat: String, Sendable {
        /// ISO 8601 (`2026-03-04T08:05:00+01:00`, `2026-03-04 08:05`).
        case iso
        /// French day first: `04/03/2026`, `04/03/2026 08:05`, `04/03/2026 08:05:30`.
        case dayMonthYear = "dd/MM/yyyy"
    }

    /// Local name of the root element, by which files are recognized.
    public var rootElement: String
    /// Namespace of the root element, empty for none.
    public var namespace: String
    /// Local name of the element holding one record, at any depth.
    public var recordElement: String
    /// Path of each field relative to the record element: `child`, `child/grandchild` (text), `child/@attr`
    /// or `@attr` (an attribute of the record element).
    public var fields: [CanonicalField: String]
    /// Fixed values for fields the export does not carry (for instance `system = DUI`).
    public var constants: [CanonicalField: String]
    public var dateFormat: DateFormat

    public init(
        rootElement: String, namespace: String = "", recordElement: String, fields: [CanonicalField: String],
        constants: [CanonicalField: String] = [:], dateFormat: DateFormat = .iso
    ) {
        self.rootElement = rootElement
        self.namespace = namespace
        self.recordElement = recordElement
        self.fields = fields
        self.constants = constants
        self.dateFormat = dateFormat
    }
}

/// Reads the records of a mapped XML export with its profile.
struct MappedXMLReader {
    private struct Rule {
        var slot: Int
        /// Attribute name, or empty for the element's text.
        var attribute: [UInt8]
    }

    private let xml: XMLStreamReader
    private var batch: BatchBuilder
    private let profile: MappedXMLProfile
    private let recordName: [UInt8]
    private var rules: [UInt64: [Rule]] = [:]
    private var output: FieldBuffer
    private var hashes: [UInt64] = []
    private var recordDepth = -1, recordLine = 0
    private var textSlots: [(slot: Int, depth: Int)] = []
    private var scratch: [UInt8] = []

    init(xml: XMLStreamReader, batch: BatchBuilder, profile: MappedXMLProfile) {
        self.xml = xml
        self.batch = batch
        self.profile = profile
        output = FieldBuffer(slots: FieldBuffer.canonicalSlots, limit: batch.recordLimit)
        recordName = Array(profile.recordElement.utf8)
        for (field, path) in profile.fields {
            var components = path.split(separator: "/").map(String.init)
            var attribute: [UInt8] = []
            if let last = components.last, last.hasPrefix("@") {
                attribute = Array(last.dropFirst().utf8)
                components.removeLast()
            }
            let hash = PathHash.of(components.joined(separator: "/"))
            rules[hash, default: []].append(Rule(slot: FieldBuffer.slot(field), attribute: attribute))
        }
    }

    mutating func read() throws -> BatchBuilder {
        try start()
        if xml.isEmptyElement { try end() }
        while try xml.read() {
            switch xml.kind {
            case .startElement:
                try start()
                if xml.isEmptyElement { try end() }
            case .endElement:
                try end()
            case .text:
                for capture in textSlots where xml.depth > capture.depth {
                    output.append(capture.slot, xml.text, separator: 0x20)
                }
            case .other:
                break
            }
        }
        return batch
    }

    private mutating func start() throws {
        let depth = xml.depth
        while hashes.count <= depth { hashes.append(0) }
        let hash: UInt64
        if recordDepth < 0 {
            guard xml.localName.elementsEqual(recordName) else { return }
            recordDepth = depth
            recordLine = xml.line
            output.reset()
            hash = PathHash.seed
        } else {
            hash = PathHash.child(hashes[depth - 1], xml.nameHash())
        }
        hashes[depth] = hash
        guard let matching = rules[hash] else { return }
        for rule in matching {
            if rule.attribute.isEmpty {
                textSlots.append((rule.slot, depth))
            } else {
                let wanted = rule.attribute
                xml.forEachAttribute { name, value in
                    if name.bytes.elementsEqual(wanted) { output.set(rule.slot, value) }
                }
            }
        }
    }

    private mutating func end() throws {
        let depth = xml.depth
        while let last = textSlots.last, last.depth == depth { textSlots.removeLast() }
        guard depth == recordDepth else { return }
        recordDepth = -1
        for (field, value) in profile.constants where !output.has(FieldBuffer.slot(field)) {
            output.set(FieldBuffer.slot(field), value)
        }
        if profile.dateFormat == .dayMonthYear {
            for field in [CanonicalField.recordedAt, .effectiveAt, .birthDate] { rewriteDate(FieldBuffer.slot(field)) }
        }
        try batch.add(output, line: recordLine)
    }

    /// `04/03/2026 08:05` → `2026-03-04 08:05`; left as it is when it is not day-first.
    private mutating func rewriteDate(_ slot: Int) {
        guard output.has(slot) else { return }
        scratch.removeAll(keepingCapacity: true)
        let rewritten = output.withValue(slot) { bytes -> Bool in
            var start = 0
            while start < bytes.count, bytes[start] == 0x20 { start += 1 }
            let value = UnsafeRawBufferPointer(rebasing: bytes[start...])
            guard value.count >= 10, value[2] == 0x2F, value[5] == 0x2F else { return false }
            scratch.append(contentsOf: value[6..<10])
            scratch.append(0x2D)
            scratch.append(contentsOf: value[3..<5])
            scratch.append(0x2D)
            scratch.append(contentsOf: value[0..<2])
            scratch.append(contentsOf: value[10...])
            return true
        }
        if rewritten { scratch.withUnsafeBytes { output.set(slot, $0) } }
    }
}
