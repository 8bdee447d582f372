import RessaisieCore
import TestSupport
import Testing

@Suite("Any named system: a table of systems, flows between any number of them")
struct SystemsTests {
    static let excel = InformationSystem(name: "Excel", kind: .other)
    static let cahier = InformationSystem(name: "cahier de transmissions", kind: .other)

    @Test("an entry holds a two-byte system index and stays 56 bytes (budget: 200)")
    func entrySize() {
        #expect(MemoryLayout<SystemID>.size == 2)
        #expect(MemoryLayout<Entry>.size == 56)
        #expect(MemoryLayout<Entry>.stride <= 200)
    }

    @Test("DPI, DUI and SIP are at the same index in every store; other names are added, case folded")
    func table() {
        var store = EntryStore()
        #expect(store.systems == [.dpi, .dui, .sip])
        #expect(store.system(.dui) == .dui)
        let excel = store.system(Self.excel)
        #expect(excel == SystemID(rawValue: 3))
        #expect(store.system(InformationSystem(name: "EXCEL", kind: .other)) == excel)
        #expect(store.systems[excel.index] == Self.excel)
        #expect(InformationSystem(reading: " dui ") == .dui)
        #expect(InformationSystem(reading: " Excel ") == Self.excel)
        #expect(InformationSystem(reading: "  ") == nil)
        // Declared systems come first after the three, with their declared kind.
        let declared = EntryStore(declaredSystems: [InformationSystem(name: "Titan", kind: .dui)])
        #expect(declared.systems.last == InformationSystem(name: "Titan", kind: .dui))
        // Ordered by kind, then name: tables list DPI, DUI, SIP, then the others.
        #expect([Self.excel, .sip, Self.cahier, .dpi].sorted() == [.dpi, .sip, Self.excel, Self.cahier])
    }

    @Test("a batch's systems are remapped by name when merged")
    func merge() {
        var audit = EntryStore(deduplicatingRecordIDs: false)
        _ = audit.system(Self.cahier)
        var batch = StoreBuilder()
        batch.entry("1", site: "s", system: Self.excel, patient: "P", value: "1", at: 0)
        batch.entry("2", site: "s", system: Self.cahier, patient: "P", value: "2", at: 0)
        var file = batch.store
        _ = file.file(named: "suivi.csv")  // the file its entries name (index 0)
        audit.merge(file)
        #expect(audit.entries.map { audit.system(of: $0) } == [Self.excel, Self.cahier])
        #expect(audit.systems == [.dpi, .dui, .sip, Self.cahier, Self.excel])
    }

    @Test("system sets: bits for the first 64, a list beyond")
    func systemSet() {
        var set = SystemSet(.dui)
        set.insert(SystemID(rawValue: 70))
        #expect(set.contains(.dui) && set.contains(SystemID(rawValue: 70)) && !set.contains(.dpi))
        #expect(set.count == 2)
        #expect(set.intersects(SystemSet(SystemID(rawValue: 70))))
        #expect(!set.intersects(SystemSet(SystemID(rawValue: 71))))
        #expect(set.union(SystemSet(SystemID(rawValue: 71))).count == 3)
    }

    @Test("spans of a group of five systems are kept per system, in any order of joining")
    func spans() {
        func entry(_ system: UInt16, _ hours: Int64) -> Entry {
            Entry(
                recordedAt: hours * 3600, fingerprint: 1, recordID: 0, patient: 0, site: 0, category: 0,
                system: SystemID(rawValue: system))
        }
        typealias Spans = RepeatedFacts.SystemSpans
        var joined = Spans(entry(0, 0))
        for system in 1...4 { joined = joined.merged(Spans(entry(UInt16(system), 1))) }
        #expect(joined.longestSpan == 0)
        // The fifth system again, 10 h later: its span is 9 h, beyond the four lanes.
        let later = joined.merged(Spans(entry(4, 10)))
        #expect(later.longestSpan == 9 * 3600)
        var other = Spans(entry(4, 10))
        for system in (0...4).reversed() { other = other.merged(Spans(entry(UInt16(system), system == 0 ? 0 : 1))) }
        #expect(other == later)
    }

    @Test("a site with four systems: flows between all four add up to each system's re-entries")
    func fourSystems() {
        var builder = StoreBuilder()
        let systems: [InformationSystem] = [.dpi, .dui, Self.excel, Self.cahier]
        // Fact n is typed first in systems[n % 4], then again in each of the next (n % 3) + 1 systems.
        var expectedFlows: [[String]: Int] = [:]
        for fact in 0..<24 {
            let first = fact % 4, copies = fact % 3 + 1
            builder.entry(
                "f\(fact)-0", site: "s", system: systems[first], patient: "P\(fact % 5)", value: "\(30 + fact)",
                at: Int64(fact) * 600, author: "a")
            for copy in 1...copies {
                let to = (first + copy) % 4
                builder.entry(
                    "f\(fact)-\(copy)", site: "s", system: systems[to], patient: "P\(fact % 5)", value: "\(30 + fact)",
                    at: Int64(fact) * 600 + Int64(copy) * 5, author: "b")
                expectedFlows[[systems[first].name, systems[to].name], default: 0] += 1
            }
        }
        // Every record one person: the facts differ by their values.
        let analysis = Analysis(store: builder.store, linker: OnePerson())
        let site = analysis.metrics.sites[0]
        var flows: [[String]: Int] = [:]
        for flow in site.flows { flows[[flow.from.name, flow.to.name]] = flow.reEntries }
        #expect(flows == expectedFlows)
        #expect(site.bySystem.keys.sorted() == [.dpi, .dui, Self.excel, Self.cahier].sorted())
        for (system, metrics) in site.bySystem {
            #expect(metrics.reEntries == site.flows.filter { $0.to == system }.reduce(0) { $0 + $1.reEntries })
        }
        #expect(site.flows.reduce(0) { $0 + $1.reEntries } == site.reEntries)
        #expect(site.reEntries == expectedFlows.values.reduce(0, +))
        #expect(site.bySystem[Self.cahier]?.authors == 2)
        #expect(analysis.metrics.totals.flows.map(\.reEntries) == site.flows.map(\.reEntries))
        // What-ifs name the systems of any kind.
        #expect(site.whatIf.contains { $0.from == Self.excel || $0.to == Self.cahier })
    }
}

/// Links every patient record into one person.
struct OnePerson: PatientLinker {
    var name: String { "one-person" }
    func link(_ patients: [PatientRecord]) -> PatientLinkage {
        PatientLinkage(person: patients.map { _ in 0 }, personCount: patients.isEmpty ? 0 : 1)
    }
}
