import ArgumentParser

/// Options every command that reads exports shares.
struct SharedOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "File holding the pseudonymization key (at least 16 bytes); also RESSAISIE_KEY_FILE.",
            discussion: "Without a key, a random key is drawn for the run and results cannot be joined across runs.",
            valueName: "file"))
    var keyFile: String?

    @Flag(
        name: .shortAndLong,
        help:
            "No warning, notice or progress on stderr, only errors (for cron); without --output the report still goes to stdout."
    )
    var quiet = false
}
