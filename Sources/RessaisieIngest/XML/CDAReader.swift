import Foundation
import RessaisieCore

/// Reads one HL7 CDA R2 document (`ClinicalDocument`, namespace `urn:hl7-org:v3`; French CI-SIS or
/// HL7 C-CDA) into entries, as docs/DESIGN.md says ("Input formats"):
///
/// - the patient from `recordTarget/patientRole`: INS ids by OID (`1.2.250.1.213.1.4.8` to `.11`), the
///   first other id as the local patient id, the `family qualifier="BR"` birth name (else the first
///   family name), the given names of the first `name`, `birthTime`, `administrativeGenderCode`;
/// - every clinical statement (`observation`, `substanceAdministration`, `act`, `procedure`,
///   `encounter`, `supply`) at any depth is an entry, except containers: `organizer`s, and `act`s that
///   wrap nested statements and say nothing themselves (C-CDA concern acts, code `CONC`);
/// - `record_id` is `id/@extension`, else `id/@root`, else a stable derived id (document id, kind and
///   ordinal of the statement in the document);
/// - `recorded_at` is the nearest `author/time` (statement, enclosing statements, sections, document),
///   else the document's `effectiveTime`, else the nearest statement `effectiveTime` (fragments without
///   author); author id and profession (`assignedAuthor/code/@displayName`) from the same author;
/// - `effective_at` from `effectiveTime/@value` or `low/@value`; label from `code/@displayName`, else
///   `originalText`; for a substance administration or a supply, the drug's name first (`labelSlot`); value and
///   unit by `xsi:type`
///   (`PQ` value and unit, and a substance administration's `doseQuantity` likewise; `CD`/`CE`/`CV`/
///   `CO`/`CS` display name or code, `ST`/`ED` text, others `@value`);
///   text from the statement's `text`; category from the section (its LOINC code, else its `templateId`),
///   else the statement's own vital-sign code, else the section's title, else the statement kind
///   (`CDASectionCategories`).
///
/// A fragment whose root is a `section` (no header) is read too: its statements have no recordTarget, so
/// they are given the file's name as local patient id.
struct CDAReader {
    static let namespace = "urn:hl7-org:v3"

    private let xml: XMLStreamReader
    private var batch: BatchBuilder
    private let fileName: String

    init(xml: XMLStreamReader, batch: BatchBuilder, fileName: String) {
        self.xml = xml
        self.batch = batch
        self.fileName = fileName
        output = FieldBuffer(slots: FieldBuffer.canonicalSlots, limit: batch.recordLimit)
    }

    // MARK: Gathered values

    /// Slots of a frame's `FieldBuffer`.
    private enum Slot {
        static let recordID = 0, idRoot = 1, label = 2, labelCode = 3, originalText = 4, text = 5, effective = 6
        static let effectiveLow = 7, valueAttribute = 8, unit = 9, valueType = 10, valueDisplay = 11, valueCode = 12
        static let valueText = 13, authorTime = 14, authorID = 15, authorRoot = 16, profession = 17, material = 18
        static let sectionCode = 19
        // Drug names other than the material code's display name (`material`); a section's title.
        static let materialText = 20, materialTranslation = 21, materialName = 22, title = 23
        // Document only.
        static let documentID = 24, documentEffective = 25, patientID = 26, ins = 27, birthName = 28
        static let givenNames = 29, firstFamily = 30, birthDate = 31, sex = 32, familyQualifier = 33
        static let count = 34
    }

    private enum FrameKind: Equatable {
        case document, section, statement(StatementKind)
    }

    private enum StatementKind: String, CaseIterable {
        case observation, substanceAdministration, act, procedure, encounter, supply, organizer

        /// Position in `allCases`.
        var ordinal: Int {
            switch self {
            case .observation: 0
            case .substanceAdministration: 1
            case .act: 2
            case .procedure: 3
            case .encounter: 4
            case .supply: 5
            case .organizer: 6
            }
        }
    }

    private struct Frame {
        var kind: FrameKind = .document
        var depth = 0
        var line = 0
        var ordinal = 0
        var nestedStatements = 0
        /// Index in `categoryNames` of a section's category by its code, -1 when its code is not known.
        var category = -1
        /// Likewise by its template ids, and by its title.
        var templateCategory = -1, titleCategory = -1
        var fields: FieldBuffer

