import Foundation
import RessaisieCore

/// Writes one system of a site in its export format. Record ids are assigned beforehand
/// (`SynthEntry.recordID`) and written exactly where the readers take them from.
struct ExportWriter {
    let site: SynthSite
    let systemIndex: Int
    /// Entries of this system, in record-id order.
    let entries: [SynthEntry]
    let siteNumber: Int

    var system: SiteSystem { site.systems[systemIndex] }

    func identity(_ entry: SynthEntry) -> LocalIdentity { site.identities[entry.person][systemIndex]! }

    /// Whether the system writes recorded times as a date only (`--habits random`).
    var dateOnly: Bool { site.habits?.systems[systemIndex].dateOnly ?? false }

    /// The recorded time as ISO 8601: a date only for a system with that habit, else to the second.
    func recordedISO(_ entry: SynthEntry) -> String {
        dateOnly ? ExportText.isoDay(entry.recordedAt) : ExportText.iso(entry.recordedAt, second: entry.recordedSecond)
    }

    /// The recorded time as an HL7 TS.
    func recordedHL7(_ entry: SynthEntry) -> String {
        dateOnly ? ExportText.hl7Day(entry.recordedAt) : ExportText.hl7(entry.recordedAt, second: entry.recordedSecond)
    }

    /// Files to write: paths relative to the site folder, and bytes.
    func files() -> [(String, [UInt8])] {
        switch system.format {
        case .canonicalCSV: [("\(system.system.fileStem).csv", Array(canonicalCSV().utf8))]
        case .vendorCSV: vendorCSV()
        case .fhir: fhirBundles()
        case .cda: cdaDocuments()
        }
    }

    // MARK: Canonical CSV

    static let canonicalColumns = [
        "record_id", "patient_id", "ins", "birth_name", "given_names", "birth_date", "sex", "recorded_at",
        "effective_at",
        "author_id", "profession", "category", "label", "value", "unit", "text",
    ]

    /// Canonical CSV; a system no file name says (`Excel`, `Cahier de transmissions`) in a `system` column, as a
    /// spreadsheet or a typed-up log would.
    func canonicalCSV() -> String {
        let systemColumn = !system.system.isNamedByFiles
        var text = ((systemColumn ? ["system"] : []) + Self.canonicalColumns).joined(separator: ",") + "\n"
        text.reserveCapacity(entries.count * 200)
        for entry in entries {
            let who = identity(entry)
            let author = site.authors[entry.author]
            let fields =
                (systemColumn ? [system.system.rawValue] : []) + [
                    entry.recordID, who.patientID, who.ins ?? "", who.birthName, who.givenNames,
                    ExportText.isoDate(who.birthDate),
                    who.sex, recordedISO(entry), entry.effectiveAt.map { ExportText.iso($0) } ?? "", author.id,
                    author.profession.rawValue, entry.category.rawValue, entry.content.label, entry.content.value,
                    entry.content.unit, entry.content.text,
                ]
            text += CSVField.line(fields)
            text += "\n"
        }
        return text
    }

    // MARK: Vendor CSV (Windows-1252, ';', French dates, decimal comma) and its profile

    static let vendorColumns = [
        "N° saisie", "N° dossier", "Matricule INS", "Nom de naissance", "Prénom", "Né(e) le", "Sexe", "Date saisie",
        "Heure saisie", "Date soin", "Heure soin", "Saisi par", "Fonction", "Type", "Libellé", "Valeur", "Unité",
        "Observation",
    ]

    static func vendorType(_ category: Category) -> String {
        switch category {
        case .vitalSign: "Constante"
        case .note: "Transmission"
        case .medication: "Administration"
        case .allergy: "Allergie"
        case .diagnosis: "Antécédent"
        case .appointment: "Rendez-vous"
        case .carePlan: "Projet de soins"
        case .administrative: "Administratif"
        case .activity: "Animation"
        }
    }

    var vendorStem: String { "\(system.system.fileStem)-export" }

