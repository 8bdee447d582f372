/// How accurate the matcher was found to be where the truth is known, quoted on every report whose counts
/// were not reviewed on a sample of the audit itself (`review --sample`, then `analyze --review`).
///
/// Figures of the robustness sweep, `Scripts/eval-sweep.sh` (synthetic audits of 20 000 and 200 000 entries
/// whose writing habits are drawn at random per site and system, `synth --habits random`; pairwise scores of
/// `ressaisie evaluate` against `truth.csv`). Last taken from 20 draws of 20 000 entries on 2026-12-06 (medians:
/// F1 0.9750, precision 0.9986, recall 0.9528; docs/BENCHMARKS.md, "a routine note under a learned phrase"),
/// rounded down to two decimals. Update them with it when a sweep of a new matcher changes them.
public enum TestedAccuracy {
    /// Median pairwise F1 over the sweep's draws.
    public static let f1 = 0.97
    /// Pairwise precision: share of grouped pairs that are one fact.
    public static let precision = 0.99
    /// Pairwise recall: share of true pairs that are grouped.
    public static let recall = 0.95
    /// Where the figures come from.
    public static let source = "Scripts/eval-sweep.sh (synth --habits random)"
}