        init(limit: Int) { fields = FieldBuffer(slots: Slot.count, limit: limit) }
    }

    /// What to do with an element found at a path relative to its frame.
    private enum Rule {
        case id, code, originalText, text, effectiveTime, effectiveLow, value, authorTime, authorID, profession
        case material, materialText, materialTranslation, materialName, doseQuantity, sectionCode, sectionTemplate
        case sectionTitle, documentID, documentEffective
        case patientID, patientName, given, family, sex, birthTime
    }

    private static let physicalQuantity: [UInt8] = Array("PQ".utf8)

    private static let statementRules: PathTable<Rule> = rules([
        "id": .id, "code": .code, "code/originalText": .originalText, "text": .text, "effectiveTime": .effectiveTime,
        "effectiveTime/low": .effectiveLow, "value": .value, "author/time": .authorTime,
        "author/assignedAuthor/id": .authorID, "author/assignedAuthor/code": .profession,
        "consumable/manufacturedProduct/manufacturedMaterial/code": .material,
        "consumable/manufacturedProduct/manufacturedMaterial/code/originalText": .materialText,
        "consumable/manufacturedProduct/manufacturedMaterial/code/translation": .materialTranslation,
        "consumable/manufacturedProduct/manufacturedMaterial/name": .materialName,
        // A supply's product (C-CDA medication supply order).
        "product/manufacturedProduct/manufacturedMaterial/code": .material,
        "product/manufacturedProduct/manufacturedMaterial/code/originalText": .materialText,
        "product/manufacturedProduct/manufacturedMaterial/code/translation": .materialTranslation,
        "product/manufacturedProduct/manufacturedMaterial/name": .materialName,
        "doseQuantity": .doseQuantity,
    ])
    private static let sectionRules: PathTable<Rule> = rules([
        "code": .sectionCode, "templateId": .sectionTemplate, "title": .sectionTitle,
        "author/time": .authorTime, "author/assignedAuthor/id": .authorID,
        "author/assignedAuthor/code": .profession,
    ])
    private static let documentRules: PathTable<Rule> = rules([
        "id": .documentID, "effectiveTime": .documentEffective, "author/time": .authorTime,
        "author/assignedAuthor/id": .authorID, "author/assignedAuthor/code": .profession,
        "recordTarget/patientRole/id": .patientID, "recordTarget/patientRole/patient/name": .patientName,
        "recordTarget/patientRole/patient/name/given": .given, "recordTarget/patientRole/patient/name/family": .family,
        "recordTarget/patientRole/patient/administrativeGenderCode": .sex,
        "recordTarget/patientRole/patient/birthTime": .birthTime,
    ])

    private static func rules(_ table: [String: Rule]) -> PathTable<Rule> {
        PathTable(Dictionary(uniqueKeysWithValues: table.map { (PathHash.of($0.key), $0.value) }))
    }

    /// Category names as bytes, indexed by frames.
    private static let categoryNames: [[UInt8]] = Array(
        Set(CDASectionCategories.sectionCodes.values)
            .union(CDASectionCategories.templateIDs.values).union(CDASectionCategories.titlePhrases.map(\.category))
            .union(["vital_sign"])
            .union(
                [StatementKind.observation, .substanceAdministration, .act, .procedure, .encounter, .supply].map {
                    defaultCategory($0)
                })
    )
    .sorted().map { Array($0.utf8) }

    /// Section codes, section template ids and vital-sign statement codes (`CDASectionCategories`), each with
    /// the index in `categoryNames` of its category, found by the hash of their bytes.
    private static let sectionCodes = CategoryTable(CDASectionCategories.sectionCodes, names: categoryNames)
    private static let templateIDs = CategoryTable(CDASectionCategories.templateIDs, names: categoryNames)
    private static let vitalSignCodes = CategoryTable(
        Dictionary(uniqueKeysWithValues: CDASectionCategories.vitalSignCodes.map { ($0, "vital_sign") }),
        names: categoryNames)

    /// A read-only table from short byte strings (codes, OIDs) to an index in `categoryNames`: one look-up by
    /// the bytes' hash (`PathHash.name`), the bytes compared after it.
    private struct CategoryTable {
        private let keys: [[UInt8]]
        private let categories: [Int]
        private let index: PathTable<Int>

