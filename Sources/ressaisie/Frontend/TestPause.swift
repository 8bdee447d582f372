import Foundation

/// A pause at a named point of the run, for the end-to-end tests that must kill a run at that exact point
/// (a temporary output written but not renamed; a history transaction not committed). Set by the
/// `RESSAISIE_TEST_PAUSE` environment variable (`output` or `history`); does nothing otherwise.
enum TestPause: String {
    case output, history

    static let requested: TestPause? = ProcessInfo.processInfo.environment["RESSAISIE_TEST_PAUSE"].flatMap(TestPause.init)

    static func at(_ point: TestPause) {
        guard requested == point else { return }
        FileHandle.standardError.write(Data("ressaisie: test pause at \(point.rawValue)\n".utf8))
        sleep(60)
    }
}
