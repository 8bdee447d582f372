// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ressaisie",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ressaisie", targets: ["ressaisie"]),
        .library(name: "RessaisieCore", targets: ["RessaisieCore"]),
        .library(name: "RessaisieIngest", targets: ["RessaisieIngest"]),
        .library(name: "RessaisieReport", targets: ["RessaisieReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Model, normalization, linkage, matching, metrics: pure, no file I/O, no printing.
        .target(name: "RessaisieCore", exclude: ["Vocabulary/Resources"]),
        // libxml2 (system library), read only through its streaming reader.
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // Readers for exports (canonical CSV; FHIR, CDA and mapped XML), input discovery, pseudonymization at ingest.
        .target(
            name: "RessaisieIngest",
            dependencies: [
                "RessaisieCore", "CLibXML2",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The readers' per-row state lives in classes and captured locals, whose every access would be
            // checked for exclusivity at run time in release builds (4 % of ingest instructions). Debug builds,
            // and so the tests, keep the checks; release builds of this target have no such safety net. Unsafe
            // flags are accepted in a root package only: used as a dependency, this package would need them gone.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // One renderer per output format; renderers never compute a metric.
        .target(name: "RessaisieReport", dependencies: ["RessaisieCore"]),
        // Run history: per-site metrics of every run in SQLite, with versioned migrations.
        .target(
            name: "RessaisieHistory",
            dependencies: [
                "RessaisieCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The same history in a shared PostgreSQL database (`--history postgres://…`), through postgres-nio.
        .target(
            name: "RessaisieHistoryPostgres",
            dependencies: [
                "RessaisieHistory",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Synthetic audits with ground truth (all export formats, French re-typing noise, hard negatives).
        .target(name: "RessaisieSynth", dependencies: ["RessaisieCore"]),
        // The command-line tool: one file per subcommand, thin.
        .executableTarget(
            name: "ressaisie",
            dependencies: [
                "RessaisieCore", "RessaisieIngest", "RessaisieReport", "RessaisieHistory", "RessaisieHistoryPostgres",
                "RessaisieSynth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Fuzz harnesses (Scripts/fuzz.sh builds them with libFuzzer; a normal build makes a replayer).
        .target(name: "RessaisieFuzz", dependencies: ["RessaisieCore", "RessaisieIngest", "RessaisieSynth"]),
        .executableTarget(name: "ressaisie-fuzz", dependencies: ["RessaisieFuzz"]),
        .target(name: "TestSupport", dependencies: ["RessaisieCore"], path: "Tests/TestSupport"),
        .testTarget(name: "RessaisieCoreTests", dependencies: ["RessaisieCore", "TestSupport"]),
        .testTarget(name: "RessaisieIngestTests", dependencies: ["RessaisieIngest", "RessaisieFuzz", "TestSupport"]),
        .testTarget(name: "RessaisieReportTests", dependencies: ["RessaisieReport", "RessaisieIngest", "TestSupport"]),
        .testTarget(name: "RessaisieHistoryTests", dependencies: ["RessaisieHistory", "TestSupport"]),
        .testTarget(name: "RessaisieSynthTests", dependencies: ["RessaisieSynth", "RessaisieIngest", "TestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ressaisie", "RessaisieHistory", "RessaisieHistoryPostgres", "TestSupport"]),
    ]
)
