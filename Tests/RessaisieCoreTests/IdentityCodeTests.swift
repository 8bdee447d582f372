import RessaisieCore
import Testing

@Suite("INS check key and phonetic code")
struct IdentityCodeTests {
    @Test("an INS is valid when its key is 97 − (first 13 digits mod 97)")
    func insKey() {
        #expect(INSKey.isValid("185057800608491"))  // 1850578006084: key 91
        #expect(INSKey.isValid("1 85 05 78 006 084 91"))
        #expect(!INSKey.isValid("185057800608492"))  // wrong key
        #expect(!INSKey.isValid("18505780060849"))  // 14 characters
        #expect(!INSKey.isValid("1850578006084911"))
        #expect(!INSKey.isValid("18505780060X491"))
        #expect(!INSKey.isValid(""))
    }

    @Test("Corsica: 2A counts as 19 and 2B as 18 before the modulo")
    func corsica() {
        #expect(INSKey.isValid("185052A00608435"))  // 1850519006084 mod 97 → key 35
        #expect(!INSKey.isValid("185052A00608436"))
        let body = "1850518006084"
        let key = 97 - Int(body)! % 97
        #expect(INSKey.isValid("185052B006084" + String(format: "%02d", key)))
        #expect(!INSKey.isValid("18505A2006084" + String(format: "%02d", key)))  // A elsewhere
    }

    @Test("names that sound alike share a code; others do not")
    func phonetic() {
        func code(_ name: String) -> String { PhoneticCode.code(TextFolding.fold(name, mode: .name)) }
        #expect(code("Lefèvre") == code("LEFEBVRE"))
        #expect(code("Dupont") == code("Dupond"))
        #expect(code("Philippe") == code("Filipe"))
        #expect(code("Mathieu") == code("Matthieu"))
        #expect(code("Le Goff") == code("LEGOFF"))
        #expect(code("Martin") != code("Bernard"))
        #expect(code("Petit") != code("Durand"))
        #expect(code("") == "")
    }

    @Test("FEBRL's and other English identity headers map to canonical fields")
    func headers() {
        #expect(Vocabulary.headerField(for: "given_name") == "given_names")
        #expect(Vocabulary.headerField(for: "surname") == "birth_name")
        #expect(Vocabulary.headerField(for: "date_of_birth") == "birth_date")
        #expect(Vocabulary.headerField(for: "rec_id") == "record_id")
        #expect(Vocabulary.headerField(for: "soc_sec_id") == nil)
    }

    @Test("Dice of Bloom filters")
    func dice() {
        var a = NameBloom(), b = NameBloom()
        for bit in [1, 70, 130, 200] { a.set(bit) }
        for bit in [1, 70, 130, 201] { b.set(bit) }
        #expect(a.dice(a) == 1)
        #expect(a.dice(b) == 0.75)
        #expect(NameBloom().dice(NameBloom()) == 0)
    }
}
