import ArgumentParser
import RessaisieHistory
import RessaisieHistoryPostgres
import RessaisieIngest
import RessaisieSynth

/// Exit statuses (sysexits.h), the same for every command (docs/DESIGN.md, "Exit codes").
enum ExitStatus: Int32 {
    case ok = 0
    /// An internal error (ArgumentParser's status for an error no command reports itself).
    case internalError = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case cannotCreate = 73
    case tempFail = 75
    /// What a shell reports for a command killed by SIGPIPE (128 + 13): the reader closed the pipe.
    case brokenPipe = 141

    /// The one error → status mapping. `nil` for an error the commands leave to ArgumentParser (its usage
    /// errors, `ValidationError`, anything unexpected).
    init?(for error: Error) {
        switch error {
        case let error as CommandFailure: self = error.status
        case let error as IngestError: self.init(error.failure)
        case let error as AuditFile.LoadError: self.init(error.failure)
        case let error as PersonFile.ColumnError:
            if case .noIdentity = error { self = .dataError } else { self = .usage }
        case is RunLock.Held, is HistoryBusy: self = .tempFail
        case is PostgresSettings.Invalid: self = .usage
        case is RunLock.Unavailable, is HistoryError, is OutputSet.WriteError, is SynthAudit.WriteError:
            self = .cannotCreate
        default: return nil
        }
    }

    /// The status of a kind of input failure: missing 66, invalid data 65, invalid setting 64.
    init(_ failure: InputFailure) {
        switch failure {
        case .missing: self = .noInput
        case .invalidData: self = .dataError
        case .invalidSetting: self = .usage
        }
    }

    /// A failure said on stderr and turned into ArgumentParser's exit with its status; an error the mapping
    /// does not know is given back as it is. Every command ends a failed run with `throw ExitStatus.failure(error)`.
    static func failure(_ error: Error) -> Error {
        guard let status = ExitStatus(for: error) else { return error }
        Terminal.error("\(error)")
        return ExitCode(status.rawValue)
    }
}

/// A failure a command states itself (no library error says it): its message and its status.
struct CommandFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var description: String

    init(_ status: ExitStatus, _ description: String) {
        self.status = status
        self.description = description
    }
}