        init(_ table: [String: String], names: [[UInt8]]) {
            let sorted = table.sorted { $0.key < $1.key }
            keys = sorted.map { Array($0.key.utf8) }
            categories = sorted.map { names.firstIndex(of: Array($0.value.utf8))! }
            index = PathTable(
                Dictionary(
                    uniqueKeysWithValues: keys.enumerated().map { position, key in
                        (key.withUnsafeBytes { PathHash.name($0) }, position)
                    }))
        }

        /// The category index of `key`, -1 when it is not in the table.
        func category(_ key: UnsafeRawBufferPointer) -> Int {
            guard let position = index[PathHash.name(key)], keys[position].elementsEqual(key) else { return -1 }
            return categories[position]
        }
    }

    /// The index in `categoryNames` of a section title's category, -1 when no phrase of it is known.
    private static func titleCategory(_ title: UnsafeRawBufferPointer) -> Int {
        guard let name = CDASectionCategories.category(ofFoldedTitle: CDASectionCategories.foldedTitle(title)) else {
            return -1
        }
        return categoryNames.firstIndex(of: Array(name.utf8)) ?? -1
    }

    /// Index in `categoryNames` of each statement kind's default category, in `StatementKind.allCases` order.
    private static let defaultCategoryIndex: [Int] = {
        // `ordinal` is written by hand for speed: a case added out of order stops here, not in a wrong category.
        precondition(StatementKind.allCases.enumerated().allSatisfy { $0.offset == $0.element.ordinal })
        return StatementKind.allCases.map { categoryNames.firstIndex(of: Array(defaultCategory($0).utf8))! }
    }()

    private static let insRoots: Set<String> = [
        "1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9", "1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11",
    ]

    // MARK: State

    // The rule tables, held here so that the per-element look-up does not go through a lazy global.
    private let statementRules = Self.statementRules
    private let sectionRules = Self.sectionRules
    private let documentRules = Self.documentRules
    private let categoryNames = Self.categoryNames
    private let defaultCategoryIndex = Self.defaultCategoryIndex
    private let sectionCodes = Self.sectionCodes
    private let templateIDs = Self.templateIDs
    private let vitalSignCodes = Self.vitalSignCodes

    private var frames: [Frame] = []
    private var top = -1
    /// Path hash of each open element relative to its frame, by depth (+1: index 0 is above the root).
    private var hashes: [UInt64] = [PathHash.seed]
    private var statementCount = 0
    /// Text being captured: slot of the frame `textFrame`, from the element at `textDepth`.
    private var textSlot = -1, textFrame = -1, textDepth = -1
    private var patientNames = 0
    private var output: FieldBuffer

    // MARK: Reading

    /// Reads the document whose root element the reader is on.
    mutating func read() throws -> BatchBuilder {
        // The document frame (a fragment gets one too, above its root).
        pushFrame(.document, depth: -1, line: 1)
        try element(starting: true)
        if xml.isEmptyElement { try element(starting: false) }
        while try xml.read() {
            switch xml.kind {
            case .startElement:
                try element(starting: true)
                if xml.isEmptyElement { try element(starting: false) }
            case .endElement:
                try element(starting: false)
            case .text:
                if textSlot >= 0 { frames[textFrame].fields.append(textSlot, xml.text, separator: 0x20) }
            case .other:
                break
            }
        }
        return batch
    }

    private mutating func pushFrame(_ kind: FrameKind, depth: Int, line: Int) {
        top += 1
        if top == frames.count { frames.append(Frame(limit: batch.recordLimit)) }
        frames[top].kind = kind
        frames[top].depth = depth
        frames[top].line = line
        frames[top].nestedStatements = 0
        frames[top].category = -1
        frames[top].templateCategory = -1
        frames[top].titleCategory = -1
        frames[top].fields.reset()
    }

