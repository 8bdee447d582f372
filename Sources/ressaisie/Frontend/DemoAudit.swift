import Foundation

/// Finds the bundled demo audit (`Fixtures/demo`) for `ressaisie analyze` with no path: in the current
/// folder, else above the executable (a build inside the repository).
enum DemoAudit {
    static let relativePath = "Fixtures/demo"

    static func path() -> String? {
        let manager = FileManager.default
        if manager.fileExists(atPath: relativePath) { return relativePath }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = folder.appendingPathComponent(relativePath).path
            if manager.fileExists(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}
