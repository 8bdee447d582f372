import Foundation
import RessaisieCore

/// Reads a FHIR R4 XML export (namespace `http://hl7.org/fhir`): a `Bundle` or a single resource.
///
/// As docs/DESIGN.md says ("Input formats"): `Patient` gives the identity (INS by `urn:oid:1.2.250.1.213.1.4.8` to `.11`, the
/// first other identifier as local patient id, else the resource id; the `official` name, else the first,
/// as birth name and given names; `birthDate`; `gender`). `Practitioner` (first identifier, else id, as
/// author; `qualification.code` as profession) and `PractitionerRole` (`practitioner`, `code` as profession)
/// resolve `performer`/`recorder`/`sender`… references. `Observation`, `MedicationStatement`,
/// `MedicationAdministration`, `MedicationRequest`, `AllergyIntolerance`, `Condition`, `Appointment`,
/// `Communication` and `CarePlan` are entries: `record_id` is `Resource.id`, `recorded_at` the resource's
/// own record time (`issued`, `recordedDate`, `dateAsserted`, `authoredOn`, `sent`, `created`), else
/// `meta.lastUpdated`.
///
/// References may point to resources further down the bundle, so resources are gathered while the file
/// streams and entries are assembled, in document order, when it ends. A reference resolves by
/// `Type/id` (relative or absolute URL) or by the entry's `fullUrl` (`urn:uuid:…`); a local reference
/// `#id` resolves to a resource in `contained` of the resource that makes it (contained resources are
/// never entries and are not found from elsewhere); an unresolved subject keeps the referenced id as
/// local patient id.
///
/// A medication's label is its `medicationCodeableConcept` (`text`, else the first `coding.display`), else
/// the Medication its `medicationReference` points to (`#id` in `contained`, or in the bundle: `code.text`,
/// else `code.coding.display`), else the reference's `display`.
///
/// An Observation with no `value[x]` of its own and `component`s (a blood pressure panel: systolic,
/// diastolic) is one entry whose value is the components' values in document order joined by `/`
/// (`120/80`) with their unit when they share one (`mm[Hg]`), as it would be typed in a form; when
/// their units differ, each value carries its unit (`98 %/60 mm[Hg]`) and the entry has no unit.
struct FHIRReader {
    static let namespace = "http://hl7.org/fhir"

    private enum ResourceType: String, CaseIterable {
        case patient = "Patient", practitioner = "Practitioner", practitionerRole = "PractitionerRole"
        case observation = "Observation", medicationStatement = "MedicationStatement"
        case medicationAdministration = "MedicationAdministration", medicationRequest = "MedicationRequest"
        case allergyIntolerance = "AllergyIntolerance", condition = "Condition", appointment = "Appointment"
        case communication = "Communication", carePlan = "CarePlan", medication = "Medication"

        var category: String {
            switch self {
            case .observation: "observation"
            case .medicationStatement, .medicationAdministration, .medicationRequest: "medication"
            case .allergyIntolerance: "allergy"
            case .condition: "diagnosis"
            case .appointment: "appointment"
            case .communication: "note"
            case .carePlan: "care_plan"
            case .patient, .practitioner, .practitionerRole, .medication: ""
            }
        }

        var isEntry: Bool { !category.isEmpty }
    }

    private enum Slot {
        static let id = 0, lastUpdated = 1, recorded = 2, effective = 3, subject = 4, author = 5, participants = 6
        static let labelText = 7, labelDisplay = 8, value = 9, unit = 10, text = 11, vitalSign = 12, fullUrl = 13
        static let ins = 14, localID = 15, birthName = 16, givenNames = 17, birthDate = 18, sex = 19
        static let identifierSystem = 20, identifierValue = 21, nameUse = 22, nameFamily = 23, nameGiven = 24
        static let officialName = 25, profession = 26, practitioner = 27, authorIdentifier = 28, unitCode = 29
        // Observation components: the one being read, then all of them.
        static let componentValue = 30, componentUnit = 31, componentUnitCode = 32, componentValues = 33
        static let componentPairs = 34, componentUnit0 = 35, componentUnitsDiffer = 36
        // A medication given by reference: the reference, and its display.
        static let medicationReference = 37, medicationDisplay = 38
        static let count = 39
    }

