import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the command talks to a person: stderr for warnings, errors and progress.
enum Terminal {
    static var stderrIsTTY: Bool { isatty(2) == 1 }
    static var stdoutIsTTY: Bool { isatty(1) == 1 }
    /// Colour only on a terminal, and never with NO_COLOR set.
    static var colorOnStdout: Bool { stdoutIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    static func error(_ message: String) {
        if Log.format == .json { return Log.logger.error("\(message)") }
        StandardStreams.error("ressaisie: error: \(message)\n")
    }

    static func warning(_ message: String) {
        if Log.format == .json { return Log.logger.warning("\(message)") }
        StandardStreams.error("ressaisie: warning: \(message)\n")
    }

    /// Rewrites one status line on stderr (a TTY only).
    static func status(_ message: String) {
        StandardStreams.error("\r\u{1B}[2K\(message)")
    }

    static func clearStatus() {
        StandardStreams.error("\r\u{1B}[2K")
    }
}
