import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieIngest

/// How exports are read: the options `analyze`, `review` (through `AuditOptions`) and `entries` share.
struct ReadingOptions: ParsableArguments {
    @Flag(help: "Stop at the first rejected row (exit 65) instead of counting it.")
    var strict = false

    @Option(help: ArgumentHelp("Time zone of times written without an offset.", valueName: "zone"))
    var timeZone: String = SiteClock.defaultTimeZoneIdentifier

    @Option(
        help: ArgumentHelp(
            "Encoding of the exports: utf-8, windows-1252, iso-8859-1, iso-8859-15, utf-16 (default: detected per file).",
            valueName: "name"))
    var encoding: String?

    func validate() throws {
        if let encoding, TextEncoding(name: encoding) == nil { throw ValidationError("unknown encoding '\(encoding)'") }
        guard TimeZone(identifier: timeZone) != nil else { throw ValidationError("unknown time zone '\(timeZone)'") }
    }

    /// The encoding named, when one is (`validate()` has checked the name).
    var textEncoding: TextEncoding? { encoding.flatMap(TextEncoding.init(name:)) }
}