    private enum Rule {
        case set(Int), setFirst(Int), append(Int), vitalSign
        case identifier, identifierSystem, identifierValue, name, nameUse, family, given, component
    }

    private struct Resource {
        var type: ResourceType
        var line: Int
        var fields: FieldBuffer
        /// Ordinal of the top-level resource this one is or is contained in: the scope of `#id` references.
        var owner: Int
        var isContained = false
    }

    /// A resource whose reading a contained resource interrupts.
    private struct OpenResource {
        var resource: Resource?
        var depth: Int
        var containedDepth: Int
        var pendingEnds: [(depth: Int, rule: Rule)]
    }

    private static let rulesByPath: PathTable<Rule> = {
        var table: [String: Rule] = [:]
        for type in ResourceType.allCases {
            let t = type.rawValue
            table["\(t)/id"] = .set(Slot.id)
            table["\(t)/meta/lastUpdated"] = .set(Slot.lastUpdated)
            table["\(t)/identifier"] = .identifier
            table["\(t)/identifier/system"] = .identifierSystem
            table["\(t)/identifier/value"] = .identifierValue
            if type == .medicationStatement || type == .medicationAdministration || type == .medicationRequest {
                table["\(t)/medicationReference/reference"] = .set(Slot.medicationReference)
                table["\(t)/medicationReference/display"] = .set(Slot.medicationDisplay)
            }
            if type.isEntry {
                table["\(t)/subject/reference"] = .set(Slot.subject)
                table["\(t)/patient/reference"] = .set(Slot.subject)
                table["\(t)/note/text"] = .append(Slot.text)
            }
        }
        let specific: [String: Rule] = [
            // Patient.
            "Patient/name": .name, "Patient/name/use": .nameUse, "Patient/name/family": .family,
            "Patient/name/given": .given, "Patient/gender": .set(Slot.sex), "Patient/birthDate": .set(Slot.birthDate),
            // Practitioner and role.
            "Practitioner/qualification/code/text": .set(Slot.profession),
            "Practitioner/qualification/code/coding/display": .setFirst(Slot.profession),
            "PractitionerRole/practitioner/reference": .set(Slot.practitioner),
            "PractitionerRole/code/text": .set(Slot.profession),
            "PractitionerRole/code/coding/display": .setFirst(Slot.profession),
            // Observation.
            "Observation/issued": .set(Slot.recorded), "Observation/effectiveDateTime": .set(Slot.effective),
            "Observation/effectiveInstant": .set(Slot.effective),
            "Observation/effectivePeriod/start": .set(Slot.effective),
            "Observation/performer/reference": .setFirst(Slot.author), "Observation/category/coding/code": .vitalSign,
            "Observation/code/text": .set(Slot.labelText),
            "Observation/code/coding/display": .setFirst(Slot.labelDisplay),
            "Observation/valueQuantity/value": .set(Slot.value), "Observation/valueQuantity/unit": .set(Slot.unit),
            "Observation/valueQuantity/code": .set(Slot.unitCode), "Observation/valueString": .set(Slot.value),
            "Observation/valueInteger": .set(Slot.value), "Observation/valueBoolean": .set(Slot.value),
            "Observation/valueDateTime": .set(Slot.value),
            "Observation/valueCodeableConcept/text": .set(Slot.value),
            "Observation/valueCodeableConcept/coding/display": .setFirst(Slot.value),
            "Observation/component": .component,
            "Observation/component/valueQuantity/value": .set(Slot.componentValue),
            "Observation/component/valueQuantity/unit": .set(Slot.componentUnit),
            "Observation/component/valueQuantity/code": .set(Slot.componentUnitCode),
            "Observation/component/valueString": .set(Slot.componentValue),
            "Observation/component/valueInteger": .set(Slot.componentValue),
            "Observation/component/valueCodeableConcept/text": .set(Slot.componentValue),
            "Observation/component/valueCodeableConcept/coding/display": .setFirst(Slot.componentValue),
            // Medications.
            "MedicationStatement/dateAsserted": .set(Slot.recorded),
            "MedicationStatement/effectiveDateTime": .set(Slot.effective),
            "MedicationStatement/effectivePeriod/start": .set(Slot.effective),
            "MedicationStatement/informationSource/reference": .set(Slot.author),
            "MedicationStatement/medicationCodeableConcept/text": .set(Slot.labelText),
            "MedicationStatement/medicationCodeableConcept/coding/display": .setFirst(Slot.labelDisplay),
            "MedicationStatement/dosage/text": .append(Slot.text),
            "MedicationAdministration/effectiveDateTime": .set(Slot.effective),
            "MedicationAdministration/effectivePeriod/start": .set(Slot.effective),
            "MedicationAdministration/performer/actor/reference": .setFirst(Slot.author),
            "MedicationAdministration/medicationCodeableConcept/text": .set(Slot.labelText),
            "MedicationAdministration/medicationCodeableConcept/coding/display": .setFirst(Slot.labelDisplay),
            "MedicationAdministration/dosage/text": .append(Slot.text),
            "MedicationAdministration/dosage/dose/value": .set(Slot.value),
            "MedicationAdministration/dosage/dose/unit": .set(Slot.unit),
            "MedicationRequest/authoredOn": .set(Slot.recorded),
            "MedicationRequest/requester/reference": .set(Slot.author),
            "MedicationRequest/medicationCodeableConcept/text": .set(Slot.labelText),
            "MedicationRequest/medicationCodeableConcept/coding/display": .setFirst(Slot.labelDisplay),
            "MedicationRequest/dosageInstruction/text": .append(Slot.text),
            // A Medication (contained, or in the bundle) that a medicationReference points to.
            "Medication/code/text": .set(Slot.labelText),
            "Medication/code/coding/display": .setFirst(Slot.labelDisplay),
            // Allergies and conditions.
            "AllergyIntolerance/recordedDate": .set(Slot.recorded),
            "AllergyIntolerance/onsetDateTime": .set(Slot.effective),
            "AllergyIntolerance/recorder/reference": .set(Slot.author),
            "AllergyIntolerance/code/text": .set(Slot.labelText),
            "AllergyIntolerance/code/coding/display": .setFirst(Slot.labelDisplay),
            "Condition/recordedDate": .set(Slot.recorded), "Condition/onsetDateTime": .set(Slot.effective),
            "Condition/recorder/reference": .set(Slot.author), "Condition/code/text": .set(Slot.labelText),
            "Condition/code/coding/display": .setFirst(Slot.labelDisplay),
            // Appointments, communications, care plans.
            "Appointment/created": .set(Slot.recorded), "Appointment/start": .set(Slot.effective),
            "Appointment/participant/actor/reference": .append(Slot.participants),
            "Appointment/serviceType/text": .set(Slot.labelText),
            "Appointment/serviceType/coding/display": .setFirst(Slot.labelDisplay),
            "Appointment/description": .append(Slot.text),
            "Communication/sent": .set(Slot.recorded), "Communication/sender/reference": .set(Slot.author),
            "Communication/payload/contentString": .append(Slot.text),
            "Communication/topic/text": .set(Slot.labelText),
            "CarePlan/created": .set(Slot.recorded), "CarePlan/period/start": .set(Slot.effective),
            "CarePlan/author/reference": .set(Slot.author), "CarePlan/title": .set(Slot.labelText),
            "CarePlan/description": .append(Slot.text),
        ]
        table.merge(specific) { _, new in new }
        return PathTable(Dictionary(uniqueKeysWithValues: table.map { (PathHash.of($0.key), $0.value) }))
    }()

