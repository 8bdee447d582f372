import Foundation

#if DEBUG
    /// A pause at a named point of the run, for the end-to-end tests that must kill a run at that exact point
    /// (a temporary output written but not renamed; a history transaction not committed). Set by the
    /// `RESSAISIE_TEST_PAUSE` environment variable (`output`: outputs written, none renamed; `rename`: between
    /// two renames of the commit window; `history`: the history transaction not committed; `opened`: a PostgreSQL
    /// history opened and its lock of the selection taken, nothing analysed yet); does nothing
    /// otherwise. Inside the commit window signals are held back, so the pause ends as soon as one arrives.
    ///
    /// Debug builds only (the tests run them): a release binary reads no such variable and never sleeps.
    enum TestPause: String {
        case output, rename, history, opened

        static let requested: TestPause? = ProcessInfo.processInfo.environment["RESSAISIE_TEST_PAUSE"].flatMap(
            TestPause.init)

        static func at(_ point: TestPause) {
            guard requested == point else { return }
            StandardStreams.error("ressaisie: test pause at \(point.rawValue)\n")
            for _ in 0..<6000 where !InFlightFiles.signalPending { usleep(10_000) }
        }
    }
#else
    /// Release builds: the test pauses of debug builds are no-ops, compiled away (no environment read, no sleep).
    enum TestPause {
        case output, rename, history, opened

        @inline(__always)
        static func at(_ point: TestPause) {}
    }
#endif
