import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The outputs of one run, committed together: each is first written whole to a temporary file (or, for
/// `--format csv`, a temporary folder) beside its target and fsynced; only when every one is written are
/// they renamed over their targets, one after the other, with SIGINT/SIGTERM/SIGHUP held back for that
/// window. A failure or a signal before the window leaves every previous output as it was and no temporary
/// file; a signal inside it is acted on once the window closes, so every output is new. Only SIGKILL or a
/// power loss inside the window (a few `rename` calls) can leave the outputs renamed before it new and the
/// others old, with their temporary files, which the next run removes.
///
/// Order in the window: the CSV folder or `--groups` first, the report last, so that a reader who waits for
/// the report to change finds the rest of the run already in place.
final class OutputSet {
    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): cannot write: \(reason)" }
    }

    private enum Staged {
        /// A temporary file or folder, renamed over the target at commit.
        case temporary(path: String, target: String, slot: Int?, isFolder: Bool)
        /// A device or a pipe (/dev/null, /dev/stdout, a FIFO), written to as it is at commit: renaming a file
        /// over it would replace the device itself.
        case device(target: String, text: String)
    }

    private var staged: [Staged] = []

    deinit { discard() }

    /// Writes `text` to a temporary file beside `path`, to be renamed over it at commit.
    func stage(_ text: String, to path: String) throws {
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            staged.append(.device(target: path, text: text))
            return
        }
        let temporary = Self.temporaryPath(for: path)
        let slot = InFlightFiles.register(temporary)  // removed if a signal ends the run before the commit
        staged.append(.temporary(path: temporary, target: path, slot: slot, isFolder: false))
        try Self.writeFile(text, to: temporary, reportedAs: path)
    }

    /// Writes the tables of `--format csv` to a temporary folder beside `folder`, swapped in at commit.
    func stageFolder(_ files: [(name: String, contents: String)], to given: String) throws {
        let folder = URL(fileURLWithPath: given).resolvingSymlinksInPath().path
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
            throw WriteError(path: folder, reason: "not a folder (--format csv writes one file per table)")
        }
        let parent = URL(fileURLWithPath: folder).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: parent) {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw WriteError(path: parent, reason: "cannot create the folder")
            }
        }
        let temporary = Self.temporaryPath(for: folder)
        let slot = InFlightFiles.register(temporary)
        guard mkdir(temporary, 0o755) == 0 else {
            InFlightFiles.unregister(slot)
            throw WriteError(path: folder, reason: String(cString: strerror(errno)))
        }
        staged.append(.temporary(path: temporary, target: folder, slot: slot, isFolder: true))
        for file in files {
            let path = (temporary as NSString).appendingPathComponent(file.name)
            // Registered too: the signal handler unlinks files, then removes the (then empty) folder.
            InFlightFiles.register(path).map { slot in
                staged.append(.temporary(path: path, target: "", slot: slot, isFolder: false))
            }
            try Self.writeFile(
                file.contents, to: path, reportedAs: (folder as NSString).appendingPathComponent(file.name))
        }
        // Files in the old folder that are not tables of this run are kept: hard-linked into the new one.
        let written = Set(files.map(\.name))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where !written.contains(name) {
            let old = (folder as NSString).appendingPathComponent(name),
                new = (temporary as NSString).appendingPathComponent(name)
            var status = stat()
            if lstat(old, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
                throw WriteError(
                    path: folder, reason: "it holds a folder ('\(name)'): --format csv needs a folder of its own")
            }
            guard link(old, new) == 0 else {
                throw WriteError(
                    path: old, reason: "cannot keep it in the new folder: \(String(cString: strerror(errno)))")
            }
            InFlightFiles.register(new).map { slot in
                staged.append(.temporary(path: new, target: "", slot: slot, isFolder: false))
            }
        }
    }

    /// Renames every staged output over its target (the report, staged first, last), with signals held back.
    ///
    /// - Parameter first: work that must succeed before any rename, inside the same window (the history
    ///   database's commit): when it fails, no output is renamed.
    func commit(first: () throws -> Void = {}) throws {
        TestPause.at(.output)
        let window = InFlightFiles.deferSignals()
        defer { window.end() }
        try first()
        for (index, item) in renameOrder().enumerated() {
            if index > 0 { TestPause.at(.rename) }
            switch item {
            case .device(let target, let text):
                try Self.writeDevice(text, to: target)
            case .temporary(let path, let target, _, let isFolder):
                if isFolder {
                    try Self.swapFolder(path, into: target)
                } else if rename(path, target) != 0 {
                    throw WriteError(path: target, reason: String(cString: strerror(errno)))
                }
            }
        }
        var folders = Set<String>()
        for item in staged {
            guard case .temporary(_, let target, let slot, _) = item else { continue }
            InFlightFiles.unregister(slot)
            if !target.isEmpty { folders.insert(URL(fileURLWithPath: target).deletingLastPathComponent().path) }
        }
        staged = []
        folders.forEach(Self.syncFolder)
    }

    /// Removes what was staged and not committed (a failure before the commit).
    func discard() {
        for item in staged.reversed() {
            guard case .temporary(let path, _, let slot, let isFolder) = item else { continue }
            if isFolder { try? FileManager.default.removeItem(atPath: path) } else { unlink(path) }
            InFlightFiles.unregister(slot)
        }
        staged = []
    }

    /// The report (staged first) goes last; files inside a staged folder are moved with it.
    private func renameOrder() -> [Staged] {
        let targets = staged.filter {
            if case .temporary(_, let target, _, _) = $0 { return !target.isEmpty }
            return true
        }
        guard let report = targets.first else { return [] }
        return Array(targets.dropFirst()) + [report]
    }

    // MARK: Files

    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
    }

    private static func writeFile(_ text: String, to temporary: String, reportedAs path: String) throws {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        if let failure = writeAll(text, to: descriptor) { throw WriteError(path: path, reason: failure) }
        if fsync(descriptor) != 0 { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
    }

    private static func writeDevice(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        if let failure = writeAll(text, to: descriptor) { throw WriteError(path: path, reason: failure) }
    }

    /// The whole text, or the reason it could not be written.
    private static func writeAll(_ text: String, to descriptor: Int32) -> String? {
        var text = text
        return text.withUTF8 { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return nil
        }
    }

    /// The new folder takes the old one's place in one step (Linux `renameat2(RENAME_EXCHANGE)`); the old
    /// one, now at the temporary path, is then removed.
    private static func swapFolder(_ temporary: String, into folder: String) throws {
        let manager = FileManager.default
        var status = stat()
        guard lstat(folder, &status) == 0 else {
            if rename(temporary, folder) != 0 {
                throw WriteError(path: folder, reason: String(cString: strerror(errno)))
            }
            return
        }
        if exchange(temporary, folder) {
            try? manager.removeItem(atPath: temporary)  // the old folder
            return
        }
        // No atomic exchange here: the old folder is moved aside, the new one put in place.
        let aside = temporaryPath(for: folder) + "-old"
        guard rename(folder, aside) == 0 else {
            throw WriteError(path: folder, reason: String(cString: strerror(errno)))
        }
        guard rename(temporary, folder) == 0 else {
            let reason = String(cString: strerror(errno))
            rename(aside, folder)
            throw WriteError(path: folder, reason: reason)
        }
        try? manager.removeItem(atPath: aside)
    }

    /// `renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)`, looked up by name (not in Swift's Glibc module).
    private static func exchange(_ a: String, _ b: String) -> Bool {
        #if canImport(Glibc)
            guard let symbol = dlsym(nil, "renameat2") else { return false }
            typealias RenameAt2 =
                @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
            let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
            let renameExchange: UInt32 = 2  // RENAME_EXCHANGE
            return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #else
            return false
        #endif
    }

    /// Makes the renames durable (the folder's entries on disk); best effort.
    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

/// One output written whole or not at all (`inspect --write-profile`, `link --output`).
enum OutputFile {
    typealias WriteError = OutputSet.WriteError

    static func write(_ text: String, to path: String) throws {
        let outputs = OutputSet()
        try outputs.stage(text, to: path)
        try outputs.commit()
    }
}
