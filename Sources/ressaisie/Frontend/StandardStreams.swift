import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard output and error, written through one checked path.
///
/// `FileHandle.write` traps (a `try!` inside Foundation) when the write fails: stdout on a full disk, a
/// closed descriptor, a pipe whose reader left. Here every write is a POSIX `write` loop: EINTR is retried,
/// EPIPE on stdout (`ressaisie analyze | head`) ends the run quietly with the status a SIGPIPE death gives
/// (141), and any other failure (ENOSPC, EBADF, EIO…) on stdout or stderr ends it with 73 (cannot write an
/// output), after removing the temporary outputs in flight. SIGPIPE is ignored so EPIPE comes back as an
/// error instead of killing the process.
enum StandardStreams {
    /// Call once at start-up, before anything is opened or written.
    ///
    /// A standard stream started closed (`>&-`) is held by /dev/null opened read-only: writes to it then fail
    /// with EBADF as they should, and the next file the run opens cannot take its number and receive the
    /// report instead.
    static func install() {
        signal(SIGPIPE, SIG_IGN)
        for descriptor: Int32 in [0, 1, 2] where fcntl(descriptor, F_GETFD) < 0 && errno == EBADF {
            let placeholder = open("/dev/null", O_RDONLY)
            if placeholder >= 0, placeholder != descriptor {
                dup2(placeholder, descriptor)
                close(placeholder)
            }
        }
    }

    static func output(_ text: String) {
        if case .failure(let failure) = write(text, to: 1) {
            if failure.code == EPIPE { exit(quietly: .brokenPipe) }
            fail("standard output", failure.code)
        }
    }

    static func error(_ text: String) {
        // Nowhere left to say it: the status alone tells.
        if case .failure = write(text, to: 2) { exit(quietly: .cannotCreate) }
    }

    /// Says on stderr (when it can) which stream failed, then exits 73.
    private static func fail(_ stream: String, _ code: Int32) -> Never {
        _ = write("ressaisie: error: \(stream): cannot write: \(String(cString: strerror(code))) (exit 73)\n", to: 2)
        exit(quietly: .cannotCreate)
    }

    /// Removes the temporary outputs in flight (never a previous output), then exits.
    static func exit(quietly status: ExitStatus) -> Never {
        InFlightFiles.removeAll()
        Foundation.exit(status.rawValue)
    }

    struct Failure: Error { var code: Int32 }

    private static func write(_ text: String, to descriptor: Int32) -> Result<Void, Failure> {
        var text = text
        return text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return .failure(Failure(code: errno))
                }
                offset += written
            }
            return .success(())
        }
    }
}
