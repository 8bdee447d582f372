import Foundation
import RessaisieCore

/// Reads an XML export: finds its format from the root element and namespace (FHIR R4, CDA R2, or a
/// mapped vendor export whose profile names the root element) and hands the stream to that reader.
public struct XMLExportReader: Sendable {
    public let pseudonymizer: Pseudonymizer
    public let options: IngestOptions

    public init(pseudonymizer: Pseudonymizer, options: IngestOptions) {
        self.pseudonymizer = pseudonymizer
        self.options = options
    }

    /// Reads `file`. Throws `IngestError.malformedXML` for XML that is not well-formed or is refused,
    /// `invalidFile` for a well-formed document of no known format.
    public func read(_ file: InputFile, onRead: ((Int) -> Void)? = nil) throws -> FileBatch {
        if let bytes = Self.emptyFileSize(file.path) {
            // Counted like an empty CSV export (`empty_file`), not as XML that is not well-formed.
            var batch = BatchBuilder(file: file, pseudonymizer: pseudonymizer, options: options)
            try batch.reject(line: 1, .emptyFile, "empty file: no XML document")
            onRead?(bytes)
            return batch.finish(bytes: bytes)
        }
        let xml = try XMLStreamReader(path: file.path)
        options.boilerplateSample?.beginRecording()
        var root = false
        while try xml.read() {
            if xml.kind == .startElement {
                root = true
                break
            }
        }
        guard root else { throw xml.failure(xml.line, "no root element: not an XML document") }
        let name = String(decoding: xml.localName, as: UTF8.self)
        let namespace = xml.namespaceURI
        let fileName =
            file.path.lastIndex(of: "/").map { String(file.path[file.path.index(after: $0)...]) } ?? file.path
        let batch = BatchBuilder(file: file, pseudonymizer: pseudonymizer, options: options)
        var result: BatchBuilder
        if let profile = options.xmlProfiles.first(where: { $0.rootElement == name }),
            namespace.isEmpty || profile.namespace == namespace
        {
            var reader = MappedXMLReader(xml: xml, batch: batch, profile: profile)
            result = try reader.read()
        } else if namespace == FHIRReader.namespace {
            try requireSystem(file)
            var reader = FHIRReader(xml: xml, batch: batch)
            result = try reader.read()
        } else if namespace == CDAReader.namespace
            || (namespace.isEmpty && (name == "ClinicalDocument" || name == "section"))
        {
            try requireSystem(file)
            var reader = CDAReader(xml: xml, batch: batch, fileName: fileName)
            result = try reader.read()
        } else {
            let shown = namespace.isEmpty ? "<\(name)>" : "<\(name)> in namespace \(namespace)"
            throw IngestError.invalidFile(
                path: file.path,
                reason:
                    "unknown XML export: root element \(shown) is neither FHIR (http://hl7.org/fhir), CDA (urn:hl7-org:v3) "
                    + "nor the root of a mapped XML profile")
        }
        options.boilerplateSample?.finishRecording(path: file.path, documentBytes: xml.byteCount)
        onRead?(xml.byteCount)
        return result.finish(bytes: xml.byteCount)
    }

    /// Assembles what the learning pass recorded of `file` (`RecordedRecords`), as `read` would from the
    /// document: the same records, lines, rejections and byte count, without parsing it again.
    func replay(_ file: InputFile, _ recorded: RecordedRecords, onRead: ((Int) -> Void)? = nil) throws -> FileBatch {
        var batch = BatchBuilder(file: file, pseudonymizer: pseudonymizer, options: options)
        for record in 0..<recorded.count { try batch.replay(recorded, record: record) }
        onRead?(recorded.documentBytes)
        defer { recorded.release() }
        return batch.finish(bytes: recorded.documentBytes)
    }

    /// The size of a file that holds nothing but white space (and a UTF-8 byte order mark); nil otherwise.
    ///
    /// Read with `read(2)`: `FileManager.contents(atPath:)` leaks a 4 KiB buffer on an empty file (found by the
    /// xml fuzz harness; Fuzz/regressions/xml).
    static func emptyFileSize(_ path: String) -> Int? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        var count = 0
        while count < bytes.count {
            let read = bytes.withUnsafeMutableBytes {
                Foundation.read(descriptor, $0.baseAddress! + count, $0.count - count)
            }
            if read < 0, errno == EINTR { continue }
            guard read > 0 else { break }
            count += read
        }
        guard count < bytes.count else { return nil }  // 4 KiB or more: not an empty file
        var content = bytes[..<count]
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content = content.dropFirst(3) }
        return content.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } ? count : nil
    }

    private func requireSystem(_ file: InputFile) throws {
        guard file.system != nil else {
            throw IngestError.invalidFile(
                path: file.path,
                reason:
                    "cannot tell which system this export comes from: put dpi, dui or sip in the file or folder name")
        }
    }
}
