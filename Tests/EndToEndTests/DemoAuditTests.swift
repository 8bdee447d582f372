import Foundation
import TestSupport
import Testing

/// The bundled demo audit, run the way the README says, checked against its truth file.
@Suite("Demo audit end to end")
struct DemoAuditTests {
    let truth = PackagePaths.fixture("demo-truth.csv")

    @Test("every known re-entry is found and no hard negative is grouped")
    func groupsMatchTruth() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BinaryRunner.run(
            ["analyze", "--key-file", keyFile, "--format", "json", "--groups", folder.file("groups.csv"), "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let found = pairs(fromGroupsCSV: try String(contentsOfFile: folder.file("groups.csv"), encoding: .utf8))
        let expected = pairs(fromTruthCSV: try String(contentsOfFile: truth, encoding: .utf8))
        #expect(!expected.isEmpty)
        #expect(
            found.subtracting(expected).isEmpty,
            "grouped but not one fact: \(found.subtracting(expected).sorted { $0.lexicographicallyPrecedes($1) })")
        #expect(
            expected.subtracting(found).isEmpty,
            "missed: \(expected.subtracting(found).sorted { $0.lexicographicallyPrecedes($1) })")
    }

    @Test("with its audit.toml, the demo says for whom information is typed again, and who retypes whose")
    func destinations() throws {
        let result = try BinaryRunner.run([
            "analyze", "--audit", PackagePaths.fixture("demo-audit.toml"), "--key-file", keyFile, "--format", "json",
            "-q",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let sites = try #require(report["sites"] as? [[String: Any]])
        func site(_ name: String) throws -> [String: Any] {
            try #require(sites.first { $0["site"] as? String == name })
        }
        func reEntries(_ site: [String: Any], _ purpose: String) -> Int? {
            ((site["by_destination_purpose"] as? [String: Any])?[purpose] as? [String: Any])?["re_entries"] as? Int
        }
        // The hospital's DPI coordinates care, its DUI serves activity reporting: 19 re-entries are typed into
        // the DUI, 17 of them from the DPI (care → management).
        let hospital = try site("ch-val-de-loire")
        #expect(reEntries(hospital, "care_coordination") == 13 && reEntries(hospital, "activity_reporting") == 19)
        let flows = try #require(hospital["purpose_flows"] as? [[String: Any]])
        #expect(
            flows.contains {
                $0["from"] as? String == "care_coordination" && $0["to"] as? String == "activity_reporting"
                    && $0["re_entries"] as? Int == 17
            })
        // The MSP's DPI was not declared: never guessed.
        let msp = try site("msp-du-parc")
        #expect(reEntries(msp, "funder_reporting") == 5 && reEntries(msp, "not_declared") == 11)
        let declared = (report["settings"] as? [String: Any])?["system_purposes"] as? [String: [String: String]]
        #expect(declared?["msp-du-parc"] == ["SIP": "funder_reporting"])
        // Who retypes whose: every re-entry once, by staff group.
        let staff = try #require(hospital["who_whom_staff"] as? [[String: Any]])
        #expect(staff.count == 4 && staff.allSatisfy { $0["from"] != nil && $0["to"] != nil })
        // Without the audit.toml, nothing is declared.
        let plain = try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", "json", "-q"])
        let totals = try #require(
            (try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])?["totals"]
                as? [String: Any])
        #expect(reEntries(totals, "not_declared") == 72)
    }

    @Test("with the richer audit.toml of the README: who types again into what for whom, and the pairs compared")
    func richerAudit() throws {
        let result = try BinaryRunner.run([
            "analyze", "--audit", PackagePaths.fixture("demo-audit-rich.toml"), "--key-file", keyFile, "--format",
            "json", "-q",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try jsonObject(result.stdout)
        let sites = try #require(report["sites"] as? [[String: Any]])
        func site(_ name: String) throws -> [String: Any] {
            try #require(sites.first { $0["site"] as? String == name })
        }
        /// The re-entries of a row of `profession_system_purpose` (nil when withheld or absent).
        func typed(_ site: [String: Any], _ profession: String, _ system: String, _ purpose: String) -> Int? {
            (site["profession_system_purpose"] as? [[String: Any]])?.first {
                $0["profession"] as? String == profession && $0["system"] as? String == system
                    && $0["destination_purpose"] as? String == purpose
            }?["re_entries"] as? Int
        }
        // The hospital: nurses and nursing assistants type into the DUI that management reads.
        let hospital = try site("ch-val-de-loire")
        #expect(typed(hospital, "infirmier", "DUI", "activity_reporting") == 8)
        #expect(typed(hospital, "aide_soignant", "DUI", "activity_reporting") == 7)
        #expect(typed(hospital, "infirmier", "DPI", "care_coordination") == 8)
        // The nine-person centre: its professions as one row; its DPI now declared (legal trace).
        let msp = try site("msp-du-parc")
        #expect(typed(msp, "all_professions_merged", "DPI", "legal_trace") == 11)
        #expect(typed(msp, "all_professions_merged", "SIP", "funder_reporting") == 5)
        #expect((msp["profession_system_purpose"] as? [[String: Any]])?.count == 2)
        let purposes = try #require(msp["by_destination_purpose"] as? [String: Any])
        #expect(Set(purposes.keys) == ["legal_trace", "funder_reporting"])
        // Staff groups: the two secretaries' row withheld, and the care staff's that would give it back.
        let staff = try #require(msp["staff_system_purpose"] as? [[String: Any]])
        #expect(staff.count == 3 && staff.allSatisfy { $0["re_entries"] is NSNull })
        // The pairs of categories the analyst added, and the wider window, are the ones compared.
        let settings = try #require((report["settings"] as? [String: Any])?["cross_categories"] as? [String: Any])
        let pairs = try #require(settings["pairs"] as? [String])
        #expect(pairs.contains("medication->note") && pairs.contains("appointment->administrative"))
        #expect(settings["window_hours"] as? Int == 96)
        let across = try #require(report["cross_categories"] as? [String: Any])
        #expect(across["re_entries"] as? Int == 3)
        // The demo still runs as before, without any audit file: the same re-entries.
        let plain = try jsonObject(
            try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", "json", "-q"]).stdout)
        let totals = try #require(report["totals"] as? [String: Any]),
            plainTotals = try #require(plain["totals"] as? [String: Any])
        #expect(totals["re_entries"] as? Int == 72 && plainTotals["re_entries"] as? Int == 72)
        #expect(
            (plain["settings"] as? [String: Any])?["system_purposes"] as? [String: Any] == nil
                || ((plain["settings"] as? [String: Any])?["system_purposes"] as? [String: Any])?.isEmpty == true)
    }

    @Test("probabilistic linkage by default: every demo INS has a valid key, no identity duplicate, homonyms apart")
    func linkage() throws {
        let result = try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", "json", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try jsonObject(result.stdout)
        let settings = try #require(report["settings"] as? [String: Any])
        #expect((settings["linkage"] as? String)?.hasPrefix("probabilistic") == true)
        let counts = try #require(settings["linkage_counts"] as? [String: Int])
        #expect(counts["links_by_ins"]! > 0 && counts["links_by_traits"]! > 0)
        // The misspelt Lefèvre carries the INS on both sides and Dupré's traits fold alike: v1 already links
        // both, so the probabilistic step has nothing left to add on the demo.
        #expect(counts["links_by_probability"] == 0)
        #expect(counts["refused_by_ins"]! >= 1)  // the homonyms
        #expect((report["data_quality"] as? [String: Any])?["invalid_ins"] as? Int == 0)
        for site in try #require(report["sites"] as? [[String: Any]]) {
            for (_, system) in try #require(site["by_system"] as? [String: [String: Any]]) {
                #expect(system["identity_duplicates"] as? Int == 0)
            }
        }
    }

    @Test("the JSON report follows the contract and counts the truth's re-entries per site")
    func jsonContract() throws {
        let result = try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", "json", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try jsonObject(result.stdout)
        #expect(report["schema"] as? String == "ressaisie.report/2")
        #expect(
            report["systems"] as? [[String: String]] == [
                ["name": "DPI", "kind": "DPI"], ["name": "DUI", "kind": "DUI"], ["name": "SIP", "kind": "SIP"],
            ])
        let sites = try #require(report["sites"] as? [[String: Any]])
        #expect(report["totals"] is [String: Any])
        #expect(report["data_quality"] is [String: Any])

        // Re-entries per site from the truth: entries of each fact beyond the first.
        var factSizes: [String: Int] = [:]
        for row in parseSimpleCSV(try String(contentsOfFile: truth, encoding: .utf8)).dropFirst() where row.count == 4 {
            factSizes["\(row[0])|\(row[3])", default: 0] += 1
        }
        var expectedReEntries: [String: Int] = [:]
        var expectedEntries: [String: Int] = [:]
        for (key, size) in factSizes {
            let site = String(key.split(separator: "|")[0])
            expectedReEntries[site, default: 0] += size - 1
            expectedEntries[site, default: 0] += size
        }
        #expect(Set(sites.compactMap { $0["site"] as? String }) == Set(expectedEntries.keys))
        for site in sites {
            let name = try #require(site["site"] as? String)
            #expect(site["entries"] as? Int == expectedEntries[name], "\(name)")
            #expect(site["re_entries"] as? Int == expectedReEntries[name], "\(name)")
            for key in ["redundancy_rate", "groups", "by_system", "flows", "estimated_hours", "patients"] {
                #expect(site[key] != nil, "\(name) lacks \(key)")
            }
            let groups = try #require(site["groups"] as? [String: Int])
            #expect(Set(groups.keys).isSuperset(of: ["x2", "x3", "x4_plus"]))
            let hours = try #require(site["estimated_hours"] as? [String: Double])
            #expect(hours["low"]! <= hours["central"]! && hours["central"]! <= hours["high"]!)
        }
    }

    @Test("the default text summary names every site and the data quality")
    func textSummary() throws {
        let result = try BinaryRunner.run(["analyze", "--key-file", keyFile])
        #expect(result.status == 0, "\(result.stderr)")
        for site in ["ehpad-les-tilleuls", "ch-val-de-loire", "msp-du-parc"] {
            #expect(result.stdout.contains(site))
        }
        #expect(result.stdout.contains("data quality"))
        #expect(result.stdout.contains("flows (original → re-entry)"))
    }

    @Test("no patient or author identifier, name or note text reaches the outputs")
    func privacy() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let json = try BinaryRunner.run([
            "analyze", "--key-file", keyFile, "--format", "json", "-q", "--groups", folder.file("g.csv"),
        ])
        let text = try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q"])
        let outputs = [json.stdout, text.stdout, try String(contentsOfFile: folder.file("g.csv"), encoding: .utf8)]
        let secrets = try demoInputValues(of: identifyingColumns)
        #expect(secrets.count > 20)
        for secret in secrets {
            for output in outputs {
                #expect(!output.contains(secret), "output contains an input identifier or text: \(secret)")
            }
        }
    }
}