    private mutating func element(starting: Bool) throws {
        let depth = xml.depth
        if !starting {
            if textDepth == depth {
                if textSlot == Slot.title {
                    frames[textFrame].titleCategory = Self.titleCategory(frames[textFrame].fields.value(Slot.title))
                }
                textSlot = -1
                textFrame = -1
                textDepth = -1
            }
            if top > 0, frames[top].depth == depth {
                if case .statement(let kind) = frames[top].kind { try finishStatement(kind) }
                top -= 1
            }
            return
        }
        let name = xml.name
        while hashes.count <= depth + 1 { hashes.append(0) }
        if let kind = Self.frameKind(name), top >= 0 {
            if case .statement = kind {
                statementCount += 1
                if case .statement = frames[top].kind { frames[top].nestedStatements += 1 }
            }
            pushFrame(kind, depth: depth, line: xml.line)
            frames[top].ordinal = statementCount
            hashes[depth + 1] = PathHash.seed
            return
        }
        if depth == 0 {
            // The root of a full document: the document frame starts here.
            frames[0].depth = 0
            hashes[1] = PathHash.seed
            return
        }
        let hash = PathHash.child(hashes[depth], xml.nameHash())
        hashes[depth + 1] = hash
        let rule: Rule?
        switch frames[top].kind {
        case .document: rule = documentRules[hash]
        case .section: rule = sectionRules[hash]
        case .statement: rule = statementRules[hash]
        }
        guard let rule else { return }
        apply(rule, depth: depth)
    }

    /// The frame an element opens, by its name: dispatched on the first byte, so that most elements
    /// (`id`, `code`, `value`…) are ruled out by one comparison.
    private static func frameKind(_ name: XMLName) -> FrameKind? {
        switch name.pointer.pointee {
        case UInt8(ascii: "a"): equals(name, "act") ? .statement(.act) : nil
        case UInt8(ascii: "s"):
            equals(name, "section")
                ? .section
                : equals(name, "supply")
                    ? .statement(.supply)
                    : equals(name, "substanceAdministration") ? .statement(.substanceAdministration) : nil
        case UInt8(ascii: "p"): equals(name, "procedure") ? .statement(.procedure) : nil
        case UInt8(ascii: "e"): equals(name, "encounter") ? .statement(.encounter) : nil
        case UInt8(ascii: "o"):
            equals(name, "observation")
                ? .statement(.observation) : equals(name, "organizer") ? .statement(.organizer) : nil
        default: nil
        }
    }

    private mutating func captureText(into slot: Int, depth: Int) {
        textSlot = slot
        textFrame = top
        textDepth = depth
    }

    private mutating func apply(_ rule: Rule, depth: Int) {
        let frame = top
        // Buffers share their storage: this writes into the frame's own (and `document` below into the
        // document's, taken only by the patient's rules).
        var fields = frames[frame].fields
        switch rule {
        case .id, .documentID:
            guard !fields.has(Slot.recordID), !fields.has(Slot.idRoot) else { return }
            xml.forEachAttribute { name, value in
                if equals(name, "extension") { fields.set(Slot.recordID, value) }
                if equals(name, "root") { fields.set(Slot.idRoot, value) }
            }
        case .code:
            guard !fields.has(Slot.labelCode), !fields.has(Slot.label) else { return }
            xml.forEachAttribute { name, value in
                if equals(name, "displayName") { fields.set(Slot.label, value) }
                if equals(name, "code") { fields.set(Slot.labelCode, value) }
            }
        case .originalText:
            captureText(into: Slot.originalText, depth: depth)
        case .text:
            captureText(into: Slot.text, depth: depth)
        case .effectiveTime, .documentEffective:
            let slot = rule == .effectiveTime ? Slot.effective : Slot.documentEffective
            xml.forEachAttribute { name, value in
                if equals(name, "value") { fields.setFirst(slot, value) }
            }
        case .effectiveLow:
            xml.forEachAttribute { name, value in
                if equals(name, "value") { fields.setFirst(Slot.effectiveLow, value) }
            }
        case .value:
            guard !fields.has(Slot.valueType) else { return }
            var typed = false
            xml.forEachAttribute { name, value in
                if equals(name, "type") || equals(name, "xsi:type") {
                    fields.set(Slot.valueType, value)
                    typed = true
                } else if equals(name, "value") {
                    fields.set(Slot.valueAttribute, value)
                } else if equals(name, "unit") {
                    fields.set(Slot.unit, value)
                } else if equals(name, "code") {
                    fields.set(Slot.valueCode, value)
                } else if equals(name, "displayName") {
                    fields.set(Slot.valueDisplay, value)
                }
            }
            if !typed { fields.set(Slot.valueType, UnsafeRawBufferPointer(start: nil, count: 0)) }
            captureText(into: Slot.valueText, depth: depth)
        case .authorTime:
            xml.forEachAttribute { name, value in
                if equals(name, "value") { fields.setFirst(Slot.authorTime, value) }
            }
        case .authorID:
            guard !fields.has(Slot.authorID), !fields.has(Slot.authorRoot) else { return }
            xml.forEachAttribute { name, value in
                if equals(name, "extension") { fields.set(Slot.authorID, value) }
                if equals(name, "root") { fields.set(Slot.authorRoot, value) }
            }
        case .profession:
            xml.forEachAttribute { name, value in
                if equals(name, "displayName") { fields.setFirst(Slot.profession, value) }
            }
        case .doseQuantity:
            // A substance administration's dose is its value (a PQ), unless a `value` says otherwise.
            guard !fields.has(Slot.valueType) else { return }
            Self.physicalQuantity.withUnsafeBytes { fields.set(Slot.valueType, $0) }
            xml.forEachAttribute { name, value in
                if equals(name, "value") { fields.set(Slot.valueAttribute, value) }
                if equals(name, "unit") { fields.set(Slot.unit, value) }
            }
        case .material, .materialText, .materialTranslation, .materialName:
            applyMaterialRule(rule, fields: &fields, depth: depth)
        case .sectionCode, .sectionTemplate, .sectionTitle:
            applySectionRule(rule, frame: frame, depth: depth)
        case .patientID, .patientName, .given, .family, .sex, .birthTime:
            applyPatientRule(rule, depth: depth)
        }
    }