    func vendorCSV() -> [(String, [UInt8])] {
        var out = "Export \(system.system.rawValue) — \(site.name)\r\n"
        out += "Période : du 05/01/2026 au 31/03/2026;;;\r\n"
        out += CSVField.line(Self.vendorColumns, delimiter: 0x3B) + "\r\n"
        out.reserveCapacity(entries.count * 180)
        for entry in entries {
            let who = identity(entry)
            let author = site.authors[entry.author]
            let value = entry.content.value.replacingOccurrences(of: ".", with: ",")
            let fields = [
                entry.recordID, who.patientID, who.ins ?? "", who.birthName, who.givenNames,
                ExportText.frenchDate(who.birthDate),
                who.sex == "M" ? "H" : "F", ExportText.frenchDate(entry.recordedAt),
                ExportText.frenchTime(entry.recordedAt),
                entry.effectiveAt.map { ExportText.frenchDate($0) } ?? "",
                entry.effectiveAt.map(ExportText.frenchTime) ?? "",
                author.id, author.profession.vendorWord, Self.vendorType(entry.category), entry.content.label, value,
                entry.content.unit, entry.content.text,
            ]
            out += CSVField.line(fields, delimiter: 0x3B)
            out += "\r\n"
        }
        return [
            ("\(vendorStem).csv", ExportText.windows1252(out)),
            ("\(vendorStem).profile.toml", Array(vendorProfile().utf8)),
        ]
    }

    func vendorProfile() -> String {
        """
        # ressaisie profile: how to read this export as canonical entries (README, "Profiles").
        # Written by ressaisie synth beside the synthetic vendor export it describes.
        format = "ressaisie.profile/1"
        name = "Synthetic French vendor export (\(system.system.rawValue), \(site.name))"
        files = ["\(vendorStem)*.csv"]
        system = "\(system.system.rawValue)"
        site = ""
        encoding = "windows-1252"
        delimiter = ";"
        quote = "\\""
        header_line = 3
        time_zone = "Europe/Paris"

        \(FrenchVendorExport.fieldsTable(patientColumn: "N° dossier"))

        [values.profession]
        "AS" = "aide-soignant"
        "Cadre" = "cadre de santé"
        "Kiné" = "kinésithérapeute"

        [values.category]
        "Animation" = "activity"
        "Antécédent" = "diagnosis"

        """
    }

    // MARK: FHIR R4 bundles

    var folder: String { "\(system.system.fileStem)-\(system.format == .fhir ? "fhir" : "cda")" }

    /// Entries grouped by person (persons in order).
    func byPerson(_ entries: [SynthEntry]) -> [[SynthEntry]] {
        var groups: [[SynthEntry]] = Array(repeating: [], count: site.persons.count)
        for entry in entries { groups[entry.person].append(entry) }
        return groups.filter { !$0.isEmpty }
    }

    func patientID(_ entry: SynthEntry) -> String { "pat-" + identity(entry).patientID }

    /// Persons in chunks, one bundle a chunk; statements republished (`--habits random`) come again in
    /// bundles of their own after the others.
    func fhirBundles() -> [(String, [UInt8])] {
        var files: [(String, [UInt8])] = []
        fhirBundles(of: byPerson(entries.filter { $0.copy != .republished }), into: &files)
        fhirBundles(of: byPerson(entries.filter { $0.copy == .republished }), into: &files)
        return files
    }

    func fhirBundles(of persons: [[SynthEntry]], into files: inout [(String, [UInt8])]) {
        let chunk = 40
        var start = 0
        while start < persons.count {
            let group = persons[start..<min(persons.count, start + chunk)]
            let number = files.count + 1
            var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Bundle xmlns=\"http://hl7.org/fhir\">\n"
            out += "  <id value=\"\(site.name)-\(folder)-\(number)\"/>\n  <type value=\"collection\"/>\n"
            var authors: [Int] = []
            for personEntries in group {
                out += fhirPatient(personEntries[0])
                authors += personEntries.map(\.author)
            }
            for author in Array(Set(authors)).sorted() { out += fhirPractitioner(author) }
            for entry in group.joined().sorted(by: { ($0.recordedAt, $0.recordID) < ($1.recordedAt, $1.recordID) }) {
                out += "  <entry>\n    <resource>\n" + fhirResource(entry) + "    </resource>\n  </entry>\n"
            }
            out += "</Bundle>\n"
            files.append(("\(folder)/bundle-\(ExportText.padded(number, 5)).xml", Array(out.utf8)))
            start += chunk
        }
    }

