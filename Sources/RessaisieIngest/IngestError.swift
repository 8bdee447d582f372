import RessaisieCore

/// What kind of input problem stopped a run: the command line turns each into its exit status (sysexits,
/// docs/DESIGN.md, "Exit codes"); the library says what went wrong, not how a process exits.
public enum InputFailure: Sendable, Equatable {
    /// A file or folder is not there, or cannot be opened or read (sysexits' EX_NOINPUT).
    case missing
    /// An input is there but its data cannot be used (EX_DATAERR).
    case invalidData
    /// A setting is wrong: a key too short, an audit file that is not valid (EX_USAGE).
    case invalidSetting
}

/// An input problem that stops the run, with the file (and line) it is about and the kind of failure it
/// is (`InputFailure`).
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
    /// No entry of the sites selected (`--shard`, `--site`): the command line says so and exits 0, writing
    /// nothing (a shard may hold no site of a small audit).
    case noSiteSelected(selection: String)
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
        case .noSiteSelected(let selection): "no entry of \(selection) in the inputs: nothing to analyze"
        case .keyFile(let path, let reason, _): "key file \(path): \(reason)"
        }
    }

    /// The kind of failure, which the command line maps to its exit status.
    public var failure: InputFailure {
        switch self {
        case .notFound, .unreadable: .missing
        case .invalidFile, .malformedXML, .rejected, .nothingReadable, .noSiteSelected: .invalidData
        case .keyFile(_, _, let notFound): notFound ? .missing : .invalidSetting
        }
    }
}
