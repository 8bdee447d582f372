import Foundation
import RessaisieHistory
import RessaisieHistoryPostgres
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The PostgreSQL server the tests write to: the one `Scripts/pg-test-server.sh` starts (`.ci/run` does), named by
/// `RESSAISIE_TEST_PG_URL` and `RESSAISIE_TEST_PG_PASSWORD`. Absent: the tests that need it are skipped.
struct PostgresTestServer {
    static let skipReason: Comment =
        "RESSAISIE_TEST_PG_URL not set: no PostgreSQL server to test against (eval \"$(Scripts/pg-test-server.sh start)\")"

    static let current: PostgresTestServer? = {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["RESSAISIE_TEST_PG_URL"], !url.isEmpty,
            let password = environment["RESSAISIE_TEST_PG_PASSWORD"]
        else { return nil }
        let bin = environment["RESSAISIE_TEST_PG_BIN"].map { $0 + "/psql" }
        let psql = [bin, "/usr/bin/psql"].compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
        return PostgresTestServer(url: url, password: password, psql: psql ?? "psql")
    }()

    var url: String
    var password: String
    var psql: String

    /// The environment a run needs to log in (the password as libpq's variable).
    var environment: [String: String] { ["PGPASSWORD": password] }

    /// Runs SQL with psql and gives its output: unaligned, tuples only.
    @discardableResult
    func sql(_ statement: String, database: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", statement, database ?? url]
        process.environment = ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new, empty database of the test role (dropped by `drop`), as a URL.
    func makeDatabase() throws -> String {
        let name = "ressaisie_t_" + UUID().uuidString.prefix(8).lowercased()
        try sql("CREATE DATABASE \(name)")
        let base = url.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return base + "/" + name
    }

    func drop(_ database: String) {
        let name = database.split(separator: "/").last.map(String.init) ?? ""
        _ = try? sql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

/// `--history postgres://…` through the built binary, against a real server; the URL and password checks need none.
@Suite("PostgreSQL history", .serialized)
struct PostgresHistoryTests {
    static let server = PostgresTestServer.current

    func key(_ folder: TemporaryFolder) throws -> String {
        try folder.write("k.key", String(repeating: "k", count: 32))
    }

    /// A synthetic audit of `sites` sites under `folder/audit`.
    func audit(_ folder: TemporaryFolder, sites: Int = 8, entries: Int = 3000) throws -> String {
        let audit = folder.file("audit")
        let made = try BinaryRunner.run([
            "synth", "--out", audit, "--sites", "\(sites)", "--entries", "\(entries)", "--seed", "5", "--quiet",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        return audit
    }

    /// A TCP port on loopback that nothing listens on.
    static func closedPort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(socket, pointer, length)
                return getsockname(socket, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test("a password in the URL is refused (exit 64) and never printed; sslmode and parameters are checked")
    func passwordInURL() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BinaryRunner.run([
            "analyze", "--key-file", try key(folder), "-q", "-o", folder.file("r.txt"),
            "--history", "postgres://auditor:s3cr3t-pw@127.0.0.1:5432/audits",
        ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("a password in the URL is refused"))
        #expect(!result.stderr.contains("s3cr3t-pw"))
        #expect(result.stderr.contains("postgres://auditor:***@127.0.0.1:5432/audits"))
        let compared = try BinaryRunner.run(["compare", "--history", "postgres://a:s3cr3t-pw@127.0.0.1/x"])
        #expect(compared.status == 64)
        #expect(!compared.stderr.contains("s3cr3t-pw"))
        let mode = try BinaryRunner.run(["history", "--database", "postgres://a@127.0.0.1/x?sslmode=sometimes"])
        #expect(mode.status == 64)
        #expect(mode.stderr.contains("sslmode 'sometimes' is not one of disable, prefer, require, verify-full"))
    }

    @Test("the URL is completed by PG* variables; the password comes from the file given, PGPASSWORD or the passfile")
    func settings() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let environment = [
            "PGHOST": "db.example", "PGPORT": "6432", "PGUSER": "auditor", "PGDATABASE": "audits", "HOME": folder.path,
        ]
        var settings = try PostgresSettings.parse("postgres://", environment: environment)
        #expect(settings.description == "postgres://auditor@db.example:6432/audits")
        #expect(settings.password == nil)
        #expect(settings.tls == .prefer)
        settings = try PostgresSettings.parse("postgresql://other@h2/db2?sslmode=require", environment: environment)
        #expect(settings.description == "postgres://other@h2:6432/db2")
        #expect(settings.tls == .require)

        // ~/.pgpass: the first matching line; '*' matches anything; '\:' is a colon. Readable by others: ignored.
        let passfile = try folder.write(
            ".pgpass", "# comment\nother:*:*:*:wrong\ndb.example:6432:audits:auditor:pa\\:ss\n*:*:*:*:fallback\n")
        chmod(passfile, 0o600)
        #expect(try PostgresSettings.parse("postgres://", environment: environment).password == "pa:ss")
        #expect(try PostgresSettings.parse("postgres://x@y/z", environment: environment).password == "fallback")
        chmod(passfile, 0o644)
        let open = try PostgresSettings.parse("postgres://", environment: environment)
        #expect(open.password == nil)
        #expect(open.warnings.first?.contains("readable by others") == true)
        chmod(passfile, 0o600)
        // PGPASSWORD wins over the passfile, and the file given wins over both; its first line only.
        var withVariable = environment
        withVariable["PGPASSWORD"] = "from-variable"
        #expect(try PostgresSettings.parse("postgres://", environment: withVariable).password == "from-variable")
        let file = try folder.write("pw", "from-file\nignored\n")
        #expect(
            try PostgresSettings.parse("postgres://", passwordFile: file, environment: withVariable).password
                == "from-file")
        #expect(
            !"\(try PostgresSettings.parse("postgres://", passwordFile: file, environment: environment))".contains(
                "from-file"))
        #expect(throws: PostgresSettings.Invalid.self) {
            try PostgresSettings.parse("postgres://a@b/c?search_path=x", environment: environment)
        }
    }

    @Test("an unreachable server: exit 73 with the reason, the report still written, the run not recorded")
    func unreachable() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let port = Self.closedPort()
        let result = try BinaryRunner.run(
            [
                "analyze", "--key-file", try key(folder), "-q", "-f", "json", "-o", folder.file("r.json"),
                "--history", "postgres://auditor@127.0.0.1:\(port)/audits",
            ], environment: ["PGPASSWORD": "not-shown-anywhere"])
        #expect(result.status == 73)
        #expect(result.stderr.contains("postgres://auditor@127.0.0.1:\(port)/audits"))
        #expect(result.stderr.contains("cannot connect"))
        #expect(result.stderr.lowercased().contains("refused"))
        #expect(result.stderr.contains("the report is still written"))
        #expect(!result.stderr.contains("not-shown-anywhere"))
        let report = try String(contentsOfFile: folder.file("r.json"), encoding: .utf8)
        #expect(report.contains("ressaisie.report/2"))
        // Reading commands exit 73 too.
        let history = try BinaryRunner.run(["history", "--database", "postgres://auditor@127.0.0.1:\(port)/audits"])
        #expect(history.status == 73)
        #expect(history.stderr.contains("cannot connect"))
    }