    /// A drug's material (substance administrations and supplies): its code's name, text, translation or name.
    private mutating func applyMaterialRule(_ rule: Rule, fields: inout FieldBuffer, depth: Int) {
        switch rule {
        case .material:
            xml.forEachAttribute { name, value in
                if equals(name, "displayName") { fields.setFirst(Slot.material, value) }
            }
        case .materialText:
            if !fields.has(Slot.materialText) { captureText(into: Slot.materialText, depth: depth) }
        case .materialTranslation:
            xml.forEachAttribute { name, value in
                if equals(name, "displayName") { fields.setFirst(Slot.materialTranslation, value) }
            }
        case .materialName:
            if !fields.has(Slot.materialName) { captureText(into: Slot.materialName, depth: depth) }
        default: break
        }
    }

    /// A section's code, template id or title: what tells the category of its statements.
    private mutating func applySectionRule(_ rule: Rule, frame: Int, depth: Int) {
        switch rule {
        case .sectionCode:
            guard frames[frame].category < 0 else { return }
            xml.forEachAttribute { name, value in
                if equals(name, "code") {
                    let category = sectionCodes.category(value)
                    if category >= 0 { frames[frame].category = category }
                }
            }
        case .sectionTemplate:
            guard frames[frame].templateCategory < 0 else { return }
            xml.forEachAttribute { name, value in
                if equals(name, "root") {
                    let category = templateIDs.category(value)
                    if category >= 0 { frames[frame].templateCategory = category }
                }
            }
        case .sectionTitle:
            if !frames[frame].fields.has(Slot.title) { captureText(into: Slot.title, depth: depth) }
        default: break
        }
    }

    /// The patient's ids (INS or local), names, sex and birth time, written into the document's fields.
    private mutating func applyPatientRule(_ rule: Rule, depth: Int) {
        switch rule {
        case .patientID:
            var document = frames[0].fields
            var root: [UInt8] = [], extensionValue: [UInt8] = []
            xml.forEachAttribute { name, value in
                if equals(name, "root") { root = Array(value) }
                if equals(name, "extension") { extensionValue = Array(value) }
            }
            if Self.insRoots.contains(String(decoding: root, as: UTF8.self)) {
                if !extensionValue.isEmpty { extensionValue.withUnsafeBytes { document.setFirst(Slot.ins, $0) } }
            } else {
                let id = extensionValue.isEmpty ? root : extensionValue
                id.withUnsafeBytes { document.setFirst(Slot.patientID, $0) }
            }
        case .patientName:
            patientNames += 1
        case .given:
            if patientNames == 1 { captureText(into: Slot.givenNames, depth: depth) }
        case .family:
            let document = frames[0].fields
            var birth = false
            xml.forEachAttribute { name, value in
                if equals(name, "qualifier") {
                    birth = value.split(separator: 0x20).contains { $0.elementsEqual("BR".utf8) }
                }
            }
            if birth && !document.has(Slot.birthName) {
                captureText(into: Slot.birthName, depth: depth)
            } else if !document.has(Slot.firstFamily) {
                captureText(into: Slot.firstFamily, depth: depth)
            }
        case .sex:
            var document = frames[0].fields
            xml.forEachAttribute { name, value in
                if equals(name, "code") { document.setFirst(Slot.sex, value) }
            }
        case .birthTime:
            var document = frames[0].fields
            xml.forEachAttribute { name, value in
                if equals(name, "value") { document.setFirst(Slot.birthDate, value) }
            }
        default: break
        }
    }

