import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

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
            nothing readable); 66 input not found (or --audit file missing); 73 cannot write output, lock file, \
            history database, stdout or stderr; 75 another run holds the lock (see --wait); 141 stdout's reader \
            left (as after SIGPIPE); 1 internal error. A run ended by SIGINT or SIGTERM leaves previous outputs \
            intact and no temporary file behind; the outputs of a run are renamed together.
            """,
        version: version,
        subcommands: [
            Analyze.self, Review.self, Entries.self, Inspect.self, Link.self, History.self, Compare.self, Init.self,
            Synth.self,
            Evaluate.self,
        ],
        defaultSubcommand: Analyze.self
    )

    static func main() {
        #if canImport(Glibc)
            // Blocks of 2 MiB and more (entry arrays, tables, batches) get their own mappings, given back when
            // freed. Left to itself glibc raises this threshold to the largest block freed so far, and a
            // million-entry audit then ends with batches freed into the heaps of the threads that built them:
            // up to 30 % more peak memory, and a peak that changes from run to run.
            // (`mallopt` is not in Swift's Glibc module: looked up by name; -3 is glibc's M_MMAP_THRESHOLD.)
            if let symbol = dlsym(nil, "mallopt") {
                typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
                _ = unsafeBitCast(symbol, to: Mallopt.self)(-3, 2 << 20)
            }
        #endif
        StandardStreams.install()
        main(nil)
    }
}
