/// Full-time equivalents per profession of each site, from the analyst's staffing file, to turn hours
/// into hours per FTE.
public struct Staffing: Sendable, Equatable {
    /// site → profession (as the exports name it) → FTE.
    public var fte: [String: [String: Double]]

    public init(fte: [String: [String: Double]] = [:]) {
        self.fte = fte
    }
}
