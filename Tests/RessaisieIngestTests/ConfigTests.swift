import Foundation
import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieIngest

@Suite("Settings and staffing files")
struct ConfigTests {
    @Test("site types and the comparison rule, in the settings file and in audit.toml; unknown types refused")
    func siteTypes() throws {
        let config = try AuditConfig.parse(
            Data(
                """
                {"sites": {"ch-a": {"type": "hospital", "region": "Bretagne"}, "ehpad-b": {"type": "ehpad", "vendor": "V"}},
                 "comparison": {"peers": "region", "min_sites": 3}}
                """.utf8))
        #expect(config.siteProfiles["ch-a"] == SiteProfile(kind: .hospital, region: "Bretagne"))
        #expect(config.siteProfiles["ehpad-b"] == SiteProfile(kind: .ehpad, vendor: "V"))
        #expect(config.comparison == ComparisonSettings(peers: .region, minimumSites: 3))
        #expect(
            config.comparison.peerGroups(of: ["ch-a", "x"], profiles: config.siteProfiles) == [
                "Bretagne", "unspecified",
            ])
        #expect(
            throws: AuditConfig.ConfigError(
                reason: "sites.x.type: 'clinic' is not one of hospital, ehpad, msp, home_care, other")
        ) {
            try AuditConfig.parse(Data("{\"sites\": {\"x\": {\"type\": \"clinic\"}}}".utf8))
        }
        #expect(throws: AuditConfig.ConfigError.self) {
            try AuditConfig.parse(Data("{\"comparison\": {\"peers\": \"city\"}}".utf8))
        }
        #expect(throws: AuditConfig.ConfigError.self) {
            try AuditConfig.parse(Data("{\"comparison\": {\"min_sites\": 0}}".utf8))
        }

        let file = try AuditFile.parse(
            """
            [sites."msp-du-parc"]
            type = "msp"
            region = "Pays de la Loire"
            [sites.ehpad]
            type = "home_care"
            [comparison]
            peers = "all"
            min_sites = 2
            """, path: "audit.toml")
        #expect(file.sites["msp-du-parc"] == SiteProfile(kind: .msp, region: "Pays de la Loire"))
        #expect(file.sites["ehpad"]?.kind == .homeCare)
        #expect(file.comparison == ComparisonSettings(peers: .all, minimumSites: 2))
        do {
            _ = try AuditFile.parse("[sites.x]\ntype = \"clinic\"\ncolour = \"red\"\n", path: "audit.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("audit.toml") && error.description.contains("sites.x"), "\(error)")
        }
    }

    @Test("cost model parameters and disclosure rules override the defaults, key by key")
    func overrides() throws {
        let config = try AuditConfig.parse(
            Data(
                """
                {"cost_model": {"central": {"overhead_minutes": 1.5, "overhead_minutes_by_category": {"note": 2}},
                                "high": {"words_per_minute": 20}},
                 "disclosure": {"threshold": 5, "min_authors_per_profession": 3}}
                """.utf8))
        #expect(config.costModel.central.defaultOverhead == 1.5)
        #expect(config.costModel.central.wordsPerMinute == CostModel.default.central.wordsPerMinute)
        #expect(config.costModel.central.minutes(category: "note", textWords: 40) == 2 + 1)
        #expect(config.costModel.high.wordsPerMinute == 20 && config.costModel.high.defaultOverhead == 1.1)
        #expect(config.costModel.low == CostModel.default.low)
        #expect(config.threshold == 5 && config.minAuthorsPerProfession == 3)
        #expect(try AuditConfig.parse(Data("{}".utf8)) == AuditConfig())
    }

    @Test("0 and 1 are numbers where a number is valid; true and false are not")
    func zeroAndOne() throws {
        let config = try AuditConfig.parse(
            Data(
                """
                {"cost_model": {"central": {"overhead_minutes": 1, "words_per_minute": 1}, "low": {"overhead_minutes": 0}},
                 "disclosure": {"threshold": 0, "min_authors_per_profession": 1}}
                """.utf8))
        #expect(config.costModel.central.defaultOverhead == 1 && config.costModel.central.wordsPerMinute == 1)
        #expect(config.costModel.low.defaultOverhead == 0)
        #expect(config.threshold == 0 && config.minAuthorsPerProfession == 1)
        #expect(throws: AuditConfig.ConfigError.self) {
            try AuditConfig.parse(Data("{\"cost_model\": {\"low\": {\"overhead_minutes\": true}}}".utf8))
        }
        #expect(throws: AuditConfig.ConfigError.self) {
            try AuditConfig.parse(Data("{\"disclosure\": {\"threshold\": false}}".utf8))
        }
        let learned = try AuditConfig.parse(
            Data("{\"boilerplate\": {\"leading\": [\"Vu avec :\"], \"never\": [\"RAS\"], \"learn\": false}}".utf8))
        #expect(
            learned.boilerplate.map(\.text) == ["Vu avec :"] && learned.boilerplateVetoes == ["RAS"]
                && !learned.learnsBoilerplate)
        #expect(throws: AuditConfig.ConfigError.self) {
            try AuditConfig.parse(Data("{\"boilerplate\": {\"learn\": 1}}".utf8))
        }
        #expect(throws: AuditConfig.ConfigError.self) {
            try AuditConfig.parse(Data("{\"boilerplate\": {\"leading\": [\" - \"]}}".utf8))
        }
    }

    @Test("a typo, a wrong type or a bad number is an error that names the setting")
    func errors() {
        for (text, reason) in [
            ("{\"cost_modle\": {}}", "unknown setting 'cost_modle'"),
            (
                "{\"cost_model\": {\"central\": {\"words_per_minute\": 0}}}",
                "cost_model.central.words_per_minute: expected a positive number"
            ),
            ("{\"cost_model\": {\"low\": {\"overhead_minutes\": \"1\"}}}", "cost_model.low.overhead_minutes"),
            ("{\"disclosure\": {\"threshold\": 2.5}}", "disclosure.threshold"),
            ("[1]", "expected a JSON object"),
            ("{", "not valid JSON"),
        ] {
            #expect(throws: AuditConfig.ConfigError.self) { try AuditConfig.parse(Data(text.utf8)) }
            do {
                _ = try AuditConfig.parse(Data(text.utf8))
            } catch let error as AuditConfig.ConfigError {
                #expect(error.reason.contains(reason), "\(error.reason)")
            } catch {}
        }
    }

    @Test("staffing: comma or semicolon, decimal comma, FTE summed per site and profession")
    func staffing() throws {
        let comma = try StaffingReader.parse(
            "site,profession,fte\nalpha,IDE,4.5\nalpha,AS,3\nbeta,IDE,1\nalpha,IDE,0.5\n", path: "s.csv")
        // Professions canonicalized as at ingest; unknown ones kept as written.
        #expect(comma.fte == ["alpha": ["infirmier": 5, "aide_soignant": 3], "beta": ["infirmier": 1]])
        #expect(
            try StaffingReader.parse("site,profession,fte\na,sage-femme libre,1\n", path: "s").fte == [
                "a": ["sage-femme libre": 1]
            ])
        let semicolon = try StaffingReader.parse(
            "\u{FEFF}site;profession;etp\r\nalpha;IDE;2,5\r\n".replacingOccurrences(of: "\u{FEFF}", with: ""),
            path: "s.csv")
        #expect(semicolon.fte == ["alpha": ["infirmier": 2.5]])
        #expect(throws: IngestError.self) { try StaffingReader.parse("site,fte\na,1\n", path: "s.csv") }
        #expect(throws: IngestError.self) {
            try StaffingReader.parse("site,profession,fte\na,IDE,beaucoup\n", path: "s.csv")
        }
    }
}

