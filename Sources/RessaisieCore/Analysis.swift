import Foundation

/// The pipeline after ingest: link patients, find duplicate groups, compute workload metrics.
///
/// The defaults are the tool's: `ressaisie analyze` links with `ProbabilisticLinker()` and detects with
/// `ReEntryDetector(window:)`, so a caller of the library (and every test that takes the defaults) gets
/// what users get. Pass `DeterministicLinker()` to keep linkage out of the way.
public struct Analysis: Sendable {
    public let linkage: PatientLinkage
    public let groups: [DuplicateGroup]
    public let metrics: AuditMetrics
    /// Entries set aside before grouping: exported again, or copied by an interface.
    public let republished: [UInt32]
    public let interfaceCopies: [(original: UInt32, copy: UInt32)]

    public init(
        store: EntryStore, linker: any PatientLinker = ProbabilisticLinker(),
        detector: ReEntryDetector = ReEntryDetector(),
        costModel: CostModel = .default, staffing: Staffing? = nil, period: ClosedRange<Int64>? = nil,
        timeZone: TimeZone = TimeZone(identifier: SiteClock.defaultTimeZoneIdentifier)!
    ) {
        linkage = linker.link(store.patients)
        let detection = detector.detect(in: store, linkage: linkage)
        groups = detection.groups
        republished = detection.republished
        interfaceCopies = detection.interfaceCopies
        var metrics = AuditMetrics(
            store: store, linkage: linkage, groups: groups, costModel: costModel, staffing: staffing, period: period,
            timeZone: timeZone)
        Self.fileInterfaceCopies(detection.interfaceCopies, store: store, into: &metrics)
        self.metrics = metrics
    }

    /// Interface copies per site and in total, as flows from the original's system to the copy's.
    static func fileInterfaceCopies(
        _ copies: [(original: UInt32, copy: UInt32)], store: EntryStore, into metrics: inout AuditMetrics
    ) {
        guard !copies.isEmpty else { return }
        func flows(_ pairs: [(InformationSystem, InformationSystem)], entriesOf: (InformationSystem) -> Int) -> [Flow] {
            var counts: [[InformationSystem]: Int] = [:]
            for (from, to) in pairs { counts[[from, to], default: 0] += 1 }
            return Flow.ranked(counts, entriesOf: entriesOf)
        }
        let pairs = copies.map { (store.entries[Int($0.original)], store.entries[Int($0.copy)]) }
        for index in metrics.sites.indices {
            let site = metrics.sites[index]
            let here = pairs.filter { store.sites[Int($0.1.site)] == site.site }.map {
                (store.system(of: $0.0), store.system(of: $0.1))
            }
            metrics.sites[index].interfaceCopies = flows(here) { site.bySystem[$0]?.entries ?? 0 }
        }
        let totals = metrics.totals
        metrics.totals.interfaceCopies = flows(pairs.map { (store.system(of: $0.0), store.system(of: $0.1)) }) {
            totals.bySystem[$0]?.entries ?? 0
        }
    }
}
