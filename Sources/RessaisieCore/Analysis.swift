/// The pipeline after ingest: link patients, find duplicate groups, compute workload metrics.
public struct Analysis: Sendable {
    public let linkage: PatientLinkage
    public let groups: [DuplicateGroup]
    public let metrics: AuditMetrics

    public init(
        store: EntryStore, linker: any PatientLinker = DeterministicLinker(), detector: ReEntryDetector = ReEntryDetector(),
        costModel: CostModel = .default, staffing: Staffing? = nil
    ) {
        linkage = linker.link(store.patients)
        groups = detector.groups(in: store, linkage: linkage)
        metrics = AuditMetrics(store: store, linkage: linkage, groups: groups, costModel: costModel, staffing: staffing)
    }
}