    private static let typeSeeds: PathTable<ResourceType> = PathTable(
        Dictionary(
            uniqueKeysWithValues: ResourceType.allCases.map { (PathHash.of($0.rawValue), $0) }))

    private static let insSystems: Set<String> = [
        "urn:oid:1.2.250.1.213.1.4.8", "urn:oid:1.2.250.1.213.1.4.9", "urn:oid:1.2.250.1.213.1.4.10",
        "urn:oid:1.2.250.1.213.1.4.11",
    ]

    private let xml: XMLStreamReader
    private var batch: BatchBuilder
    private let rulesByPath = Self.rulesByPath
    private let typeSeeds = Self.typeSeeds

    private var resources: [Resource] = []
    private var current: Resource?
    private var resourceDepth = -1
    /// Depth of the current resource's `contained` element being read, -1 outside one.
    private var containedDepth = -1
    private var outer: [OpenResource] = []
    private var topLevelCount = 0
    private var fullUrl: [UInt8] = []
    private var hashes: [UInt64] = []
    private var pendingEnds: [(depth: Int, rule: Rule)] = []
    private var output: FieldBuffer

    init(xml: XMLStreamReader, batch: BatchBuilder) {
        self.xml = xml
        self.batch = batch
        output = FieldBuffer(slots: FieldBuffer.canonicalSlots, limit: batch.recordLimit)
    }