    @Test(
        "a wrong password: exit 73 with the server's reason, the report written, the password never printed",
        .enabled(if: server != nil, PostgresTestServer.skipReason))
    func wrongPassword() throws {
        let server = try #require(Self.server)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BinaryRunner.run(
            [
                "analyze", "--key-file", try key(folder), "-q", "-o", folder.file("r.txt"), "--history", server.url,
            ], environment: ["PGPASSWORD": "wrong-password-123"])
        #expect(result.status == 73)
        #expect(result.stderr.contains("password authentication failed"))
        #expect(result.stderr.contains("28P01"))
        #expect(!result.stderr.contains("wrong-password-123"))
        #expect(FileManager.default.fileExists(atPath: folder.file("r.txt")))
        // No password at all: said so.
        let none = try BinaryRunner.run(["history", "--database", server.url], environment: ["HOME": folder.path])
        #expect(none.status == 73)
        #expect(none.stderr.contains("asks for a password and none was given"))
    }

    @Test(
        "ten processes open a new database at once: the schema is migrated once, every version recorded once",
        .enabled(if: server != nil, PostgresTestServer.skipReason))
    func migrationRace() throws {
        let server = try #require(Self.server)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try server.makeDatabase()
        defer { server.drop(database) }
        // The password from a passfile this time (PGPASSFILE, 0600).
        let passfile = try folder.write("pgpass", "*:*:*:*:\(server.password)\n")
        chmod(passfile, 0o600)
        let runs = try (0..<10).map { _ in
            try BackgroundRun(["history", "--database", database], in: folder, environment: ["PGPASSFILE": passfile])
        }
        for run in runs { run.process.waitUntilExit() }
        #expect(runs.allSatisfy { $0.process.terminationStatus == 0 }, "\(runs.map(\.stderr))")
        let applied = try server.sql(
            "SELECT identifier FROM ressaisie_migrations ORDER BY applied_at", database: database)
        #expect(applied.split(separator: "\n").map(String.init) == HistorySchema.versions)
        let tables = try server.sql(
            "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables "
                + "WHERE table_schema = 'public'", database: database)
        #expect(tables == "ressaisie_migrations,run,run_input,site_metrics")
    }

    @Test(
        "shards at once into one store: every site exactly once; compare identical to the same shards in SQLite",
        .enabled(if: server != nil, PostgresTestServer.skipReason))
    func concurrentShards() throws {
        let server = try #require(Self.server)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = try audit(folder, sites: 10)
        let key = try key(folder)
        let database = try server.makeDatabase()
        defer { server.drop(database) }
        let environment = server.environment.merging(["SOURCE_DATE_EPOCH": "1780000000"]) { _, new in new }
        for history in [database, folder.file("h.sqlite")] {
            let runs = try (0..<5).map { index in
                try BackgroundRun(
                    [
                        "analyze", audit, "--key-file", key, "--shard", "\(index)/5", "-q", "-o",
                        folder.file("r\(index).txt"), "--history", history,
                    ], in: folder, environment: environment)
            }
            for run in runs { run.process.waitUntilExit() }
            #expect(runs.allSatisfy { $0.process.terminationStatus == 0 }, "\(runs.map(\.stderr))")
        }
        let sites = try FileManager.default.contentsOfDirectory(atPath: audit).filter { !$0.contains(".") }.sorted()
        let counts = try server.sql(
            "SELECT site || ':' || count(*) FROM site_metrics GROUP BY site ORDER BY site COLLATE \"C\"",
            database: database)
        #expect(counts.split(separator: "\n").map(String.init) == sites.map { "\($0):1" })
        // One run per shard that had sites (a shard without one writes nothing).
        let written = (0..<5).filter { FileManager.default.fileExists(atPath: folder.file("r\($0).txt")) }.count
        #expect(try server.sql("SELECT count(*) FROM run", database: database) == "\(written)")
        for format in ["text", "json", "md", "csv", "html"] {
            let fromPostgres = try BinaryRunner.run(
                ["compare", "--history", database, "-f", format], environment: server.environment)
            let fromSQLite = try BinaryRunner.run(["compare", "--history", folder.file("h.sqlite"), "-f", format])
            #expect(fromPostgres.status == 0, "\(fromPostgres.stderr)")
            #expect(fromPostgres.stdout == fromSQLite.stdout, "compare -f \(format)")
        }
    }

    @Test(
        "the same runs one after the other in SQLite and PostgreSQL: identical history and compare outputs",
        .enabled(if: server != nil, PostgresTestServer.skipReason))
    func sameOutputs() throws {
        let server = try #require(Self.server)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = try audit(folder, sites: 6)
        let key = try key(folder)
        let database = try server.makeDatabase()
        defer { server.drop(database) }
        let passwordFile = try folder.write("pw", server.password + "\n")
        // PostgreSQL through audit.toml ([history] url and password_file), SQLite through --history.
        try folder.write(
            "audit.toml",
            "[inputs]\npaths = [\"audit\"]\n[privacy]\nkey_file = \"k.key\"\n[history]\nurl = \"\(database)\"\n"
                + "password_file = \"pw\"\n")
        let selections: [[String]] = [[], ["--shard", "0/2"], ["--shard", "1/2"], [], ["--site", "ch-haute-vallee"]]
        for (index, selection) in selections.enumerated() {
            let environment = ["SOURCE_DATE_EPOCH": String(1_780_000_000 + index * 86_400)]
            let toPostgres = try BinaryRunner.run(
                ["analyze", "--audit", folder.file("audit.toml"), "-q", "-o", folder.file("p.txt")] + selection,
                environment: environment)
            #expect(toPostgres.status == 0, "\(toPostgres.stderr)")
            let toSQLite = try BinaryRunner.run(
                [
                    "analyze", audit, "--key-file", key, "-q", "-o", folder.file("s.txt"), "--history",
                    folder.file("h.sqlite"),
                ] + selection, environment: environment)
            #expect(toSQLite.status == 0, "\(toSQLite.stderr)")
        }
        var outputs: [[String]] = [
            ["history", "-f", "text"], ["history", "-f", "json", "--metric", "re_entries"], ["history", "-f", "csv"],
            ["history", "--site", "ch-haute-vallee", "-f", "csv"],
        ]
        outputs += ["text", "json", "md", "csv", "html"].map { ["compare", "-f", $0] }
        outputs.append(["compare", "--since", "2026-05-30", "-f", "json"])
        for arguments in outputs {
            let option = arguments[0] == "history" ? "--database" : "--history"
            let fromPostgres = try BinaryRunner.run(
                arguments + [option, database, "--history-password-file", passwordFile])
            let fromSQLite = try BinaryRunner.run(arguments + [option, folder.file("h.sqlite")])
            #expect(fromPostgres.status == 0, "\(fromPostgres.stderr)")
            #expect(!fromPostgres.stdout.isEmpty)
            #expect(fromPostgres.stdout == fromSQLite.stdout, "\(arguments)")
        }
        // history --audit reads [history] url; the fourth run repeats the first's inputs: marked '='.
        let viaAudit = try BinaryRunner.run(["history", "--audit", folder.file("audit.toml")])
        #expect(viaAudit.status == 0, "\(viaAudit.stderr)")
        #expect(viaAudit.stdout.contains("= same input files as the previous run"))
    }

    @Test(
        "a writer killed with SIGKILL inside its transaction: nothing of it is seen, and the next run succeeds",
        .enabled(if: server != nil, PostgresTestServer.skipReason))
    func killedMidTransaction() throws {
        let server = try #require(Self.server)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = try audit(folder, sites: 4, entries: 1500)
        let database = try server.makeDatabase()
        defer { server.drop(database) }
        let arguments = [
            "analyze", audit, "--key-file", try key(folder), "-q", "-o", folder.file("r.txt"), "--history", database,
        ]
        #expect(try BinaryRunner.run(arguments, environment: server.environment).status == 0)
        let before = try server.sql(
            "SELECT count(*) || '/' || (SELECT count(*) FROM site_metrics) FROM run", database: database)
        #expect(before == "1/4")
        let run = try BackgroundRun(
            arguments, in: folder, environment: server.environment.merging(["RESSAISIE_TEST_PAUSE": "history"]) { $1 })
        defer { if run.process.isRunning { run.terminate(SIGKILL) } }
        #expect(BackgroundRun.waitUntil(60) { run.stderr.contains("test pause at history") })
        // The rows are in, not committed: another session sees none of them, and the transaction is open.
        #expect(
            try server.sql("SELECT count(*) || '/' || (SELECT count(*) FROM site_metrics) FROM run", database: database)
                == before)
        #expect(
            try server.sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
                database: database) == "1")
        run.terminate(SIGKILL)
        // The server rolls the transaction back when the connection drops.
        #expect(
            BackgroundRun.waitUntil(10) {
                (try? server.sql(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
                    database: database)) == "0"
            })
        #expect(
            try server.sql("SELECT count(*) || '/' || (SELECT count(*) FROM site_metrics) FROM run", database: database)
                == before)
        #expect(
            try server.sql(
                "SELECT count(*) FROM run_input WHERE run_id NOT IN (SELECT id FROM run)", database: database) == "0")
        let next = try BinaryRunner.run(arguments, environment: server.environment)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(
            try server.sql("SELECT count(*) || '/' || (SELECT count(*) FROM site_metrics) FROM run", database: database)
                == "2/8")
    }

    @Test(
        "two runs of the same sites at once: the second exits 75 (the server's lock), another selection goes on",
        .enabled(if: server != nil, PostgresTestServer.skipReason))
    func sameSitesAtOnce() throws {
        let server = try #require(Self.server)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = try audit(folder, sites: 4, entries: 1500)
        let key = try key(folder)
        let database = try server.makeDatabase()
        defer { server.drop(database) }
        func arguments(_ output: String, _ selection: [String]) -> [String] {
            ["analyze", audit, "--key-file", key, "-q", "-o", folder.file(output), "--history", database] + selection
        }
        let holder = try BackgroundRun(
            arguments("a.txt", ["--shard", "0/2"]), in: folder,
            environment: server.environment.merging(["RESSAISIE_TEST_PAUSE": "opened"]) { $1 })
        defer { if holder.process.isRunning { holder.terminate(SIGKILL) } }
        #expect(BackgroundRun.waitUntil(60) { holder.stderr.contains("test pause at opened") })
        let second = try BinaryRunner.run(arguments("b.txt", ["--shard", "0/2"]), environment: server.environment)
        #expect(second.status == 75)
        #expect(second.stderr.contains("another run of the same sites (shard 0/2 (0-based))"))
        let waited = try BinaryRunner.run(
            arguments("b.txt", ["--shard", "0/2", "--wait", "1"]), environment: server.environment)
        #expect(waited.status == 75)
        #expect(waited.stderr.contains("after 1 s"))
        let other = try BinaryRunner.run(arguments("c.txt", ["--shard", "1/2"]), environment: server.environment)
        #expect(other.status == 0, "\(other.stderr)")
        holder.terminate(SIGKILL)
        let after = try BinaryRunner.run(arguments("b.txt", ["--shard", "0/2"]), environment: server.environment)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(try server.sql("SELECT count(*) FROM run", database: database) == "2")
    }
}
