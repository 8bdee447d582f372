/// How accurate the matcher was found to be where the truth is known, quoted on every report whose counts
/// were not reviewed on a sample of the audit itself (`review --sample`, then `analyze --review`).
///
/// Figures of the robustness sweep, `Scripts/eval-sweep.sh` (synthetic audits of 20 000 and 200 000 entries
/// whose writing habits are drawn at random per site and system, `synth --habits random`; pairwise scores of
/// `ressaisie evaluate` against `truth.csv`): median F1 about 0.95, precision about 0.99, recall about 0.91
/// (docs/BENCHMARKS.md, "Robustness sweep"). Update them with it when a sweep of a new matcher changes them.
public enum TestedAccuracy {
    /// Median pairwise F1 over the sweep's draws.
    public static let f1 = 0.95
    /// Pairwise precision: share of grouped pairs that are one fact.
    public static let precision = 0.99
    /// Pairwise recall: share of true pairs that are grouped.
    public static let recall = 0.91
    /// Where the figures come from.
    public static let source = "Scripts/eval-sweep.sh (synth --habits random)"
}
