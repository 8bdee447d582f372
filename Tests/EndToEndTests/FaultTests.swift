import Foundation
import RessaisieHistory
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// How a run ended: its exit status, or the signal that killed it.
struct Ending: Equatable, CustomStringConvertible {
    var status: Int32
    var signaled: Bool
    var stderr: String
    var description: String { signaled ? "killed by signal \(status)" : "exit \(status): \(stderr)" }
    static func == (a: Ending, b: Ending) -> Bool { a.status == b.status && a.signaled == b.signaled }
}

/// Runs the binary with its standard streams set up by a shell redirection (`>/dev/full`, `>&-`), the shell
/// replaced by the binary (`exec`) so a signal death is seen as such.
func runRedirected(_ arguments: [String], redirections: String, in directory: String = PackagePaths.root) throws
    -> Ending
{
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let errPath = folder.file("stderr")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    // Without its own redirection, stderr goes to a file the test reads.
    let errRedirect = redirections.contains("2>") ? "" : " 2>\"\(errPath)\""
    process.arguments = ["-c", "exec \"$0\" \"$@\" \(redirections)\(errRedirect)", BinaryRunner.executable] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"]
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return Ending(
        status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal, stderr: stderr)
}

@Suite("Faults: standard streams, full disks, signals between renames, bad configuration (issue 14)")
struct FaultTests {
    static let vendor = PackagePaths.fixture("vendor/ehpad-les-tilleuls/dui-export-2026-03.csv")
    static let persons = [PackagePaths.fixture("link/persons-a.csv"), PackagePaths.fixture("link/persons-b.csv")]

    /// One command per subcommand that writes to stdout.
    static let stdoutCommands: [[String]] = [
        ["analyze", "--key-file", keyFile],
        ["analyze", "--key-file", keyFile, "--format", "json"],
        ["inspect", vendor],
        ["link", persons[0], persons[1], "--key-file", keyFile, "--quiet"],
    ]

    @Test("stdout on /dev/full or closed: exit 73 with a message, never a signal", arguments: stdoutCommands)
    func stdoutUnwritable(arguments: [String]) throws {
        for redirection in [">/dev/full", ">&-"] {
            let ending = try runRedirected(arguments, redirections: redirection)
            #expect(ending == Ending(status: 73, signaled: false, stderr: ""), "\(redirection): \(ending)")
            #expect(ending.stderr.contains("standard output: cannot write"), "\(redirection): \(ending)")
        }
    }