    mutating func read() throws -> BatchBuilder {
        let rootIsBundle = equals(xml.name, "Bundle")
        if !rootIsBundle { start(depth: 0, resource: true) }
        while try xml.read() {
            switch xml.kind {
            case .startElement:
                let depth = xml.depth
                if rootIsBundle {
                    // Bundle/entry/fullUrl and Bundle/entry/resource/<Resource>.
                    if depth == 2, equals(xml.name, "fullUrl") {
                        xml.forEachAttribute { name, value in if equals(name, "value") { fullUrl = Array(value) } }
                    }
                    if depth == 1 { fullUrl.removeAll(keepingCapacity: true) }
                    start(depth: depth, resource: depth == 3)
                } else {
                    start(depth: depth, resource: false)
                }
                if xml.isEmptyElement { end(depth: depth) }
            case .endElement:
                end(depth: xml.depth)
            case .text, .other:
                break
            }
        }
        try assemble()
        return batch
    }

    private mutating func start(depth: Int, resource: Bool) {
        while hashes.count <= depth { hashes.append(0) }
        if resource {
            let seed = PathHash.child(PathHash.seed, xml.nameHash())
            hashes[depth] = seed
            guard let type = typeSeeds[seed] else {
                current = nil
                return
            }
            var fields = FieldBuffer(slots: Slot.count, limit: batch.recordLimit)
            if !fullUrl.isEmpty { fullUrl.withUnsafeBytes { fields.set(Slot.fullUrl, $0) } }
            current = Resource(type: type, line: xml.line, fields: fields, owner: topLevelCount)
            topLevelCount += 1
            resourceDepth = depth
            return
        }
        // Most elements match no rule: the current resource's buffer is only taken (retained) for those that do.
        guard current != nil, depth > resourceDepth else { return }
        let name = xml.name
        if depth == resourceDepth + 1, equals(name, "contained") {
            containedDepth = depth
            return
        }
        if containedDepth >= 0, depth == containedDepth + 1 {
            startContained(depth: depth, owner: current!.owner)
            return
        }
        let hash = PathHash.child(hashes[depth - 1], xml.nameHash())
        hashes[depth] = hash
        guard let rule = rulesByPath[hash] else { return }
        // Buffers share their storage: this writes into the current resource's own.
        var fields = current!.fields
        switch rule {
        case .identifier:
            fields.clear(Slot.identifierSystem)
            fields.clear(Slot.identifierValue)
            pendingEnds.append((depth, rule))
            return
        case .name:
            fields.clear(Slot.nameUse)
            fields.clear(Slot.nameFamily)
            fields.clear(Slot.nameGiven)
            pendingEnds.append((depth, rule))
            return
        case .component:
            fields.clear(Slot.componentValue)
            fields.clear(Slot.componentUnit)
            fields.clear(Slot.componentUnitCode)
            pendingEnds.append((depth, rule))
            return
        default:
            break
        }
        xml.forEachAttribute { name, value in
            guard equals(name, "value") else { return }
            switch rule {
            case .set(let slot): fields.set(slot, value)
            case .setFirst(let slot): fields.setFirst(slot, value)
            case .append(let slot): fields.append(slot, value, separator: slot == Slot.participants ? 0x1F : 0x20)
            case .vitalSign:
                if equals(value, "vital-signs") { fields.set(Slot.vitalSign, "vital_sign") }
            case .identifierSystem: fields.set(Slot.identifierSystem, value)
            case .identifierValue: fields.set(Slot.identifierValue, value)
            case .nameUse: fields.set(Slot.nameUse, value)
            case .family: fields.append(Slot.nameFamily, value, separator: 0x20)
            case .given: fields.append(Slot.nameGiven, value, separator: 0x20)
            case .identifier, .name, .component: break
            }
        }
    }