    // MARK: Entries

    private mutating func finishStatement(_ kind: StatementKind) throws {
        let fields = frames[top].fields
        if kind == .organizer { return }
        if kind == .act, frames[top].nestedStatements > 0 {
            let saysNothing =
                !fields.has(Slot.label) && !fields.has(Slot.originalText) && !fields.has(Slot.valueType)
                && !fields.has(Slot.text)
            if saysNothing || fields.equals(Slot.labelCode, "CONC") { return }
        }
        typealias Out = FieldBuffer.Slots
        output.reset()
        let document = frames[0].fields

        // Record id.
        if fields.has(Slot.recordID) {
            output.copy(Out.recordID, from: fields, Slot.recordID)
        } else if fields.has(Slot.idRoot) {
            output.copy(Out.recordID, from: fields, Slot.idRoot)
        } else {
            let documentKey =
                document.has(Slot.recordID)
                ? document.string(Slot.recordID)
                : document.has(Slot.idRoot) ? document.string(Slot.idRoot) : fileName
            output.set(Out.recordID, "\(documentKey)/\(kind.rawValue)#\(frames[top].ordinal)")
        }

        // Patient.
        if document.has(Slot.patientID) {
            output.copy(Out.patientID, from: document, Slot.patientID)
        } else if document.has(Slot.ins) {
            output.copy(Out.patientID, from: document, Slot.ins)
        } else {
            output.set(Out.patientID, fileName)
        }
        output.copy(Out.ins, from: document, Slot.ins)
        output.copy(Out.birthName, from: document, document.has(Slot.birthName) ? Slot.birthName : Slot.firstFamily)
        output.copy(Out.givenNames, from: document, Slot.givenNames)
        output.copy(Out.sex, from: document, Slot.sex)
        if document.has(Slot.birthDate) { setTime(Out.birthDate, from: document, Slot.birthDate, dateOnly: true) }

        setRecordedTimeAndAuthor(fields, document: document)
        categoryNames[category(of: kind, fields: fields)].withUnsafeBytes { output.set(Out.category, $0) }
        setContent(fields, kind: kind)
        try batch.add(output, line: frames[top].line)
    }

    /// The statement's typing time and author: the nearest frame with an author (its time), else the
    /// document's effective time, else the nearest effective time; the author of the nearest frame that has
    /// one; and the statement's own effective time.
    private mutating func setRecordedTimeAndAuthor(_ fields: FieldBuffer, document: FieldBuffer) {
        typealias Out = FieldBuffer.Slots
        var authorFrame = -1
        for index in stride(from: top, through: 0, by: -1) where frames[index].fields.has(Slot.authorTime) {
            authorFrame = index
            break
        }
        if authorFrame >= 0 {
            setTime(Out.recordedAt, from: frames[authorFrame].fields, Slot.authorTime)
        } else if document.has(Slot.documentEffective) {
            setTime(Out.recordedAt, from: document, Slot.documentEffective)
        } else {
            for index in stride(from: top, through: 1, by: -1) {
                let frame = frames[index].fields
                if frame.has(Slot.effective) || frame.has(Slot.effectiveLow) {
                    setTime(Out.recordedAt, from: frame, frame.has(Slot.effective) ? Slot.effective : Slot.effectiveLow)
                    if output.has(Out.recordedAt) { break }
                }
            }
        }
        if authorFrame < 0 {
            for index in stride(from: top, through: 0, by: -1)
            where frames[index].fields.has(Slot.authorID) || frames[index].fields.has(Slot.authorRoot) {
                authorFrame = index
                break
            }
        }
        if authorFrame >= 0 {
            let author = frames[authorFrame].fields
            output.copy(Out.authorID, from: author, author.has(Slot.authorID) ? Slot.authorID : Slot.authorRoot)
            output.copy(Out.profession, from: author, Slot.profession)
        }
        if fields.has(Slot.effective) {
            setTime(Out.effectiveAt, from: fields, Slot.effective)
        }
        if !output.has(Out.effectiveAt), fields.has(Slot.effectiveLow) {
            setTime(Out.effectiveAt, from: fields, Slot.effectiveLow)
        }
    }

