import Foundation
import RessaisieFuzz
import RessaisieIngest
import TestSupport
import Testing

@Suite("TOML reader")
struct TOMLReaderTests {
    @Test("the syntax the project's files use, and the rest of TOML 1.0's")
    func validDocument() throws {
        let table = try TOMLReader.parse(
            """
            # a comment
            format = "ressaisie.profile/1"   # after a value
            files = ["a-*.csv", 'b.csv',
              # inside an array
              "c.csv",
            ]
            header_line = 3
            big = 1_000_000
            hex = 0xDEAD_beef
            octal = 0o17
            binary = 0b101
            negative = -17
            float = -1.5e3
            plain = 3.25
            yes = true
            when = 1979-05-27T07:32:00+01:00
            day = 1979-05-27
            escapes = "tab\\tquote\\" é \\u00e9 \\U0001F600"
            literal = 'C:\\path\\no escape'
            multi = \"\"\"
            line one
            line \\
               two\"\"\"
            raw = '''
            first
            'quoted' ''''
            "quoted key" = 1
            a.b.c = "dotted"

            [fields]
            recorded_at = { columns = ["Date", "Heure"], format = "dd/MM/yyyy HH:mm" }
            empty = {}

            [values.profession]
            "Veilleur" = "aide_soignant"

            [[run]]
            n = 1
            [[run]]
            n = 2
            [run.sub]
            x = 1
            """)
        #expect(table["format"]?.string == "ressaisie.profile/1")
        #expect(table["files"]?.array?.compactMap(\.string) == ["a-*.csv", "b.csv", "c.csv"])
        #expect(table["header_line"]?.int == 3)
        #expect(table["big"]?.int == 1_000_000)
        #expect(table["hex"]?.int == 0xDEAD_BEEF)
        #expect(table["octal"]?.int == 0o17)
        #expect(table["binary"]?.int == 5)
        #expect(table["negative"]?.int == -17)
        #expect(table["float"] == .float(-1500))
        #expect(table["plain"] == .float(3.25))
        #expect(table["yes"]?.bool == true)
        #expect(table["when"] == .dateTime("1979-05-27T07:32:00+01:00"))
        #expect(table["day"] == .dateTime("1979-05-27"))
        #expect(table["escapes"]?.string == "tab\tquote\" é é 😀")
        #expect(table["literal"]?.string == "C:\\path\\no escape")
        #expect(table["multi"]?.string == "line one\nline two")
        #expect(table["raw"]?.string == "first\n'quoted' '")
        #expect(table["quoted key"]?.int == 1)
        #expect(table["a"]?.table?["b"]?.table?["c"]?.string == "dotted")
        let recorded = table["fields"]?.table?["recorded_at"]?.table
        #expect(recorded?["columns"]?.array?.compactMap(\.string) == ["Date", "Heure"])
        #expect(recorded?["format"]?.string == "dd/MM/yyyy HH:mm")
        #expect(table["fields"]?.table?["empty"]?.table == TOMLTable())
        #expect(table["values"]?.table?["profession"]?.table?["Veilleur"]?.string == "aide_soignant")
        let runs = table["run"]?.array ?? []
        #expect(runs.compactMap { $0.table?["n"]?.int } == [1, 2])
        #expect(runs.last?.table?["sub"]?.table?["x"]?.int == 1)
        #expect(Array(table.keys.prefix(3)) == ["format", "files", "header_line"])  // document order
    }

