import Foundation
import TestSupport
import Testing

@testable import RessaisieIngest

/// Writes `xml` to a temporary file and returns a reader on it (the folder is removed by `done`).
private func reader(_ xml: String) throws -> (XMLStreamReader, done: () -> Void) {
    let folder = try TemporaryFolder()
    let path = try folder.write("doc.xml", bytes: Array(xml.utf8))
    return (try XMLStreamReader(path: path), { folder.remove() })
}

/// Every start element with its depth, name and attributes, every end element and text, as read.
private func events(_ xml: String) throws -> [String] {
    let (xml, done) = try reader(xml)
    defer { done() }
    var events: [String] = []
    while try xml.read() {
        switch xml.kind {
        case .startElement:
            var attributes: [String] = []
            xml.forEachAttribute { name, value in
                attributes.append(
                    String(decoding: name.bytes, as: UTF8.self) + "=" + String(decoding: value, as: UTF8.self))
            }
            let name = String(decoding: xml.localName, as: UTF8.self)
            events.append("\(xml.depth) <\(name)\(xml.isEmptyElement ? "/" : "")> " + attributes.joined(separator: " "))
        case .endElement: events.append("\(xml.depth) </>")
        case .text: events.append("\(xml.depth) '" + String(decoding: xml.text, as: UTF8.self) + "'")
        case .other: break
        }
    }
    return events
}

@Suite("XML stream reader: node-level access")
struct XMLStreamReaderTests {
    /// The expected lines are what a C loop over `xmlTextReaderMoveToNextAttribute`, `xmlTextReaderConstLocalName`
    /// and `xmlTextReaderConstValue` prints for the same document and options.
    @Test(
        "names, depths, texts and attributes as the xmlTextReader API gives them: namespace declarations first, entities expanded"
    )
    func nodes() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <root xmlns="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="r">\
            <value xsi:type="PQ" value="37,5" unit="&#176;C"/>\
            <code displayName="a &amp; b &lt;c&gt;" code=""/>\
            <text>Température <![CDATA[<ok>]]></text>\
            <empty></empty>\
            <undeclared p:type="x"/>\
            </root>
            """
        let read = try events(xml)
        #expect(
            read == [
                "0 <root> xmlns=urn:a xsi=http://www.w3.org/2001/XMLSchema-instance id=r",
                "1 <value/> type=PQ value=37,5 unit=°C",
                "1 <code/> displayName=a & b <c> code=",
                "1 <text> ",
                "2 'Température <ok>'",
                "1 </>",
                "1 <empty> ",
                "1 </>",
                "1 <undeclared/> p:type=x",
                "0 </>",
            ])
    }

    @Test("name comparisons stop at the name's end; name hashes agree with path hashes of the same names")
    func namesAndHashes() throws {
        let (xml, done) = try reader(
            "<Bundle><entry><resource><Observation><valueQuantity/><value/></Observation></resource></entry></Bundle>")
        defer { done() }
        var path = PathHash.seed
        var names: [String] = []
        while try xml.read() {
            guard xml.kind == .startElement else { continue }
            let name = String(decoding: xml.localName, as: UTF8.self)
            #expect(xml.name.equals("value") == (name == "value"))
            #expect(!xml.name.equals("valueQuantityX") && !xml.name.equals("valu"))
            // Twice: the second comes from the per-document cache.
            #expect(xml.nameHash() == PathHash.name(xml.localName))
            #expect(xml.nameHash() == PathHash.name(xml.localName))
            if name != "value" {
                path = PathHash.child(path, xml.nameHash())
                names.append(name)
            }
        }
        #expect(path == PathHash.of(names.joined(separator: "/")))
        #expect(PathHash.of("a/b") != PathHash.of("b/a"))
    }

    @Test("every canonical field has its own slot within the canonical buffer")
    func canonicalSlots() {
        let slots = CanonicalField.allCases.map(FieldBuffer.slot)
        #expect(Set(slots).count == CanonicalField.allCases.count)
        #expect(slots.allSatisfy { $0 >= 0 && $0 < FieldBuffer.canonicalSlots })
        #expect(FieldBuffer.canonicalSlots == CanonicalField.allCases.count)
    }
}
