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

    /// HMAC-SHA256 under the key, with both of its key blocks absorbed once: a pseudonym costs two SHA-256
    /// blocks instead of four (swift-crypto's `HMAC` hashes the outer key block again at every `finalize`).
    private let prepared: PreparedHMAC
    /// True when the key was drawn at random for this run.
    public let isEphemeral: Bool

    public init(keyBytes: some Sequence<UInt8>) {
        self.init(key: SymmetricKey(data: Array(keyBytes)), isEphemeral: false)
    }

    private init(key: SymmetricKey, isEphemeral: Bool) {
        prepared = key.withUnsafeBytes { PreparedHMAC(key: $0) }
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
                path: path, reason: "too short (\(bytes.count) bytes, at least \(minimumKeyBytes) needed)",
                notFound: false)
        }
        return Pseudonymizer(keyBytes: bytes)
    }

    /// The pseudonym of `parts` (joined with a separator that cannot occur in UTF-8 text) in `domain`.
    public func pseudonym(_ domain: Domain, _ parts: UnsafeRawBufferPointer...) -> Pseudonym {
        // One contiguous message, one update: the domain, then each part followed by 0xFF.
        let length = parts.reduce(1) { $0 + $1.count + 1 }
        return withUnsafeTemporaryAllocation(byteCount: length, alignment: 8) { message in
            message[0] = domain.rawValue
            var offset = 1
            for part in parts {
                if !part.isEmpty {
                    UnsafeMutableRawBufferPointer(rebasing: message[offset..<offset + part.count]).copyMemory(
                        from: part)
                }
                offset += part.count
                message[offset] = 0xFF
                offset += 1
            }
            return prepared.authenticationCode(for: UnsafeRawBufferPointer(message)).withUnsafeBytes { bytes in
                Pseudonym(
                    high: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                    low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
        }
    }

    /// A secret derived from the audit key for one purpose (HMAC of the purpose under the key, in a domain
    /// of its own), so that other keyed encodings (the Bloom filters of linkage) never hold the key itself.
    public func derivedKey(for purpose: String) -> SymmetricKey {
        let message = [0xF0] + Array(purpose.utf8)
        return SymmetricKey(data: Array(message.withUnsafeBytes { prepared.authenticationCode(for: $0) }))
    }

    public func pseudonym(_ domain: Domain, _ string: String) -> Pseudonym {
        let bytes = Array(string.utf8)
        return bytes.withUnsafeBytes { pseudonym(domain, $0) }
    }
}

/// HMAC-SHA256 (RFC 2104) over swift-crypto's SHA-256, with the inner and outer key blocks absorbed once:
/// each message then costs its own blocks and one outer block. Equal to swift-crypto's `HMAC<SHA256>`
/// for every key and message (a test compares them).
struct PreparedHMAC: @unchecked Sendable {  // SHA256 values are copied before use, never shared mutably
    private let inner: SHA256
    private let outer: SHA256

    init(key: UnsafeRawBufferPointer) {
        let blockSize = SHA256.blockByteCount
        var block = [UInt8](repeating: 0, count: blockSize)
        if key.count > blockSize {
            SHA256.hash(data: key).withUnsafeBytes { digest in
                for (index, byte) in digest.enumerated() { block[index] = byte }
            }
        } else {
            for (index, byte) in key.enumerated() { block[index] = byte }
        }
        var inner = SHA256(), outer = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        outer.update(data: block.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    func authenticationCode(for message: UnsafeRawBufferPointer) -> SHA256.Digest {
        var innerHash = inner
        innerHash.update(bufferPointer: message)
        var outerHash = outer
        innerHash.finalize().withUnsafeBytes { outerHash.update(bufferPointer: $0) }
        return outerHash.finalize()
    }
}
