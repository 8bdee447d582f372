import Crypto
import Foundation

/// SHA-256 as lowercase hex, of bytes or of a whole file read in blocks (memory stays flat).
public enum SHA256Hex {
    public static func digest(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The fingerprint of one file: its size and the SHA-256 of its content.
    public static func fingerprint(ofFile path: String) throws -> InputFingerprint {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw HistoryError(path: path, reason: "cannot read input to fingerprint it")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while true {
            let block = try handle.read(upToCount: 1 << 20) ?? Data()
            if block.isEmpty { break }
            bytes += Int64(block.count)
            hasher.update(data: block)
        }
        return InputFingerprint(path: path, bytes: bytes, sha256: hex(hasher.finalize()))
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
