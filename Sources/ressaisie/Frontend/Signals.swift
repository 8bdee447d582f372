import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Temporary files in flight, removed if the run is interrupted, so SIGINT/SIGTERM/SIGHUP never leave one behind.
///
/// The paths live in preallocated C buffers so the signal handler only calls `unlink`, `signal` and
/// `raise` (async-signal-safe) and then dies by the same signal: cron and shells see the real cause, and
/// SQLite, whose transaction never committed, rolls it back on the next open. Previous outputs are never
/// touched: they are only ever replaced by `rename`, which is atomic.
enum InFlightFiles {
    static let slots = 64
    static let slotSize = Int(PATH_MAX) + 1
    nonisolated(unsafe) static let buffer: UnsafeMutablePointer<CChar> = {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: slots * slotSize)
        pointer.initialize(repeating: 0, count: slots * slotSize)
        return pointer
    }()
    fileprivate static let lock = NSLock()

    /// Registers a temporary file; returns its slot, or nil when every slot is taken (then the file is
    /// still written, only not cleaned on a signal).
    static func register(_ path: String) -> Int? {
        let bytes = Array(path.utf8)
        guard bytes.count < slotSize else { return nil }
        lock.lock()
        defer { lock.unlock() }
        for slot in 0..<slots where buffer[slot * slotSize] == 0 {
            let start = buffer + slot * slotSize
            for (index, byte) in bytes.enumerated().reversed() { start[index] = CChar(bitPattern: byte) }
            start[bytes.count] = 0
            return slot
        }
        return nil
    }

    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.lock()
        buffer[slot * slotSize] = 0
        lock.unlock()
    }

    /// `[depth, pending signal]`: while depth > 0 the handler only notes the signal (see `deferSignals`).
    nonisolated(unsafe) static let deferral: UnsafeMutablePointer<Int32> = {
        let pointer = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
        pointer.initialize(repeating: 0, count: 2)
        return pointer
    }()

    /// The commit window: SIGINT, SIGTERM and SIGHUP received until `end()` are acted on then (on whichever
    /// thread they land, the handler only notes them), so a signal never splits the outputs of one run.
    /// Windows nest.
    struct SignalWindow {
        func end() {
            InFlightFiles.lock.lock()
            deferral[0] -= 1
            let pending = deferral[0] == 0 ? deferral[1] : 0
            InFlightFiles.lock.unlock()
            if pending != 0 { onSignal(pending) }
        }
    }

    static func deferSignals() -> SignalWindow {
        lock.lock()
        deferral[0] += 1
        lock.unlock()
        return SignalWindow()
    }

    /// True when a signal arrived inside the current window (a test pause ends early then).
    static var signalPending: Bool { deferral[1] != 0 }

    /// Removes every registered temporary file (an exit that does not unwind: a failed write to stdout or stderr).
    static func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        for slot in 0..<slots where buffer[slot * slotSize] != 0 { unlink(buffer + slot * slotSize) }
        for slot in 0..<slots where buffer[slot * slotSize] != 0 {
            rmdir(buffer + slot * slotSize)
            buffer[slot * slotSize] = 0
        }
    }

    /// Installs the handlers; call once, early, before any thread starts.
    ///
    /// The signals are also unblocked: a blocked mask is inherited across `exec`, and some launchers (test
    /// runners, supervisors) start their children with SIGTERM blocked, which would make a stop request wait
    /// for the end of the run.
    static func installSignalHandlers() {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = onSignal
            #else
                action.__sigaction_u.__sa_handler = onSignal
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }
}

/// The handler: unlink every registered temporary file, then die by the same signal.
private func onSignal(_ signalNumber: Int32) {
    // Noted before the window is looked at: a window closing meanwhile then finds it (see `SignalWindow.end`).
    InFlightFiles.deferral[1] = signalNumber
    if InFlightFiles.deferral[0] > 0 { return }
    let buffer = InFlightFiles.buffer
    // Files first, then folders (a staged CSV folder), which are empty by then.
    for slot in 0..<InFlightFiles.slots {
        let start = buffer + slot * InFlightFiles.slotSize
        if start[0] != 0 { unlink(start) }
    }
    for slot in 0..<InFlightFiles.slots {
        let start = buffer + slot * InFlightFiles.slotSize
        if start[0] != 0 { rmdir(start) }
    }
    signal(signalNumber, SIG_DFL)
    raise(signalNumber)
}

/// Temporary outputs left by a run that could not clean up (SIGKILL, power loss): `.NAME.tmp-PID` beside an
/// output whose PID is no longer running. Removed at the start of a run, under the lock, so never a live
/// run's file.
enum StaleTemporaries {
    /// Removes them beside each output; returns how many were removed.
    @discardableResult
    static func remove(beside outputs: [String]) -> Int {
        var removed = 0
        for output in outputs {
            let url = URL(fileURLWithPath: output)
            let folder = url.deletingLastPathComponent().path
            let prefix = ".\(url.lastPathComponent).tmp-"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where name.hasPrefix(prefix) {
                // `.NAME.tmp-PID`, and `-journal` (a history database being created) or `-old` (a CSV folder set aside).
                let digits = name.dropFirst(prefix.count).prefix { $0.isASCII && $0.isNumber }
                guard let pid = pid_t(digits), pid > 0, pid != getpid() else { continue }
                let path = (folder as NSString).appendingPathComponent(name)
                if kill(pid, 0) != 0, errno == ESRCH, (try? FileManager.default.removeItem(atPath: path)) != nil {
                    removed += 1
                }
            }
        }
        return removed
    }
}
