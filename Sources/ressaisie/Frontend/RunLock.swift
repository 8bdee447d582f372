import Foundation
import RessaisieCore
import RessaisieIngest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run at a time per history database (or per output): an exclusive `flock` on a file beside it.
///
/// The lock belongs to the open file description, so the kernel releases it when the process ends, however
/// it ends: a killed run never leaves a stale lock. The lock file itself stays (empty) and is reused.
final class RunLock {
    struct Held: Error, CustomStringConvertible {
        var path: String
        var waited: Int
        var description: String {
            waited > 0
                ? "another run still holds \(path) after \(waited) s (exit 75); try again later"
                : "another run holds \(path) (exit 75); use --wait SECONDS to wait for it"
        }
    }

    struct Unavailable: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): cannot write the lock file: \(reason)" }
    }

    let path: String
    private let descriptor: Int32

    /// Takes the lock, waiting up to `wait` seconds (0: fail at once).
    init(path: String, wait: Int) throws {
        self.path = path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Unavailable(path: path, reason: String(cString: strerror(errno))) }
        let deadline = Date().addingTimeInterval(TimeInterval(wait))
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let failure = errno
            if failure == EINTR { continue }
            guard failure == EWOULDBLOCK, Date() < deadline else {
                close(descriptor)
                if failure != EWOULDBLOCK { throw Unavailable(path: path, reason: String(cString: strerror(failure))) }
                throw Held(path: path, waited: wait)
            }
            usleep(100_000)
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The lock file for a run: beside the history database (`history.sqlite.lock`), else a hidden one
    /// beside the first output file (`.report.json.lock`); none when everything goes to standard output, a
    /// device or a pipe (`-o /dev/null` needs no lock, and `/dev` is no place for one).
    /// With a `selection` (`--shard`, `--site`), the history's lock is that selection's
    /// (`history.sqlite.shard-3-of-8.lock`, `history.sqlite.sites-HEX.lock`): shards run at once.
    static func path(history: String?, outputs: [String?], selection: SiteSelection? = nil) -> String? {
        if let history {
            switch selection?.rule {
            case nil: return history + ".lock"
            case .shard(let index, let count)?: return history + ".shard-\(index)-of-\(count).lock"
            case .named(let names)?:
                let hash = StableHasher.hash(names.sorted().joined(separator: "\n"))
                return history + ".sites-" + String(hash, radix: 16) + ".lock"
            }
        }
        let files = outputs.compactMap { $0 }.filter { path in
            var status = stat()
            guard stat(path, &status) == 0 else { return true }  // not there yet: a file to come
            let kind = status.st_mode & S_IFMT
            return kind == S_IFREG || kind == S_IFDIR
        }
        guard let output = files.first else { return nil }
        let url = URL(fileURLWithPath: output)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).lock").path
    }
}