    func fhirPatient(_ entry: SynthEntry) -> String {
        let who = identity(entry)
        var out =
            "  <entry>\n    <fullUrl value=\"urn:synth:\(site.name):\(system.system.rawValue):\(who.patientID)\"/>\n"
        out += "    <resource>\n      <Patient>\n        <id value=\"\(patientID(entry))\"/>\n"
        out +=
            "        <identifier><system value=\"urn:oid:1.2.250.1.999.\(siteNumber + 1).\(systemIndex + 1)\"/><value value=\"\(who.patientID)\"/></identifier>\n"
        if let ins = who.ins {
            out +=
                "        <identifier><system value=\"urn:oid:1.2.250.1.213.1.4.8\"/><value value=\"\(ins)\"/></identifier>\n"
        }
        out += "        <name><use value=\"official\"/><family value=\"\(ExportText.xml(who.birthName))\"/>"
        for given in who.givenNames.split(separator: " ") {
            out += "<given value=\"\(ExportText.xml(String(given)))\"/>"
        }
        out += "</name>\n"
        out += "        <gender value=\"\(who.sex == "M" ? "male" : "female")\"/>\n"
        out +=
            "        <birthDate value=\"\(ExportText.isoDate(who.birthDate))\"/>\n      </Patient>\n    </resource>\n  </entry>\n"
        return out
    }

    func fhirPractitioner(_ index: Int) -> String {
        let author = site.authors[index]
        return "  <entry>\n    <resource>\n      <Practitioner>\n        <id value=\"prac-\(author.id)\"/>\n"
            + "        <identifier><system value=\"urn:oid:1.2.250.1.71.4.2.1\"/><value value=\"\(author.id)\"/></identifier>\n"
            + "        <qualification><code><text value=\"\(author.profession.displayName)\"/></code></qualification>\n"
            + "      </Practitioner>\n    </resource>\n  </entry>\n"
    }

