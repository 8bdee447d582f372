import Foundation
import RessaisieIngest

/// Where the pseudonymization key comes from: `--key-file`, else `RESSAISIE_KEY_FILE`, else a random
/// key for this run (with a warning: its pseudonyms cannot be joined with another run's).
enum KeySource {
    static let environmentVariable = "RESSAISIE_KEY_FILE"

    static func pseudonymizer(keyFile: String?, quiet: Bool) throws -> Pseudonymizer {
        if let path = keyFile ?? ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty {
            return try Pseudonymizer.fromKeyFile(path)
        }
        if !quiet {
            Terminal.warning(
                "no key file (--key-file or \(environmentVariable)): identifiers are pseudonymized with a random key "
                    + "for this run only; results cannot be joined across runs")
        }
        return Pseudonymizer.ephemeral()
    }
}

/// The report's generation time: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
enum GenerationTime {
    static func now() -> Int64 {
        if let value = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int64(value) {
            return seconds
        }
        return Int64(Date().timeIntervalSince1970)
    }
}

/// `reading 3/12 files · 120.4 MB · 85 MB/s · 1 204 311 entries · ETA 4 s`
enum ProgressLine {
    static func describe(_ progress: AuditLoader.Progress, since start: Date) -> String {
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let megabytes = Double(progress.bytesDone) / 1_000_000
        let rate = megabytes / elapsed
        var line =
            "reading \(progress.filesDone)/\(progress.filesTotal) files · \(Int(megabytes)) MB · \(Int(rate)) MB/s"
            + " · \(progress.entries) entries"
        if progress.bytesDone > 0, progress.bytesDone < progress.bytesTotal {
            let remaining = Double(progress.bytesTotal - progress.bytesDone) / 1_000_000 / max(rate, 0.001)
            line += " · ETA \(Int(remaining.rounded(.up))) s"
        }
        return line
    }
}
