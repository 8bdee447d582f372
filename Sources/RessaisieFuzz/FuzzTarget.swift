import Foundation
import RessaisieCore
import RessaisieIngest
import RessaisieSynth

/// The fuzz harnesses: each feeds one input to one reader and only asks that it return or throw (never
/// trap, hang or leak). Run by libFuzzer through `Scripts/fuzz.sh TARGET SECONDS`, and by the tests over
/// the seed corpus and every crash ever found (`Fuzz/corpus/TARGET`, `Fuzz/regressions/TARGET`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The canonical CSV reader (dialect and encoding detection, quoting, the entry assembler).
    case csv
    /// A vendor CSV export read through a profile (`Fixtures/profiles/ehpad-dui-vendor.profile.toml`).
    case vendorCSV = "vendor-csv"
    /// The XML readers: FHIR R4, CDA R2 and mapped vendor XML, chosen by the root element.
    case xml
    /// A profile file (`ressaisie.profile/1` TOML).
    case profile
    /// An `audit.toml`.
    case audit
    /// `inspect`'s detector (header, dialect, column mapping).
    case inspect

    /// Runs one input; errors are the expected answer to bad input and are ignored.
    public func run(_ input: UnsafeRawBufferPointer) {
        switch self {
        case .profile:
            _ = try? Profile.parse(String(decoding: input, as: UTF8.self), path: "fuzz.profile.toml")
        case .audit:
            _ = try? AuditFile.parse(String(decoding: input, as: UTF8.self), path: "audit.toml")
        case .csv, .vendorCSV, .xml, .inspect:
            let path = Self.scratch.file(
                named: self == .xml ? "dui.xml" : self == .vendorCSV ? "dui-export-fuzz.csv" : "dpi.csv")
            guard Self.scratch.write(input, to: path) else { return }
            let file = InputFile(path: path, site: "fuzz", system: .dui)
            switch self {
            case .csv:
                _ = try? CanonicalCSVReader(pseudonymizer: Self.pseudonymizer, options: IngestOptions()).read(file)
            case .vendorCSV:
                _ = try? MappedCSVReader(
                    pseudonymizer: Self.pseudonymizer, options: IngestOptions(), profile: Self.vendorProfile
                ).read(file)
            case .xml: _ = try? XMLExportReader(pseudonymizer: Self.pseudonymizer, options: Self.xmlOptions).read(file)
            default: _ = try? ExportInspector.inspect(path: path)
            }
        }
    }

    public func run(_ input: [UInt8]) {
        input.withUnsafeBytes { run($0) }
    }

    static let pseudonymizer = Pseudonymizer(keyBytes: Array(repeating: 0x5A, count: 32))

    /// `Fixtures/profiles/ehpad-dui-vendor.profile.toml`, trimmed to what the reader uses (its `[fields]` are
    /// the French vendor layout that `synth` writes too: `FrenchVendorExport`).
    static let vendorProfile = try! Profile.parse(
        """
        format = "ressaisie.profile/1"
        files = ["dui-export-*.csv"]
        system = "DUI"
        encoding = "auto"
        delimiter = ";"
        header_line = 0
        \(FrenchVendorExport.fieldsTable(patientColumn: "N° résident"))
        [values.profession]
        "Veilleur" = "aide_soignant"
        """, path: "vendor.profile.toml")

    /// `Fixtures/profiles/dui-export-xml.profile.toml`: the mapped-XML reader is reached for `<export>` roots.
    static let xmlOptions: IngestOptions = {
        let profile = try! Profile.parse(
            """
            format = "ressaisie.profile/1"
            system = "DUI"
            [xml]
            root = "export"
            record = "saisie"
            date_format = "dd/MM/yyyy"
            [fields]
            record_id = "@id"
            recorded_at = "@date"
            patient_id = "resident/@ipp"
            birth_name = "resident/nom"
            given_names = "resident/prenoms"
            birth_date = "resident/naissance"
            sex = "resident/sexe"
            author_id = "auteur/@matricule"
            profession = "auteur"
            category = "type"
            label = "libelle"
            value = "valeur"
            unit = "valeur/@unite"
            text = "texte"
            """, path: "xml.profile.toml")
        var options = IngestOptions()
        options.xmlProfiles = [profile.mappedXMLProfile!]
        return options
    }()

    /// One private folder per process for the file the readers open.
    static let scratch = Scratch()

    final class Scratch: Sendable {
        let folder: String

        init() {
            let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
            folder = "\(base)/ressaisie-fuzz-\(getpid())"
            mkdir(folder, 0o700)
        }

        func file(named name: String) -> String { "\(folder)/\(name)" }

        func write(_ input: UnsafeRawBufferPointer, to path: String) -> Bool {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard descriptor >= 0 else { return false }
            defer { close(descriptor) }
            var offset = 0
            while offset < input.count {
                let written = Foundation.write(descriptor, input.baseAddress! + offset, input.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}
