import RessaisieCore

/// An input problem that stops the run, with the file (and line) it is about and the exit code it
/// maps to (sysexits, as docs/DESIGN.md lists them under "Exit codes").
public enum IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A path given on the command line (or in a config) does not exist: exit 66.
    case notFound(path: String)
    /// A file exists but cannot be opened or read: exit 66.
    case unreadable(path: String, reason: String)
    /// The file cannot be read as an export at all (no header, a required column missing, no way to
    /// tell its system, an encoding not handled): exit 65.
    case invalidFile(path: String, reason: String)
    /// An XML file that is not well-formed or is refused (entity declarations, excessive depth or text
    /// size, truncated, not XML): exit 65 with `--strict`; otherwise the file is counted as rejected.
    case malformedXML(path: String, line: Int, reason: String)
    /// `--strict`: the first rejected row stops the run: exit 65.
    case rejected(Rejection)
    /// Nothing in the inputs could be read: exit 65.
    case nothingReadable(reason: String)
    /// The pseudonymization key is missing or unusable: exit 66 when not found, 64 when unusable.
    case keyFile(path: String, reason: String, notFound: Bool)

    public var description: String {
        switch self {
        case .notFound(let path): "\(path): no such file or folder"
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .invalidFile(let path, let reason): "\(path): \(reason)"
        case .malformedXML(let path, let line, let reason): "\(path):\(line): \(reason)"
        case .rejected(let rejection): "\(rejection) (--strict stops at the first rejected row)"
        case .nothingReadable(let reason): "nothing to analyze: \(reason)"
        case .keyFile(let path, let reason, _): "key file \(path): \(reason)"
        }
    }

    /// Exit status of the contract (docs/DESIGN.md, "Exit codes").
    public var exitCode: Int32 {
        switch self {
        case .notFound, .unreadable: 66
        case .invalidFile, .malformedXML, .rejected, .nothingReadable: 65
        case .keyFile(_, _, let notFound): notFound ? 66 : 64
        }
    }
}
