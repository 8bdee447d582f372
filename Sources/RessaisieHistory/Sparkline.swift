/// A one-line chart of a series, with the eight block characters: `▁▂▃▅▇█`.
///
/// The lowest value maps to `▁` and the highest to `█`; a flat series is drawn at mid height so that
/// "no change" does not read as "nothing".
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public static func render(_ values: [Double]) -> String {
        guard let low = values.min(), let high = values.max() else { return "" }
        let span = high - low
        return String(
            values.map { value -> Character in
                guard span > 0, value.isFinite else { return blocks[3] }
                let index = Int(((value - low) / span * Double(blocks.count - 1)).rounded())
                return blocks[min(max(index, 0), blocks.count - 1)]
            })
    }
}