    @Test(
        "malformed input: an error with line and column, never a trap",
        arguments: [
            ("[\n", 1, 2, "expected a key"),
            ("[#", 1, 2, "expected a key"),
            ("[=", 1, 2, "expected a key"),
            ("a = 1\n[b\n", 2, 3, "expected ']'"),
            ("a = 1\na = 2\n", 2, 1, "defined twice"),
            ("[t]\n[t]\n", 2, 1, "defined twice"),
            ("a = \"open\n", 1, 10, "unterminated"),
            ("a = 01\n", 1, 5, "invalid value"),
            ("a = 1__0\n", 1, 5, "invalid value"),
            ("a = { b = 1 }\na.c = 2\n", 2, 1, "already defined"),
            ("a = [1 2]\n", 1, 8, "expected ',' or ']'"),
            ("a = \"\\x\"\n", 1, 6, "unknown escape"),
            ("a = 99999999999999999999\n", 1, 5, "invalid value"),
            ("é = 1\n", 1, 1, "expected a key"),
            ("a = 1 b = 2\n", 1, 7, "end of the line"),
            ("a = \"\u{0}\"\n", 1, 6, "control character"),
        ])
    func malformed(text: String, line: Int, column: Int, reason: String) {
        #expect(throws: TOMLError.self) { try TOMLReader.parse(text) }
        do {
            _ = try TOMLReader.parse(text)
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
        }
    }

    @Test("nesting deeper than the bound is an error, not a stack overflow")
    func deepNesting() {
        let deep = "a = " + String(repeating: "[", count: 100_000)
        #expect(throws: TOMLError.self) { try TOMLReader.parse(deep) }
        let inline = "a = " + String(repeating: "{b = ", count: 100_000)
        #expect(throws: TOMLError.self) { try TOMLReader.parse(inline) }
    }

    @Test("the shipped profiles read as before")
    func fixtureProfiles() throws {
        let vendor = try Profile.load(path: PackagePaths.fixture("profiles/ehpad-dui-vendor.profile.toml"))
        #expect(vendor.files == ["dui-export-*.csv"])
        #expect(vendor.delimiter == UInt8(ascii: ";"))
        #expect(vendor.headerLine == 3)
        #expect(vendor.fields[.recordedAt]?.columns == ["Date saisie", "Heure saisie"])
        #expect(vendor.fields[.recordedAt]?.format?.pattern == "dd/MM/yyyy HH:mm")
        #expect(vendor.professionValues == ["Veilleur": "aide_soignant"])
        #expect(vendor.categoryValues == ["Soins": "note"])
        let xml = try Profile.load(path: PackagePaths.fixture("profiles/dui-export-xml.profile.toml"))
        #expect(xml.xml?.root == "export")
        #expect(xml.fields[.unit]?.columns == ["valeur/@unite"])
    }

    @Test("audit.toml: unknown keys named, types checked, with the section")
    func auditFile() throws {
        let file = try AuditFile.parse(
            "[inputs]\npaths = [\"a\"]\njobs = 2\n[logging]\nquiet = true\n", path: "audit.toml")
        #expect(file.inputs?.paths == ["a"])
        #expect(file.inputs?.jobs == 2)
        #expect(file.logging?.quiet == true)
        #expect(file.outputs == nil)
        for (text, message) in [
            ("[outputs]\nformt = 1\n[x]\n", "unknown key(s): outputs.formt, x"),
            ("[inputs]\njobs = \"2\"\n", "inputs.jobs: expected an integer, found a string"),
            ("[inputs]\npaths = [1]\n", "inputs.paths: expected an array of strings, found an integer"),
            ("inputs = 3\n", "inputs: expected a table"),
            ("[inputs\n", "line 1, column 8"),
        ] {
            #expect(throws: AuditFile.LoadError.self) { try AuditFile.parse(text, path: "audit.toml") }
            do {
                _ = try AuditFile.parse(text, path: "audit.toml")
            } catch {
                #expect(error.description.contains(message), "\(error)")
                #expect(error.failure == .invalidSetting)
            }
        }
    }
}

@Suite("Fuzz corpus and regressions")
struct FuzzReplayTests {
    /// Every seed and every input a fuzzer ever crashed on, through its harness: each must return.
    @Test("every file of Fuzz/corpus and Fuzz/regressions runs through its harness", arguments: FuzzTarget.allCases)
    func replay(target: FuzzTarget) throws {
        var ran = 0
        for kind in ["corpus", "regressions"] {
            let folder = PackagePaths.root + "/Fuzz/\(kind)/\(target.rawValue)"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where !name.hasPrefix(".")
            {
                let data = try #require(FileManager.default.contents(atPath: folder + "/" + name))
                target.run(Array(data))
                ran += 1
            }
        }
        #expect(ran > 0)
    }
}