    /// A resource in `contained` starts: the current one is set aside until it ends.
    private mutating func startContained(depth: Int, owner: Int) {
        outer.append(
            OpenResource(
                resource: current, depth: resourceDepth, containedDepth: containedDepth, pendingEnds: pendingEnds))
        pendingEnds.removeAll()
        containedDepth = -1
        resourceDepth = depth
        let seed = PathHash.child(PathHash.seed, xml.nameHash())
        hashes[depth] = seed
        guard let type = typeSeeds[seed] else {
            current = nil
            return
        }
        current = Resource(
            type: type, line: xml.line, fields: FieldBuffer(slots: Slot.count, limit: batch.recordLimit), owner: owner,
            isContained: true)
    }

    private mutating func end(depth: Int) {
        if depth == resourceDepth {
            if let resource = current { resources.append(resource) }
            if let open = outer.popLast() {
                current = open.resource
                resourceDepth = open.depth
                containedDepth = open.containedDepth
                pendingEnds = open.pendingEnds
            } else {
                current = nil
                resourceDepth = -1
                containedDepth = -1
                pendingEnds.removeAll()
            }
            return
        }
        guard current != nil else { return }
        if depth == containedDepth {
            containedDepth = -1
            return
        }
        guard let last = pendingEnds.last, last.depth == depth else { return }
        pendingEnds.removeLast()
        // Buffers share their storage: this writes into the current resource's own.
        var fields = current!.fields
        switch last.rule {
        case .identifier where fields.has(Slot.identifierValue):
            if Self.insSystems.contains(fields.string(Slot.identifierSystem)) {
                if !fields.has(Slot.ins) { fields.copy(Slot.ins, from: fields, Slot.identifierValue) }
            } else if !fields.has(Slot.localID) {
                fields.copy(Slot.localID, from: fields, Slot.identifierValue)
            }
        case .name:
            let official = fields.equals(Slot.nameUse, "official")
            if (official && !fields.has(Slot.officialName)) || !fields.has(Slot.birthName) {
                fields.copy(Slot.birthName, from: fields, Slot.nameFamily)
                fields.copy(Slot.givenNames, from: fields, Slot.nameGiven)
                if official { fields.set(Slot.officialName, "1") }
            }
        case .component where fields.has(Slot.componentValue):
            let unit = fields.has(Slot.componentUnit) ? Slot.componentUnit : Slot.componentUnitCode
            if !fields.has(Slot.componentValues) {
                fields.copy(Slot.componentUnit0, from: fields, unit)
            } else if fields.value(unit).elementsEqual(fields.value(Slot.componentUnit0)) == false {
                fields.set(Slot.componentUnitsDiffer, "1")
            }
            fields.append(Slot.componentValues, fromSlot: Slot.componentValue, separator: 0x2F)
            fields.append(Slot.componentPairs, fromSlot: Slot.componentValue, separator: 0x2F)
            fields.append(Slot.componentPairs, fromSlot: unit, separator: 0x20)
        default:
            break
        }
    }

