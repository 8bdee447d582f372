/// The check key of a matricule INS (NIR or NIA): 15 characters, 13 for the number and 2 for the key,
/// where key = 97 − (number mod 97). Corsican NIRs write the department `2A` or `2B`; for the key they
/// count as 19 and 18.
///
/// A matricule whose key is wrong was mistyped somewhere: ingest does not use it to link patients (two
/// typos could join two persons) and counts it in the data-quality section.
public enum INSKey {
    /// True when `bytes` (spaces, dots and hyphens ignored) are 13 digits (with `2A`/`2B` allowed at the
    /// department, positions 6–7) followed by their two-digit key.
    public static func isValid(_ bytes: some Sequence<UInt8>) -> Bool {
        var characters: [UInt8] = []
        characters.reserveCapacity(15)
        for byte in bytes where byte != 0x20 && byte != 0x2E && byte != 0x2D {
            characters.append(byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte)  // a-z → A-Z
            if characters.count > 15 { return false }
        }
        guard characters.count == 15 else { return false }
        var number: UInt64 = 0
        for (index, character) in characters.prefix(13).enumerated() {
            var digit: UInt64
            switch character {
            case 0x30...0x39: digit = UInt64(character - 0x30)
            // 2A → 19, 2B → 18: the department's "2" becomes "1", its letter "9" or "8".
            case UInt8(ascii: "A") where index == 6 && characters[5] == UInt8(ascii: "2"): digit = 9
            case UInt8(ascii: "B") where index == 6 && characters[5] == UInt8(ascii: "2"): digit = 8
            default: return false
            }
            if index == 5, characters[6] == UInt8(ascii: "A") || characters[6] == UInt8(ascii: "B") { digit = 1 }
            number = number * 10 + digit
        }
        guard characters[13] >= 0x30, characters[13] <= 0x39, characters[14] >= 0x30, characters[14] <= 0x39 else {
            return false
        }
        let key = UInt64(characters[13] - 0x30) * 10 + UInt64(characters[14] - 0x30)
        return 97 - number % 97 == key
    }

    public static func isValid(_ string: String) -> Bool { isValid(string.utf8) }
}
