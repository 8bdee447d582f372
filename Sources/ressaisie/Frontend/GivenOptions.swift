import Foundation

/// Which options the command line named, so that a config value never overrides one of them.
struct GivenOptions {
    let names: Set<String>

    init(arguments: [String] = CommandLine.arguments) {
        var names = Set<String>()
        for argument in arguments.dropFirst() {
            if argument == "--" { break }
            if argument.hasPrefix("--") {
                names.insert(String(argument.split(separator: "=", maxSplits: 1)[0]))
            } else if argument.hasPrefix("-"), argument.count >= 2 {
                // Short options, possibly combined (-qf json): each letter counts.
                for letter in argument.dropFirst() where letter.isLetter { names.insert("-\(letter)") }
            }
        }
        self.names = names
    }

    func contains(_ long: String, short: Character? = nil) -> Bool {
        names.contains("--" + long) || short.map { names.contains("-\($0)") } == true
    }
}