    // MARK: Assembly

    private var index: [UInt64: Int] = [:]

    private mutating func assemble() throws {
        for (position, resource) in resources.enumerated() where !resource.type.isEntry {
            if resource.isContained {
                if resource.fields.has(Slot.id) {
                    index[Self.localKey("#" + resource.fields.string(Slot.id), owner: resource.owner)] = position
                }
                continue
            }
            if resource.fields.has(Slot.id) {
                let key = "\(resource.type.rawValue)/\(resource.fields.string(Slot.id))"
                index[Array(key.utf8).withUnsafeBytes { StableHasher.hash($0) }] = position
            }
            if resource.fields.has(Slot.fullUrl) { index[resource.fields.hash(Slot.fullUrl)] = position }
        }
        typealias Out = FieldBuffer.Slots
        for resource in resources where resource.type.isEntry && !resource.isContained {
            let fields = resource.fields
            output.reset()
            output.copy(Out.recordID, from: fields, Slot.id)
            output.copy(Out.recordedAt, from: fields, fields.has(Slot.recorded) ? Slot.recorded : Slot.lastUpdated)
            if fields.withValue(Slot.effective, { ISOTimeParser.parse($0) != nil }) {
                output.copy(Out.effectiveAt, from: fields, Slot.effective)
            }
            output.set(Out.category, fields.has(Slot.vitalSign) ? "vital_sign" : resource.type.category)
            if fields.has(Slot.labelText) || fields.has(Slot.labelDisplay) {
                output.copy(Out.label, from: fields, fields.has(Slot.labelText) ? Slot.labelText : Slot.labelDisplay)
            } else {
                setMedicationLabel(fields, owner: resource.owner)
            }
            if !fields.has(Slot.value), fields.has(Slot.componentValues) {
                if fields.has(Slot.componentUnitsDiffer) {
                    output.copy(Out.value, from: fields, Slot.componentPairs)
                } else {
                    output.copy(Out.value, from: fields, Slot.componentValues)
                    output.copy(Out.unit, from: fields, Slot.componentUnit0)
                }
            } else {
                output.copy(Out.value, from: fields, Slot.value)
                output.copy(Out.unit, from: fields, fields.has(Slot.unit) ? Slot.unit : Slot.unitCode)
            }
            output.copy(Out.text, from: fields, Slot.text)

            // References point into the resources' buffers, which do not change any more.
            var subject = fields.value(Slot.subject), author = fields.value(Slot.author)
            if resource.type == .appointment {
                for reference in fields.value(Slot.participants).split(separator: 0x1F) {
                    let reference = UnsafeRawBufferPointer(rebasing: reference)
                    let target = resolve(reference, owner: resource.owner).map { resources[$0].type }
                    let isPatient = target == .patient || (target == nil && reference.starts(with: "Patient/".utf8))
                    if isPatient, subject.isEmpty { subject = reference }
                    if !isPatient, author.isEmpty { author = reference }
                }
            }
            setPatient(subject, owner: resource.owner)
            setAuthor(author, owner: resource.owner)
            try batch.add(output, line: resource.line)
        }
    }

    /// The label of a medication given by `medicationReference`: the code of the Medication it points to
    /// (contained, or in the bundle: `code.text`, else the first `code.coding.display`), else the reference's
    /// `display`. (A `medicationCodeableConcept`'s `text`, else its first `coding.display`, comes before.)
    private mutating func setMedicationLabel(_ fields: FieldBuffer, owner: Int) {
        typealias Out = FieldBuffer.Slots
        if fields.has(Slot.medicationReference),
            let position = resolve(fields.value(Slot.medicationReference), owner: owner),
            resources[position].type == .medication
        {
            let medication = resources[position].fields
            if medication.has(Slot.labelText) || medication.has(Slot.labelDisplay) {
                output.copy(
                    Out.label, from: medication, medication.has(Slot.labelText) ? Slot.labelText : Slot.labelDisplay)
                return
            }
        }
        output.copy(Out.label, from: fields, Slot.medicationDisplay)
    }

