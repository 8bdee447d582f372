import Foundation
import RessaisieFuzz

// Built two ways. With `-DFUZZING -sanitize=fuzzer,address` (Scripts/fuzz.sh) the entry point hands over to
// libFuzzer's driver (`LLVMFuzzerRunDriver`), which calls `fuzzerTestOneInput` for each input; the target
// comes from RESSAISIE_FUZZ_TARGET. (SwiftPM links an executable's `main` to `<module>_main`, so libFuzzer's
// own `main` cannot be used.) In a normal build it is a replayer: `ressaisie-fuzz TARGET FILE...` runs each
// file once (a crash found elsewhere, reproduced).

/// A message on standard error (no `stderr` global: it is shared mutable state to Swift 6).
private func complain(_ message: String) {
    let bytes = Array(message.utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

#if FUZZING
    nonisolated(unsafe) private var target = FuzzTarget.csv

    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    @_cdecl("ressaisie_fuzz_main")
    public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
        let name = ProcessInfo.processInfo.environment["RESSAISIE_FUZZ_TARGET"] ?? ""
        guard let chosen = FuzzTarget(rawValue: name) else {
            complain(
                "RESSAISIE_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n"
            )
            return 64
        }
        target = chosen
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, fuzzerTestOneInput)
    }

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        target.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
        return 0
    }
#else
    @main
    struct Replay {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                complain(
                    "usage: ressaisie-fuzz TARGET FILE... (TARGET: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))\n"
                )
                exit(64)
            }
            for path in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    complain("\(path): cannot read\n")
                    exit(66)
                }
                target.run(Array(data))
            }
            print("\(arguments.count - 1) input(s) ran")
        }
    }
#endif