    @Test("history on a full or closed stdout: exit 73")
    func historyStdout() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = folder.file("h.sqlite")
        #expect(
            try BinaryRunner.run([
                "analyze", "--key-file", keyFile, "-q", "-o", folder.file("r.txt"), "--history", database,
            ]).status == 0)
        for redirection in [">/dev/full", ">&-"] {
            let ending = try runRedirected(["history", "--database", database], redirections: redirection)
            #expect(ending == Ending(status: 73, signaled: false, stderr: ""), "\(redirection): \(ending)")
        }
    }

    @Test("a warning to a full or closed stderr: exit 73, never a signal")
    func stderrUnwritable() throws {
        // No key file: a warning is written to stderr before anything else.
        for redirection in [">/dev/null 2>/dev/full", ">/dev/null 2>&-"] {
            let ending = try runRedirected(["analyze"], redirections: redirection)
            #expect(ending == Ending(status: 73, signaled: false, stderr: ""), "\(redirection): \(ending)")
        }
        let ending = try runRedirected(["history", "--database", "/nonexistent/h.sqlite"], redirections: "2>/dev/full")
        #expect(ending == Ending(status: 73, signaled: false, stderr: ""), "\(ending)")
    }

    @Test(
        "stdout whose reader has gone (EPIPE): the run ends quietly with 141, as after SIGPIPE, not by the signal",
        arguments: [
            ["analyze", "--key-file", keyFile, "--format", "json"],
            ["entries", "--key-file", keyFile, PackagePaths.fixture("demo")],
        ])
    func brokenPipe(arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BinaryRunner.executable)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try out.fileHandleForReading.close()  // the reader leaves before the report is written
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 141)
        #expect(stderr.isEmpty, "\(String(decoding: stderr, as: UTF8.self))")
    }

    // MARK: Bad configuration

    @Test(
        "a TOML file that aborted toml++ ([ then newline, [#, [=): exit 64 for --audit, 65 for a profile, with line and column",
        arguments: [
            "[\n", "[#", "[=", "[[\n",
            "a = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        ])
    func badTOML(text: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bad = try folder.write("bad.toml", text)
        let audit = try BinaryRunner.run(["analyze", "--audit", bad])
        #expect(audit.status == 64, "\(audit.stderr)")
        #expect(audit.stderr.contains("bad.toml: line 1, column"), "\(audit.stderr)")
        let profile = try BinaryRunner.run(["analyze", Self.vendor, "--profile", bad, "--key-file", keyFile, "-q"])
        #expect(profile.status == 65, "\(profile.stderr)")
        #expect(profile.stderr.contains("bad.toml:1:"), "\(profile.stderr)")
        #expect(profile.stderr.contains("not valid TOML"), "\(profile.stderr)")
        // Beside an export, as a nightly run finds it.
        try FileManager.default.createDirectory(atPath: folder.file("exports/ehpad"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.vendor, toPath: folder.file("exports/ehpad/dui.csv"))
        _ = try folder.write("exports/ehpad/dui.profile.toml", text)
        let beside = try BinaryRunner.run(["analyze", folder.file("exports"), "--key-file", keyFile, "-q", "--strict"])
        #expect(beside.status == 65, "\(beside.stderr)")
        #expect(beside.stderr.contains("dui.profile.toml:1:"), "\(beside.stderr)")
    }

    // MARK: Signals between renames

    @Test("SIGTERM between the renames of the report and the groups: both new, the history recorded, no temporary file")
    func signalBetweenRenames() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = UnattendedTests.drop(day: 7, facts: 10, retyped: 2)
        try folder.write("exports/site/dpi.csv", first.dpi)
        try folder.write("exports/site/dui.csv", first.dui)
        let arguments = [
            "analyze", folder.file("exports"), "--key-file", keyFile, "-q", "-f", "json",
            "-o", folder.file("out/report.json"), "--groups", folder.file("out/groups.csv"),
            "--history", folder.file("out/h.sqlite"),
        ]
        let environment = ["SOURCE_DATE_EPOCH": "1772409600"]
        try FileManager.default.createDirectory(atPath: folder.file("out"), withIntermediateDirectories: true)
        #expect(try BinaryRunner.run(arguments, environment: environment).status == 0)
        let before = [read(folder.file("out/report.json")), read(folder.file("out/groups.csv"))]
        let second = UnattendedTests.drop(day: 8, facts: 10, retyped: 9)
        try folder.write("exports/site/dpi-2.csv", second.dpi)
        try folder.write("exports/site/dui-2.csv", second.dui)

        var paused = environment
        paused["RESSAISIE_TEST_PAUSE"] = "rename"
        let run = try BackgroundRun(arguments, in: folder, environment: paused)
        #expect(BackgroundRun.waitUntil(60) { run.stderr.contains("test pause at rename") })
        // The groups are renamed, the report not yet: the signal waits for the end of the window.
        #expect(read(folder.file("out/groups.csv")) != before[1])
        #expect(read(folder.file("out/report.json")) == before[0])
        run.terminate(SIGTERM)
        #expect(run.process.terminationReason == .uncaughtSignal)
        #expect(run.process.terminationStatus == SIGTERM)
        let after = [read(folder.file("out/report.json")), read(folder.file("out/groups.csv"))]
        #expect(temporaryFiles(in: folder.path).isEmpty)
        #expect(try HistoryStore(path: folder.file("out/h.sqlite")).runCount() == 2)
        // Exactly what an uninterrupted run on the same inputs writes.
        #expect(try BinaryRunner.run(arguments, environment: environment).status == 0)
        #expect(after == [read(folder.file("out/report.json")), read(folder.file("out/groups.csv"))])
        #expect(after[0] != before[0])
    }

    @Test("--format csv swaps a whole folder in: the old tables replaced, other files kept, a subfolder refused (73)")
    func csvFolderSwap() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tables = folder.file("tables")
        #expect(try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q", "-f", "csv", "-o", tables]).status == 0)
        let overview = read(tables + "/overview.csv")
        try folder.write("tables/notes.txt", "the analyst's own file")
        try folder.write("tables/overview.csv", "stale")
        #expect(try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q", "-f", "csv", "-o", tables]).status == 0)
        #expect(read(tables + "/overview.csv") == overview)
        #expect(read(tables + "/notes.txt") == Data("the analyst's own file".utf8))
        #expect(temporaryFiles(in: folder.path).isEmpty)
        try FileManager.default.createDirectory(atPath: tables + "/sub", withIntermediateDirectories: true)
        let refused = try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q", "-f", "csv", "-o", tables])
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("holds a folder ('sub')"))
        #expect(read(tables + "/overview.csv") == overview)
        #expect(temporaryFiles(in: folder.path).isEmpty)
    }

    // MARK: Full filesystem

    /// A 1 MiB tmpfs for the test (root only: CI runs as root); nil, with the reason, otherwise.
    static func smallFilesystem(in folder: TemporaryFolder) -> String? {
        guard getuid() == 0 else { return nil }
        let mountPoint = folder.file("small")
        try? FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint]
        mount.standardError = FileHandle.nullDevice
        guard (try? mount.run()) != nil else { return nil }
        mount.waitUntilExit()
        return mount.terminationStatus == 0 ? mountPoint : nil
    }

    static func unmount(_ mountPoint: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [mountPoint]
        try? process.run()
        process.waitUntilExit()
    }

    /// Fills the filesystem to the last byte.
    static func fill(_ mountPoint: String) {
        let descriptor = open(mountPoint + "/filler", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0x41, count: 4096)
        while block.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        let byte: [UInt8] = [0x41]
        while byte.withUnsafeBytes({ write(descriptor, $0.baseAddress, 1) }) > 0 {}
    }

    @Test(
        "a full filesystem: every output kind fails with 73 and leaves the previous outputs byte-identical, no temporary file, no empty database"
    )
    func fullFilesystem() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        guard let disk = Self.smallFilesystem(in: folder) else {
            print("skipped: mounting a small tmpfs needs root (CI runs as root)")
            return
        }
        defer { Self.unmount(disk) }
        let outputs = [
            ["-f", "json", "-o", disk + "/report.json"],
            ["-o", disk + "/report.txt", "--groups", disk + "/groups.csv"],
            ["-f", "csv", "-o", disk + "/tables"],
        ]
        for output in outputs {
            #expect(try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q"] + output).status == 0)
        }
        #expect(
            try BinaryRunner.run(["inspect", Self.vendor, "--write-profile", disk + "/dui.profile.toml"]).status == 0)
        #expect(
            try BinaryRunner.run(["link"] + Self.persons + ["--key-file", keyFile, "-q", "-o", disk + "/pairs.csv"])
                .status == 0)
        let snapshot = { () -> [String: Data] in
            var files: [String: Data] = [:]
            for path in (try? FileManager.default.subpathsOfDirectory(atPath: disk)) ?? [] where path != "filler" {
                files[path] = FileManager.default.contents(atPath: disk + "/" + path)
            }
            return files
        }
        let before = snapshot()
        Self.fill(disk)

        // Another input, so that every output would change.
        let other = PackagePaths.fixture("demo/ehpad-les-tilleuls")
        for output in outputs {
            let result = try BinaryRunner.run(["analyze", other, "--key-file", keyFile, "-q"] + output)
            #expect(result.status == 73, "\(output): \(result.stderr)")
        }
        let inspect = try BinaryRunner.run([
            "inspect", Self.vendor, "--encoding", "iso-8859-15", "--write-profile", disk + "/dui.profile.toml",
        ])
        #expect(inspect.status == 73, "\(inspect.stderr)")
        let link = try BinaryRunner.run(
            ["link"] + Self.persons.reversed() + ["--key-file", keyFile, "-q", "-o", disk + "/pairs.csv"])
        #expect(link.status == 73, "\(link.stderr)")
        let history = try BinaryRunner.run([
            "analyze", "--key-file", keyFile, "-q", "-o", "/dev/null", "--history", disk + "/h.sqlite",
        ])
        #expect(history.status == 73, "\(history.stderr)")
        #expect(!FileManager.default.fileExists(atPath: disk + "/h.sqlite"))

        let after = snapshot().filter { !$0.key.hasSuffix(".lock") }
        #expect(after == before.filter { !$0.key.hasSuffix(".lock") })
        #expect(temporaryFiles(in: disk).isEmpty)
    }
}

