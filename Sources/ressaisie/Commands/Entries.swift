import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieIngest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ressaisie entries`: what was read, one canonical CSV row per entry, identifiers pseudonymized.
struct Entries: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the entries read from exports as canonical CSV, identifiers pseudonymized.",
        discussion: """
            Reads exports as analyze does (CSV, FHIR, CDA, profiles) and writes one row per entry, in the \
            canonical columns: patient, INS and author ids as their pseudonyms (under --key-file), category, \
            profession and purpose as the analysis sees them, other fields as read. Identity traits are never \
            written; free text only with --include-text. Rejected rows are counted on standard error.

            Example:
              ressaisie entries exports/ehpad/dui-export.csv --profile dui.profile.toml --key-file audit.key -o entries.csv
            """
    )

    @Argument(help: "Export files or folders.")
    var paths: [String]

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Write the CSV to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(help: "Write the entries' free text (the 'text' column); without it the column is empty.")
    var includeText = false

    @Option(
        name: .customLong("profile"),
        help: ArgumentHelp("A profile for vendor exports (repeatable), as for analyze.", valueName: "file"))
    var profiles: [String] = []

    @OptionGroup var reading: ReadingOptions

    @OptionGroup var shared: SharedOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one export file or folder") }
    }

    func run() throws {
        do {
            for path in paths where !FileManager.default.fileExists(atPath: path) {
                throw IngestError.notFound(path: path)
            }
            let pseudonymizer = try KeySource.pseudonymizer(keyFile: shared.keyFile, quiet: shared.quiet)
            var options = IngestOptions(
                strict: reading.strict, timeZone: TimeZone(identifier: reading.timeZone), encoding: reading.textEncoding
            )
            let loaded = try profiles.map { try Profile.load(path: $0) }
            options.csvProfiles = loaded.filter { $0.xml == nil }
            options.xmlProfiles = loaded.compactMap(\.mappedXMLProfile)

            let destination = try StreamedOutput(path: output)
            defer { destination.discard() }
            let writer = EntryCSVWriter(descriptor: destination.descriptor, includeText: includeText)
            let quality = try EntryListing.read(
                paths: paths, pseudonymizer: pseudonymizer, options: options, into: writer)
            do {
                try writer.finish()
            } catch let error as POSIXError where error.code == .EPIPE && output == nil {
                // The reader of standard output left (`| head`): end quietly, as every command does.
                StandardStreams.exit(quietly: .brokenPipe)
            } catch {
                throw OutputFile.WriteError(path: output ?? "standard output", reason: "\(error)")
            }
            try destination.commit()
            if !shared.quiet, quality.rowsRejected > 0 {
                let first = quality.rejections.first.map { " (first: \($0))" } ?? ""
                Terminal.warning(
                    "\(writer.rows) entries listed; \(quality.rowsRejected) row(s) rejected, not listed\(first)")
            }
        } catch {
            throw ExitStatus.failure(error)
        }
    }
}

/// Standard output, or a file written as it goes to a temporary beside it and renamed over it at the end
/// (removed if the run fails or is interrupted), so a reader never sees half a listing.
private final class StreamedOutput {
    let descriptor: Int32
    private let path: String?
    private let temporary: String?
    private let slot: Int?
    private var committed = false

    init(path: String?) throws {
        self.path = path
        var status = stat()
        guard let path, !(stat(path, &status) == 0 && status.st_mode & S_IFMT != S_IFREG) else {
            // Standard output, or a device or pipe written as it is.
            temporary = nil
            slot = nil
            descriptor = path.map { open($0, O_WRONLY) } ?? STDOUT_FILENO
            guard descriptor >= 0 else {
                throw OutputFile.WriteError(path: path ?? "-", reason: String(cString: strerror(errno)))
            }
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = (url.deletingLastPathComponent().path as NSString)
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        InFlightFiles.installSignalHandlers()
        slot = InFlightFiles.register(temporary)
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            InFlightFiles.unregister(slot)
            throw OutputFile.WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        self.temporary = temporary
    }

    func commit() throws {
        guard let temporary, let path else { return }
        if fsync(descriptor) != 0 || rename(temporary, path) != 0 {
            throw OutputFile.WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        committed = true
    }

    /// Closes the file; removes the temporary unless it was renamed.
    func discard() {
        if descriptor != STDOUT_FILENO { close(descriptor) }
        if let temporary, !committed { unlink(temporary) }
        InFlightFiles.unregister(slot)
    }
}