    /// The statement's category (`CDASectionCategories`): the nearest section that says one, by its code,
    /// else its template ids; a vital-sign code of the statement's own comes before a title; else the
    /// statement's kind.
    private func category(of kind: StatementKind, fields: FieldBuffer) -> Int {
        var category = -1, titleCategory = -1
        for index in stride(from: top - 1, through: 0, by: -1) where frames[index].kind == .section {
            let frame = frames[index]
            if frame.category >= 0 {
                category = frame.category
                break
            }
            if frame.templateCategory >= 0 {
                category = frame.templateCategory
                break
            }
            if frame.titleCategory >= 0 {
                titleCategory = frame.titleCategory
                break
            }
        }
        if category < 0, kind == .observation, fields.has(Slot.labelCode) {
            category = vitalSignCodes.category(fields.value(Slot.labelCode))
        }
        if category < 0 { category = titleCategory }
        if category < 0 { category = defaultCategoryIndex[kind.ordinal] }
        return category
    }

    /// The statement's label, value (as its type says: a quantity and its unit, a code's name, text) and text.
    private mutating func setContent(_ fields: FieldBuffer, kind: StatementKind) {
        typealias Out = FieldBuffer.Slots
        output.copy(Out.label, from: fields, labelSlot(fields, kind: kind))
        if fields.has(Slot.valueType) || fields.has(Slot.valueAttribute) || fields.has(Slot.valueText) {
            let type = fields.string(Slot.valueType)
            switch type {
            case "PQ", "IVL_PQ":
                output.copy(Out.value, from: fields, Slot.valueAttribute)
                output.copy(Out.unit, from: fields, Slot.unit)
            case "CD", "CE", "CV", "CO", "CS":
                output.copy(Out.value, from: fields, fields.has(Slot.valueDisplay) ? Slot.valueDisplay : Slot.valueCode)
            case "ST", "ED", "SC":
                output.copy(Out.value, from: fields, Slot.valueText)
            default:
                output.copy(
                    Out.value, from: fields, fields.has(Slot.valueAttribute) ? Slot.valueAttribute : Slot.valueText)
                output.copy(Out.unit, from: fields, Slot.unit)
            }
        }
        output.copy(Out.text, from: fields, Slot.text)
    }

    /// The slot of a statement's label: the drug's name for a substance administration or a supply (the
    /// material code's `displayName`, else its `originalText` text, else a `translation`'s `displayName`,
    /// else the material's `name`), else, and for other statements, the statement code's `displayName`,
    /// else its `originalText` text. (An `originalText` that only references the narrative gives no text.)
    private func labelSlot(_ fields: FieldBuffer, kind: StatementKind) -> Int {
        if kind == .substanceAdministration || kind == .supply {
            if fields.has(Slot.material) { return Slot.material }
            if fields.has(Slot.materialText) { return Slot.materialText }
            if fields.has(Slot.materialTranslation) { return Slot.materialTranslation }
            if fields.has(Slot.materialName) { return Slot.materialName }
        }
        return fields.has(Slot.label) ? Slot.label : Slot.originalText
    }

    private static func defaultCategory(_ kind: StatementKind) -> String {
        switch kind {
        case .substanceAdministration, .supply: "medication"
        case .encounter: "appointment"
        case .procedure: "activity"
        case .act: "note"
        case .observation, .organizer: "observation"
        }
    }

    /// Writes the ISO form of an HL7 time into `slot` of the output (nothing when it is not a full date).
    private mutating func setTime(_ slot: Int, from fields: FieldBuffer, _ source: Int, dateOnly: Bool = false) {
        let value = fields.value(source)
        HL7Time.withISO(dateOnly ? UnsafeRawBufferPointer(rebasing: value.prefix(8)) : value) { iso in
            if let iso { output.set(slot, iso) }
        }
    }
}
