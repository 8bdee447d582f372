import Crypto
import Foundation
import RessaisieCore

/// Replaces identifiers by keyed pseudonyms (HMAC-SHA256, first 128 bits) at ingest.
///
/// Each kind of identifier has its own domain, so a patient id and an author id with the same digits
/// get different pseudonyms. The key comes from a file (never the command line); without one, a random
/// key is drawn for the run, and pseudonyms then cannot be joined across runs.
public struct Pseudonymizer: @unchecked Sendable {  // SymmetricKey and HMAC are immutable values here
    public enum Domain: UInt8, Sendable {
        case patient = 1, ins, traits, author
    }

    /// HMAC already keyed; each pseudonym starts from a copy of it.
    private let keyed: HMAC<SHA256>
    /// True when the key was drawn at random for this run.
    public let isEphemeral: Bool

    public init(keyBytes: some Sequence<UInt8>) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: Array(keyBytes)))
        isEphemeral = false
    }

    private init(key: SymmetricKey, isEphemeral: Bool) {
        keyed = HMAC<SHA256>(key: key)
        self.isEphemeral = isEphemeral
    }

    /// A fresh random 256-bit key for this run only.
    public static func ephemeral() -> Pseudonymizer {
        Pseudonymizer(key: SymmetricKey(size: .bits256), isEphemeral: true)
    }

    /// Minimum key length accepted from a file.
    public static let minimumKeyBytes = 16

    /// Reads the key from a file: its bytes, less a trailing line break.
    public static func fromKeyFile(_ path: String) throws -> Pseudonymizer {
        guard FileManager.default.fileExists(atPath: path) else {
            throw IngestError.keyFile(path: path, reason: "no such file", notFound: true)
        }
        guard var bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
            throw IngestError.keyFile(path: path, reason: "cannot be read", notFound: true)
        }
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        guard bytes.count >= minimumKeyBytes else {
            throw IngestError.keyFile(
                path: path, reason: "too short (\(bytes.count) bytes, at least \(minimumKeyBytes) needed)", notFound: false)
        }
        return Pseudonymizer(keyBytes: bytes)
    }

    /// The pseudonym of `parts` (joined with a separator that cannot occur in UTF-8 text) in `domain`.
    public func pseudonym(_ domain: Domain, _ parts: UnsafeRawBufferPointer...) -> Pseudonym {
        // One contiguous message, one update: the domain, then each part followed by 0xFF.
        let length = parts.reduce(1) { $0 + $1.count + 1 }
        var mac = keyed
        withUnsafeTemporaryAllocation(byteCount: length, alignment: 8) { message in
            message[0] = domain.rawValue
            var offset = 1
            for part in parts {
                if !part.isEmpty {
                    UnsafeMutableRawBufferPointer(rebasing: message[offset..<offset + part.count]).copyMemory(from: part)
                }
                offset += part.count
                message[offset] = 0xFF
                offset += 1
            }
            mac.update(data: UnsafeRawBufferPointer(message))
        }
        let digest = mac.finalize()
        return digest.withUnsafeBytes { bytes in
            Pseudonym(
                high: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    /// A secret derived from the audit key for one purpose (HMAC of the purpose under the key, in a domain
    /// of its own), so that other keyed encodings (the Bloom filters of linkage) never hold the key itself.
    public func derivedKey(for purpose: String) -> SymmetricKey {
        var mac = keyed
        mac.update(data: [0xF0] + Array(purpose.utf8))
        return SymmetricKey(data: Array(mac.finalize()))
    }

    public func pseudonym(_ domain: Domain, _ string: String) -> Pseudonym {
        let bytes = Array(string.utf8)
        return bytes.withUnsafeBytes { pseudonym(domain, $0) }
    }
}