@Suite("What each system is for (audit.toml, settings file)")
struct SystemPurposeConfigTests {
    @Test("this audit.toml → these purposes; a system left out is not declared")
    func declared() throws {
        let file = try AuditFile.parse(
            """
            [sites."ehpad-a"]
            type = "ehpad"
            [sites."ehpad-a".systems.DUI]
            purpose = "care_coordination"
            [sites."ehpad-a".systems.dpi]
            purpose = "legal_trace"
            [sites."msp-b"]
            systems.SIP.purpose = "funder_reporting"
            """, path: "audit.toml")
        #expect(
            file.sites["ehpad-a"]
                == SiteProfile(kind: .ehpad, systemPurposes: [.dui: .careCoordination, .dpi: .legalTrace]))
        #expect(file.sites["msp-b"]?.systemPurposes == [.sip: .funderReporting])
        #expect(file.sites["msp-b"]?.purpose(of: .dpi) == .notDeclared)
        let config = try AuditConfig.parse(
            Data(#"{"sites": {"x": {"type": "msp", "systems": {"SIP": {"purpose": "patient_facing"}}}}}"#.utf8))
        #expect(config.siteProfiles["x"]?.systemPurposes == [.sip: .patientFacing])
    }

    @Test("audit.toml declares a system cahier of kind other: read with its kind, first in every store")
    func declaredSystems() throws {
        let file = try AuditFile.parse(
            """
            [sites."ehpad-a".systems.cahier]
            kind = "other"
            purpose = "legal_trace"

            [sites."ehpad-a".systems.DUI]
            purpose = "care_coordination"

            [sites."ch-b".systems.Titan]
            kind = "DUI"
            """, path: "audit.toml")
        let cahier = InformationSystem(name: "cahier", kind: .other)
        #expect(file.sites["ehpad-a"]?.systems == [cahier])
        #expect(file.sites["ehpad-a"]?.purpose(of: cahier) == .legalTrace)
        #expect(file.sites["ehpad-a"]?.purpose(of: .dui) == .careCoordination)
        let declared = try AuditConfig.declaredSystems(file.sites)
        #expect(declared == [InformationSystem(name: "Titan", kind: .dui), cahier])
        #expect(EntryStore(declaredSystems: declared).systems == [.dpi, .dui, .sip] + declared)
        // One name, two kinds at two sites: refused.
        let conflicting = try AuditFile.parse(
            "[sites.a.systems.cahier]\nkind = \"other\"\n[sites.b.systems.cahier]\nkind = \"DUI\"\n",
            path: "audit.toml")
        #expect(throws: AuditConfig.ConfigError.self) { try AuditConfig.declaredSystems(conflicting.sites) }
    }

    @Test("a bad purpose or system kind: a clear error with the file and the line")
    func refused() throws {
        let text = """
            [sites."ehpad-a"]
            type = "ehpad"

            [sites."ehpad-a".systems.DUI]
            purpose = "coordination"
            """
        do {
            _ = try AuditFile.parse(text, path: "/srv/audit/audit.toml")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "/srv/audit/audit.toml: line 5: sites.ehpad-a.systems.DUI.purpose: 'coordination' is not one of "
                    + "care_coordination, legal_trace, activity_reporting, funder_reporting, patient_facing")
            #expect(error.failure == .invalidSetting)
        }
        // Any name is a system (kind other unless declared); a kind the tool does not know is an error.
        let excel = try AuditFile.parse(
            "[sites.x]\ntype = \"msp\"\nsystems.Excel.purpose = \"legal_trace\"\n", path: "a.toml")
        #expect(excel.sites["x"]?.systems == [InformationSystem(name: "Excel", kind: .other)])
        #expect(excel.sites["x"]?.purpose(of: InformationSystem(name: "Excel", kind: .other)) == .legalTrace)
        do {
            _ = try AuditFile.parse(
                "[sites.x]\ntype = \"msp\"\nsystems.Excel.kind = \"tableur\"\n", path: "a.toml")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "a.toml: line 3: sites.x.systems.Excel.kind: 'tableur' is not one of DPI, DUI, SIP, other")
        }
        #expect(throws: AuditFile.LoadError.self) {
            try AuditFile.parse("[sites.x.systems.DPI]\nkind = \"other\"\n", path: "a.toml")
        }
        // "not declared" is what the report says of a system left out, not a purpose to declare.
        #expect(throws: AuditFile.LoadError.self) {
            try AuditFile.parse("[sites.x.systems.DPI]\npurpose = \"not_declared\"\n", path: "a.toml")
        }
        #expect(throws: AuditFile.LoadError.self) {
            try AuditFile.parse("[sites.x.systems.DPI]\npurpose = \"legal_trace\"\nowner = \"DSI\"\n", path: "a.toml")
        }
        #expect(
            throws: AuditConfig.ConfigError(
                reason: "sites.x.systems.DUI.purpose: 'care' is not one of "
                    + "care_coordination, legal_trace, activity_reporting, funder_reporting, patient_facing")
        ) {
            try AuditConfig.parse(Data(#"{"sites": {"x": {"systems": {"DUI": {"purpose": "care"}}}}}"#.utf8))
        }
    }
}