    private mutating func setPatient(_ reference: UnsafeRawBufferPointer, owner: Int) {
        typealias Out = FieldBuffer.Slots
        guard !reference.isEmpty else { return }
        guard let position = resolve(reference, owner: owner), resources[position].type == .patient else {
            output.set(Out.patientID, Self.referencedID(reference))
            return
        }
        let patient = resources[position].fields
        output.copy(Out.patientID, from: patient, patient.has(Slot.localID) ? Slot.localID : Slot.id)
        output.copy(Out.ins, from: patient, Slot.ins)
        output.copy(Out.birthName, from: patient, Slot.birthName)
        output.copy(Out.givenNames, from: patient, Slot.givenNames)
        output.copy(Out.birthDate, from: patient, Slot.birthDate)
        output.copy(Out.sex, from: patient, Slot.sex)
    }

    private mutating func setAuthor(_ reference: UnsafeRawBufferPointer, owner: Int) {
        typealias Out = FieldBuffer.Slots
        guard !reference.isEmpty else { return }
        var target = resolve(reference, owner: owner)
        if let role = target, resources[role].type == .practitionerRole {
            let roleFields = resources[role].fields
            output.copy(Out.profession, from: roleFields, Slot.profession)
            target = resolve(roleFields.value(Slot.practitioner), owner: owner)
            if target == nil || resources[target!].type != .practitioner {
                output.set(Out.authorID, Self.referencedID(roleFields.value(Slot.practitioner)))
                return
            }
        }
        guard let position = target, resources[position].type == .practitioner else {
            output.set(Out.authorID, Self.referencedID(reference))
            return
        }
        let practitioner = resources[position].fields
        output.copy(Out.authorID, from: practitioner, practitioner.has(Slot.localID) ? Slot.localID : Slot.id)
        if !output.has(Out.profession) { output.copy(Out.profession, from: practitioner, Slot.profession) }
    }

    /// The resource a reference points to: `#id` among the resources contained in `owner`; else by the
    /// whole reference (`fullUrl`, `Type/id`), else by its last two segments (`http://…/Patient/p1`,
    /// `Patient/p1/_history/2`).
    private func resolve(_ reference: UnsafeRawBufferPointer, owner: Int) -> Int? {
        guard !reference.isEmpty else { return nil }
        if reference[0] == UInt8(ascii: "#") { return index[Self.localKey(reference, owner: owner)] }
        if let position = index[StableHasher.hash(reference)] { return position }
        var parts = reference.split(separator: 0x2F, omittingEmptySubsequences: true)
        if parts.count >= 4, parts[parts.count - 2].elementsEqual("_history".utf8) { parts.removeLast(2) }
        guard parts.count >= 2 else { return nil }
        var key = Array(parts[parts.count - 2])
        key.append(0x2F)
        key.append(contentsOf: parts[parts.count - 1])
        return index[key.withUnsafeBytes { StableHasher.hash($0) }]
    }

    /// Index key of a local reference (`#id`) within the top-level resource `owner`.
    private static func localKey(_ reference: UnsafeRawBufferPointer, owner: Int) -> UInt64 {
        StableHasher.hash(reference, seed: 0x9E37_79B9_7F4A_7C15 &* UInt64(owner + 1))
    }

    private static func localKey(_ reference: String, owner: Int) -> UInt64 {
        var reference = reference
        return reference.withUTF8 { localKey(UnsafeRawBufferPointer($0), owner: owner) }
    }

    /// The id part of a reference: what follows its last `/` (or `:` for `urn:uuid:`).
    private static func referencedID(_ reference: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = reference.count
        while start > 0, reference[start - 1] != 0x2F, reference[start - 1] != 0x3A { start -= 1 }
        return start == reference.count ? reference : UnsafeRawBufferPointer(rebasing: reference[start...])
    }
}
