import CLibXML2
import Foundation

/// A pull reader over libxml2's streaming `xmlTextReader`, shared by the XML formats (FHIR, CDA, mapped).
///
/// No DOM: nodes are read one at a time and the buffers it hands out are libxml2's own, valid until the
/// next `read()`. Options are the safe set: no network (`XML_PARSE_NONET`), no entity substitution, no DTD
/// loading, libxml2's default limits (no `XML_PARSE_HUGE`: depth 256, 10 MB text nodes), and every external
/// load refused by an entity loader that returns nothing. A DOCTYPE that declares entities is refused, and
/// every libxml2 error becomes `IngestError.malformedXML` with the file, line and libxml2's message.
final class XMLStreamReader {
    enum NodeKind: Equatable {
        case startElement, endElement, text, other
    }

    /// Options passed to libxml2. Never `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD` or `XML_PARSE_HUGE`.
    static let parseOptions: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOBLANKS.rawValue | XML_PARSE_NOCDATA.rawValue
            | XML_PARSE_COMPACT.rawValue | XML_PARSE_BIG_LINES.rawValue)

    let path: String
    private let reader: xmlTextReaderPtr
    private let descriptor: Int32
    private let errors: ErrorSink
    /// Size of the file in bytes.
    let byteCount: Int

    /// Kind of the current node.
    private(set) var kind: NodeKind = .other
    /// Depth of the current node (the root element is 0).
    private(set) var depth = 0
    /// True for `<empty/>`: no `endElement` follows.
    private(set) var isEmptyElement = false
    /// libxml2's current node for a start element or text, nil otherwise (valid until the next `read()`).
    private var node: xmlNodePtr?

    private static let setUp: Void = {
        xmlInitParser()
        ressaisie_xml_install_refusing_entity_loader()
    }()

    init(path: String) throws {
        _ = Self.setUp
        ressaisie_xml_silence_generic_errors()
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        byteCount = fstat(descriptor, &info) == 0 ? Int(info.st_size) : 0
        if let line = Self.entityDeclarationLine(descriptor) {
            close(descriptor)
            throw IngestError.malformedXML(path: path, line: line, reason: Self.entityRefusal)
        }
        // From the descriptor, not the path: libxml2 would transparently decompress a gzip file by name.
        guard let reader = xmlReaderForFd(descriptor, path, nil, Self.parseOptions) else {
            close(descriptor)
            throw IngestError.unreadable(path: path, reason: "libxml2 could not start reading")
        }
        self.reader = reader
        // Allocated last: nothing throws after this point, so nothing leaks.
        nameCacheKeys = .allocate(capacity: Self.nameCacheSize)
        nameCacheKeys.initialize(repeating: nil, count: Self.nameCacheSize)
        nameCacheHashes = .allocate(capacity: Self.nameCacheSize)
        errors = ErrorSink()
        xmlTextReaderSetStructuredErrorHandler(
            reader,
            { context, error in
                guard let context, let error else { return }
                Unmanaged<ErrorSink>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
            }, Unmanaged.passUnretained(errors).toOpaque())
    }

    deinit {
        nameCacheKeys.deallocate()
        nameCacheHashes.deallocate()
        xmlFreeTextReader(reader)
        close(descriptor)
    }

    /// Moves to the next node that matters (elements and text); false at the end of the document.
    /// Throws on malformed or refused XML.
    func read() throws -> Bool {
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 {
                if let error = errors.fatal { throw failure(error.line, error.message) }
                return false
            }
            guard status == 1 else {
                let error = errors.fatal ?? errors.first
                throw failure(error?.line ?? line, error?.message ?? "not well-formed XML")
            }
            if let error = errors.fatal { throw failure(error.line, error.message) }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                kind = .startElement
                node = xmlTextReaderCurrentNode(reader)
                depth = Int(xmlTextReaderDepth(reader))
                isEmptyElement = xmlTextReaderIsEmptyElement(reader) == 1
                return true
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                kind = .endElement
                node = nil
                depth = Int(xmlTextReaderDepth(reader))
                isEmptyElement = false
                return true
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue):
                kind = .text
                node = xmlTextReaderCurrentNode(reader)
                depth = Int(xmlTextReaderDepth(reader))
                return true
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
                if ressaisie_xml_doctype_declares_entities(reader) != 0 {
                    throw failure(line, Self.entityRefusal)
                }
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue), Int32(XML_READER_TYPE_ENTITY.rawValue):
                throw failure(line, "entity reference in the document; entities are refused")
            default:
                continue
            }
        }
    }

    static let entityRefusal = "the DOCTYPE declares entities; documents with entity declarations are refused"

    /// Line of an `<!ENTITY` declaration in the prolog (before the root element, within the first
    /// 64 KiB), found before libxml2 parses anything: the document is then refused without being parsed.
    /// The reader's own check of the DOCTYPE node stays as a second guard.
    private static func entityDeclarationLine(_ descriptor: Int32) -> Int? {
        // Most prologs end within 8 KiB: read more only when this one does not.
        for size in [8 << 10, 64 << 10] {
            let (line, ended, count) = withUnsafeTemporaryAllocation(byteCount: size, alignment: 16) {
                buffer -> (Int?, Bool, Int) in
                let count = pread(descriptor, buffer.baseAddress, size, 0)
                guard count > 0 else { return (nil, true, 0) }
                return scanProlog(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
            if line != nil || ended || count < size { return line }
        }
        return nil
    }

    /// The line of an entity declaration in `bytes`, whether the prolog ended within them, their count.
    private static func scanProlog(_ bytes: UnsafeRawBufferPointer) -> (Int?, Bool, Int) {
        let doctype = Array("<!DOCTYPE".utf8), entity = Array("<!ENTITY".utf8)
        var index = bytes.startIndex
        var inDoctype = false
        var line = 1
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x0A { line += 1 }
            if byte == 0x3C {
                if !inDoctype, bytes[index...].starts(with: doctype) { inDoctype = true }
                if inDoctype, bytes[index...].starts(with: entity) { return (line, true, bytes.count) }
                // The root element starts: the prolog is over.
                if index + 1 < bytes.endIndex, bytes[index + 1] != 0x3F, bytes[index + 1] != 0x21 {
                    return (nil, true, bytes.count)
                }
            }
            index += 1
        }
        return (nil, false, bytes.count)
    }

    /// Local name of the current element (valid until the next `read()`).
    var localName: UnsafeRawBufferPointer { name.bytes }

    /// Local name of the current element, NUL-terminated (valid until the next `read()`): libxml2's own
    /// `xmlNode.name`, read from the node rather than through `xmlTextReaderConstLocalName` + `strlen`.
    var name: XMLName {
        guard kind == .startElement, let node, let name = node.pointee.name else { return XMLName.empty }
        return XMLName(name)
    }

    /// `PathHash.name` of the current element's local name. Names come from the parser's dictionary, one
    /// pointer per distinct name for the whole document, so the hash is kept by pointer in a small
    /// direct-mapped cache: computed once per name, not once per element. Only pointers the document's
    /// dictionary owns are cached (a name outside it, such as `prefix:name` with an undeclared prefix, is
    /// freed with its node and its address may come back with another name).
    @inline(__always)
    func nameHash() -> UInt64 {
        let name = self.name.pointer
        // Dictionary strings are packed byte by byte: the address is mixed before it picks a slot.
        let slot = Int(truncatingIfNeeded: (UInt64(UInt(bitPattern: name)) &* 0x9E37_79B9_7F4A_7C15) >> 56)
        if nameCacheKeys[slot] == UnsafeRawPointer(name) { return nameCacheHashes[slot] }
        return uncachedNameHash(name, slot: slot)
    }

    private func uncachedNameHash(_ name: UnsafePointer<UInt8>, slot: Int) -> UInt64 {
        let hash = PathHash.name(XMLName(name).bytes)
        if let node, let document = node.pointee.doc, let dictionary = document.pointee.dict,
            xmlDictOwns(dictionary, name) == 1
        {
            nameCacheKeys[slot] = UnsafeRawPointer(name)
            nameCacheHashes[slot] = hash
        }
        return hash
    }

    /// 256 slots: `nameHash` takes a slot from the top 8 bits of the mixed address.
    private static let nameCacheSize = 256
    private let nameCacheKeys: UnsafeMutablePointer<UnsafeRawPointer?>
    private let nameCacheHashes: UnsafeMutablePointer<UInt64>

    /// Namespace URI of the current element, empty when none.
    var namespaceURI: String {
        guard let uri = xmlTextReaderConstNamespaceUri(reader) else { return "" }
        return String(cString: UnsafeRawPointer(uri).assumingMemoryBound(to: CChar.self))
    }

    /// Text of the current text node (valid until the next `read()`).
    var text: UnsafeRawBufferPointer {
        guard kind == .text, let node, let content = node.pointee.content else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return XMLName(content).bytes
    }

    /// Calls `body` with the local name and value of each attribute of the current element (namespace
    /// declarations first, their local name being the prefix or `xmlns`), as `xmlTextReaderMoveToNextAttribute`
    /// would visit them. Walks the element's `nsDef` and `properties` lists directly: a value that is one
    /// text node is read in place, any other (entity references) through the reader API, as before.
    func forEachAttribute(_ body: (_ name: XMLName, _ value: UnsafeRawBufferPointer) -> Void) {
        guard kind == .startElement, let node else { return }
        var index: Int32 = 0
        var namespace = node.pointee.nsDef
        while let declaration = namespace {
            if let href = declaration.pointee.href {
                let prefix = declaration.pointee.prefix.map(XMLName.init) ?? XMLName.xmlns
                body(prefix, XMLName(href).bytes)
            }
            namespace = declaration.pointee.next
            index += 1
        }
        var property = node.pointee.properties
        while let attribute = property {
            if let name = attribute.pointee.name {
                if let child = attribute.pointee.children, child.pointee.next == nil,
                    child.pointee.type == XML_TEXT_NODE,
                    let content = child.pointee.content
                {
                    body(XMLName(name), XMLName(content).bytes)
                } else if let value = complexAttributeValue(index) {
                    body(XMLName(name), value)
                }
            }
            property = attribute.pointee.next
            index += 1
        }
    }

    /// The value of attribute number `index` as `xmlTextReaderConstValue` gives it (entity references
    /// expanded as the reader does); a rare case, valid until the next call.
    private func complexAttributeValue(_ index: Int32) -> UnsafeRawBufferPointer? {
        defer { xmlTextReaderMoveToElement(reader) }
        guard xmlTextReaderMoveToAttributeNo(reader, index) == 1, let value = xmlTextReaderConstValue(reader) else {
            return nil
        }
        return XMLName(value).bytes
    }

    /// Line of the current node.
    var line: Int { Int(ressaisie_xml_current_line(reader)) }

    func failure(_ line: Int, _ message: String) -> IngestError {
        .malformedXML(path: path, line: line, reason: message)
    }
}