@Suite("inspect on hostile shapes (issue 14)")
struct InspectBoundsTests {
    @Test("a header of one 1 MB cell and 20 000 columns: inspected at once, the columns past 1 000 said, not shown")
    func wideHeader() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var cells = (0..<20_000).map { "c\($0)" }
        cells[5] = String(repeating: "x", count: 1_000_000)
        let path = try folder.write(
            "wide.csv",
            cells.joined(separator: ";") + "\n" + (0..<20_000).map { _ in "1" }.joined(separator: ";") + "\n")
        let started = Date()
        let result = try BinaryRunner.run(["inspect", path, "--show-values"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 10)  // a debug build; about 0.06 s in release
        #expect(result.stdout.contains("columns       20000, the first 1000 inspected"))
        #expect(result.stdout.contains("header longer than 256 bytes"))
        #expect(!result.stdout.contains(String(repeating: "x", count: 300)))  // the 1 MB cell is cut to 256 bytes
    }

    @Test("a 40 MB file of one line: only its head is read; exit 65, nothing to inspect")
    func oneLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("line.csv")
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for _ in 0..<40 { try handle.write(contentsOf: chunk) }
        try handle.close()
        let started = Date()
        let result = try BinaryRunner.run(["inspect", path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("no row in the first 16 MiB"))
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