    func fhirResource(_ entry: SynthEntry) -> String {
        let c = entry.content
        let x = ExportText.xml
        let subject = "<subject><reference value=\"Patient/\(patientID(entry))\"/></subject>"
        let author = "Practitioner/prac-\(site.authors[entry.author].id)"
        let recorded = recordedISO(entry)
        let effective = entry.effectiveAt.map { ExportText.iso($0) }
        var lines: [String]
        switch entry.category {
        case .vitalSign:
            let vital = SynthVocabulary.vitals[c.vital ?? 0]
            lines = [
                "<Observation>", "<id value=\"\(entry.recordID)\"/>", "<status value=\"final\"/>",
                "<category><coding><system value=\"http://terminology.hl7.org/CodeSystem/observation-category\"/><code value=\"vital-signs\"/></coding></category>",
                "<code><coding><system value=\"http://loinc.org\"/><code value=\"\(vital.loinc)\"/></coding><text value=\"\(x(c.label))\"/></code>",
                subject,
            ]
            if let effective { lines.append("<effectiveDateTime value=\"\(effective)\"/>") }
            lines.append("<issued value=\"\(recorded)\"/>")
            lines.append("<performer><reference value=\"\(author)\"/></performer>")
            if c.value.contains("/") {
                lines.append("<valueString value=\"\(x(c.value))\"/>")
            } else {
                lines.append(
                    "<valueQuantity><value value=\"\(x(c.value))\"/>"
                        + (c.unit.isEmpty ? "" : "<unit value=\"\(x(c.unit))\"/>") + "</valueQuantity>")
            }
            lines.append("</Observation>")
        case .note:
            lines = [
                "<Communication>", "<id value=\"\(entry.recordID)\"/>", "<status value=\"completed\"/>", subject,
                "<topic><text value=\"\(x(c.label))\"/></topic>", "<sent value=\"\(recorded)\"/>",
                "<sender><reference value=\"\(author)\"/></sender>",
                "<payload><contentString value=\"\(x(c.text))\"/></payload>", "</Communication>",
            ]
        case .medication:
            lines = [
                "<MedicationAdministration>", "<id value=\"\(entry.recordID)\"/>",
                "<meta><lastUpdated value=\"\(recorded)\"/></meta>",
                "<status value=\"completed\"/>",
                "<medicationCodeableConcept><text value=\"\(x(c.label))\"/></medicationCodeableConcept>",
                subject,
            ]
            if let effective { lines.append("<effectiveDateTime value=\"\(effective)\"/>") }
            lines.append("<performer><actor><reference value=\"\(author)\"/></actor></performer>")
            lines.append(
                "<dosage><text value=\"\(x(c.text))\"/><dose><value value=\"\(x(c.value))\"/><unit value=\"\(x(c.unit))\"/></dose></dosage>"
            )
            lines.append("</MedicationAdministration>")
        case .allergy:
            lines = [
                "<AllergyIntolerance>", "<id value=\"\(entry.recordID)\"/>",
                "<code><text value=\"\(x(c.label))\"/></code>",
                "<patient><reference value=\"Patient/\(patientID(entry))\"/></patient>",
                "<recordedDate value=\"\(recorded)\"/>",
                "<recorder><reference value=\"\(author)\"/></recorder>", "<note><text value=\"\(x(c.text))\"/></note>",
                "</AllergyIntolerance>",
            ]
        case .diagnosis:
            lines = [
                "<Condition>", "<id value=\"\(entry.recordID)\"/>", "<code><text value=\"\(x(c.label))\"/></code>",
                subject,
                "<recordedDate value=\"\(recorded)\"/>", "<recorder><reference value=\"\(author)\"/></recorder>",
                "<note><text value=\"\(x(c.text))\"/></note>", "</Condition>",
            ]
        case .appointment:
            lines = [
                "<Appointment>", "<id value=\"\(entry.recordID)\"/>", "<status value=\"booked\"/>",
                "<serviceType><text value=\"\(x(c.label))\"/></serviceType>", "<description value=\"\(x(c.text))\"/>",
            ]
            if let effective { lines.append("<start value=\"\(effective)\"/>") }
            lines += [
                "<created value=\"\(recorded)\"/>",
                "<participant><actor><reference value=\"Patient/\(patientID(entry))\"/></actor><status value=\"accepted\"/></participant>",
                "<participant><actor><reference value=\"\(author)\"/></actor><status value=\"accepted\"/></participant>",
                "</Appointment>",
            ]
        case .carePlan, .administrative, .activity:
            lines = [
                "<CarePlan>", "<id value=\"\(entry.recordID)\"/>", "<status value=\"active\"/>",
                "<intent value=\"plan\"/>",
                "<title value=\"\(x(c.label))\"/>", "<description value=\"\(x(c.text))\"/>", subject,
                "<created value=\"\(recorded)\"/>", "<author><reference value=\"\(author)\"/></author>", "</CarePlan>",
            ]
        }
        return lines.map { "      " + $0 + "\n" }.joined()
    }

    // MARK: CDA R2 documents

    static func sectionCode(_ category: Category) -> (String, String) {
        switch category {
        case .vitalSign: ("8716-3", "Signes vitaux")
        case .note: ("10164-2", "Transmissions")
        case .medication: ("10160-0", "Traitements administrés")
        case .allergy: ("48765-2", "Allergies")
        case .diagnosis: ("11450-4", "Problèmes")
        case .appointment: ("46240-8", "Rendez-vous")
        case .carePlan, .administrative: ("18776-5", "Projet de soins")
        case .activity: ("47519-4", "Actes")
        }
    }

    /// One document per person and week, its statements in sections by category. A statement republished
    /// (`--habits random`) comes again in the document of a later week.
    func cdaDocuments() -> [(String, [UInt8])] {
        var files: [(String, [UInt8])] = []
        func week(_ entry: SynthEntry) -> Int { (entry.documentAt ?? entry.recordedAt) / (7 * 1440) }
        for personEntries in byPerson(entries) {
            var weeks: [[SynthEntry]] = []
            for entry in personEntries.sorted(by: {
                (week($0), $0.recordedAt, $0.recordID) < (week($1), $1.recordedAt, $1.recordID)
            }) {
                if let last = weeks.last?.last, week(last) == week(entry) {
                    weeks[weeks.count - 1].append(entry)
                } else {
                    weeks.append([entry])
                }
            }
            for week in weeks {
                let number = files.count + 1
                files.append(
                    ("\(folder)/doc-\(ExportText.padded(number, 6)).xml", Array(cdaDocument(week, number: number).utf8))
                )
            }
        }
        return files
    }