/// A NUL-terminated name or value in libxml2's memory (an element or attribute name from the parser's
/// dictionary, a text node's content), valid while the reader stays on its node. Compared and hashed
/// without measuring it first.
struct XMLName {
    let pointer: UnsafePointer<UInt8>

    @inline(__always)
    init(_ pointer: UnsafePointer<UInt8>) { self.pointer = pointer }

    // A string literal's bytes are stored NUL-terminated by the compiler, as an `XMLName` needs.
    static var empty: XMLName { XMLName(("" as StaticString).utf8Start) }
    /// The local name the reader gives a default namespace declaration.
    static var xmlns: XMLName { XMLName(("xmlns" as StaticString).utf8Start) }

    /// The bytes, without the terminating NUL.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(
            start: pointer, count: strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)))
    }

    /// True when the name is exactly `literal`: compared byte by byte, stopping at the first difference
    /// (the name's NUL differs from any byte of the literal), so a name is never read past its end.
    @inline(__always)
    func equals(_ literal: StaticString) -> Bool {
        let expected = literal.utf8Start, count = literal.utf8CodeUnitCount
        var index = 0
        while index < count {
            if pointer[index] != expected[index] { return false }
            index += 1
        }
        return pointer[count] == 0
    }
}

/// True when `name` is exactly `literal`.
@inline(__always)
func equals(_ name: XMLName, _ literal: StaticString) -> Bool { name.equals(literal) }

/// Collects libxml2's structured errors for one reader.
private final class ErrorSink {
    struct Recorded {
        var line: Int
        var message: String
    }

    private(set) var first: Recorded?
    private(set) var fatal: Recorded?

    func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        // The first line only: libxml2 appends up to 50 characters of the document after a line break in
        // some messages (an unfinished CDATA section or comment, bytes of a bad encoding), and a message
        // goes to the report's data quality and to stderr, where document content must never go.
        let full = error.message.map { String(cString: $0) } ?? ""
        var message =
            full.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first.map(String.init) ?? ""
        while message.last == " " || message.last == ":" { message.removeLast() }
        if message.isEmpty { message = "XML error \(error.code)" }
        let recorded = Recorded(line: Int(error.line), message: message)
        if first == nil { first = recorded }
        // Namespace errors (an undeclared prefix, common in hand-written fragments) are not fatal.
        if error.level.rawValue >= XML_ERR_FATAL.rawValue, fatal == nil { fatal = recorded }
    }
}
