import ArgumentParser

/// `ressaisie`: measures duplicated data entry across the information systems of health and
/// medico-social establishments.
@main
struct Ressaisie: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "ressaisie",
        abstract: "Measure duplicated data entry (double / triple saisie) across DPI, DUI and SIP exports.",
        discussion: """
            Exit codes: 0 success; 64 usage error; 65 input data error (--strict, an unreadable export, or \
            nothing readable); 66 input not found (or --audit file missing); 73 cannot write output, lock file or \
            history database; 75 another run holds the lock (see --wait); 1 internal error. A run ended by \
            SIGINT or SIGTERM leaves previous outputs intact and no temporary file behind.
            """,
        version: version,
        subcommands: [Analyze.self, Inspect.self, Link.self, History.self, Init.self, Synth.self, Evaluate.self],
        defaultSubcommand: Analyze.self
    )
}