    func cdaAuthor(_ entry: SynthEntry, indent: String) -> String {
        let author = site.authors[entry.author]
        return "\(indent)<author>\n\(indent)  <time value=\"\(recordedHL7(entry))\"/>\n"
            + "\(indent)  <assignedAuthor>\n\(indent)    <id root=\"1.2.250.1.71.4.2.1\" extension=\"\(author.id)\"/>\n"
            + "\(indent)    <code code=\"\(author.profession.rawValue)\" displayName=\"\(ExportText.xml(author.profession.displayName))\"/>\n"
            + "\(indent)  </assignedAuthor>\n\(indent)</author>\n"
    }

    func cdaDocument(_ entries: [SynthEntry], number: Int) -> String {
        let who = identity(entries[0])
        let x = ExportText.xml
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
              <id root="1.2.250.1.999.\(siteNumber + 1).10" extension="DOC-\(ExportText.padded(number, 6))"/>
              <code code="11506-3" codeSystem="2.16.840.1.113883.6.1" displayName="Note de suivi"/>
              <title>Synthèse de suivi</title>
              <effectiveTime value="\(ExportText.hl7(entries.last!.recordedAt))"/>
              <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
              <recordTarget>
                <patientRole>

            """
        if let ins = who.ins { out += "      <id root=\"1.2.250.1.213.1.4.8\" extension=\"\(ins)\"/>\n" }
        out += "      <id root=\"1.2.250.1.999.\(siteNumber + 1).2\" extension=\"\(who.patientID)\"/>\n"
        out += "      <patient>\n        <name>\n"
        for given in who.givenNames.split(separator: " ") { out += "          <given>\(x(String(given)))</given>\n" }
        out += "          <family qualifier=\"BR\">\(x(who.birthName))</family>\n        </name>\n"
        out += "        <administrativeGenderCode code=\"\(who.sex)\" codeSystem=\"2.16.840.1.113883.5.1\"/>\n"
        out +=
            "        <birthTime value=\"\(ExportText.hl7Date(who.birthDate))\"/>\n      </patient>\n    </patientRole>\n  </recordTarget>\n"
        out += cdaAuthor(entries.last!, indent: "  ")
        out += "  <component>\n    <structuredBody>\n"
        for category in Category.allCases {
            let inSection = entries.filter { $0.category == category }
            guard !inSection.isEmpty else { continue }
            let (code, title) = Self.sectionCode(category)
            out += "      <component>\n        <section>\n"
            out +=
                "          <code code=\"\(code)\" codeSystem=\"2.16.840.1.113883.6.1\"/>\n          <title>\(x(title))</title>\n"
            for entry in inSection {
                out += "          <entry>\n" + cdaStatement(entry) + "          </entry>\n"
            }
            out += "        </section>\n      </component>\n"
        }
        out += "    </structuredBody>\n  </component>\n</ClinicalDocument>\n"
        return out
    }

    func cdaStatement(_ entry: SynthEntry) -> String {
        let c = entry.content
        let x = ExportText.xml
        let i = "            "
        let id = "\(i)  <id root=\"1.2.250.1.999.\(siteNumber + 1).4\" extension=\"\(entry.recordID)\"/>\n"
        let effective = entry.effectiveAt.map { "\(i)  <effectiveTime value=\"\(ExportText.hl7($0))\"/>\n" } ?? ""
        let text = c.text.isEmpty ? "" : "\(i)  <text>\(x(c.text))</text>\n"
        let author = cdaAuthor(entry, indent: i + "  ")
        switch entry.category {
        case .vitalSign:
            let vital = SynthVocabulary.vitals[c.vital ?? 0]
            let value =
                c.value.contains("/")
                ? "\(i)  <value xsi:type=\"ST\">\(x(c.value))</value>\n"
                : "\(i)  <value xsi:type=\"PQ\" value=\"\(x(c.value))\""
                    + (c.unit.isEmpty ? "" : " unit=\"\(x(c.unit))\"") + "/>\n"
            return "\(i)<observation classCode=\"OBS\" moodCode=\"EVN\">\n" + id
                + "\(i)  <code code=\"\(vital.loinc)\" codeSystem=\"2.16.840.1.113883.6.1\" displayName=\"\(x(c.label))\"/>\n"
                + effective + value + author + "\(i)</observation>\n"
        case .medication:
            return "\(i)<substanceAdministration classCode=\"SBADM\" moodCode=\"EVN\">\n" + id + text + effective
                + "\(i)  <doseQuantity value=\"\(x(c.value))\" unit=\"\(x(c.unit))\"/>\n"
                + "\(i)  <consumable><manufacturedProduct><manufacturedMaterial><code displayName=\"\(x(c.label))\"/></manufacturedMaterial></manufacturedProduct></consumable>\n"
                + author + "\(i)</substanceAdministration>\n"
        case .allergy, .diagnosis:
            return "\(i)<observation classCode=\"OBS\" moodCode=\"EVN\">\n" + id
                + "\(i)  <code code=\"ASSERTION\" codeSystem=\"2.16.840.1.113883.5.4\" displayName=\"\(x(c.label))\"/>\n"
                + text + author + "\(i)</observation>\n"
        case .appointment:
            return "\(i)<encounter classCode=\"ENC\" moodCode=\"APT\">\n" + id
                + "\(i)  <code displayName=\"\(x(c.label))\"/>\n" + text + effective + author + "\(i)</encounter>\n"
        case .activity where !c.value.isEmpty:
            // An act with a measured duration or count: CDA's procedure has no value, so an observation.
            return "\(i)<observation classCode=\"OBS\" moodCode=\"EVN\">\n" + id
                + "\(i)  <code displayName=\"\(x(c.label))\"/>\n" + text + effective
                + "\(i)  <value xsi:type=\"PQ\" value=\"\(x(c.value))\""
                + (c.unit.isEmpty ? "" : " unit=\"\(x(c.unit))\"") + "/>\n"
                + author + "\(i)</observation>\n"
        case .activity:
            return "\(i)<procedure classCode=\"PROC\" moodCode=\"EVN\">\n" + id
                + "\(i)  <code displayName=\"\(x(c.label))\"/>\n" + text + effective + author + "\(i)</procedure>\n"
        case .note, .carePlan, .administrative:
            let mood = entry.category == .note ? "EVN" : "INT"
            return "\(i)<act classCode=\"ACT\" moodCode=\"\(mood)\">\n" + id
                + "\(i)  <code displayName=\"\(x(c.label))\"/>\n" + text + effective + author + "\(i)</act>\n"
        }
    }
}

/// The French vendor export's columns as a profile's `[fields]` table: the mapping of `synth`'s vendor CSV
/// (`ExportWriter.vendorColumns`), and of the export it imitates (`Fixtures/vendor`, whose patient column is
/// `N° résident`), which the fuzz harness reads (`RessaisieFuzz`).
public enum FrenchVendorExport {
    /// The `[fields]` table, without a line break at the end; `patientColumn` names the local patient id.
    public static func fieldsTable(patientColumn: String) -> String {
        """
        [fields]
        record_id = "N° saisie"
        patient_id = "\(patientColumn)"
        ins = "Matricule INS"
        birth_name = "Nom de naissance"
        given_names = "Prénom"
        birth_date = { column = "Né(e) le", format = "dd/MM/yyyy" }
        sex = "Sexe"
        recorded_at = { columns = ["Date saisie", "Heure saisie"], format = "dd/MM/yyyy HH:mm" }
        effective_at = { columns = ["Date soin", "Heure soin"], format = "dd/MM/yyyy HH:mm" }
        author_id = "Saisi par"
        profession = "Fonction"
        category = "Type"
        label = "Libellé"
        value = "Valeur"
        unit = "Unité"
        text = "Observation"
        """
    }
}
