import RessaisieCore

/// Which sites a run analyses (`analyze --shard I/N`, `--site NAME`): one shard of the audit's sites, or the
/// sites named. Entries of other sites are skipped as they are read: neither entries nor rejections.
///
/// A site's shard is `StableHasher.hash(UTF-8 bytes of its name) % N`, numbered from 0 (as Kubernetes'
/// `JOB_COMPLETION_INDEX` and a Slurm array `--array=0-(N-1)` give it): the same on every machine and every run,
/// so N jobs each started with its own index read every site exactly once, with no list of their own
/// (docs/DESIGN.md, "Sharded runs", gives the hash step by step for other tools).
public struct SiteSelection: Sendable, Equatable, CustomStringConvertible {
    public enum Rule: Sendable, Equatable {
        /// Sites whose hash modulo `count` is `index` (0-based).
        case shard(index: Int, count: Int)
        /// Sites named, as written (no folding).
        case named(Set<String>)
    }

    public let rule: Rule

    public init(_ rule: Rule) { self.rule = rule }

    /// `I/N` with 0 ≤ I < N; nil when it is not that.
    public init?(shard text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
            (0..<count).contains(index)
        else { return nil }
        rule = .shard(index: index, count: count)
    }

    /// The shard (0-based) of the site whose name is these bytes, among `count`.
    @inline(__always)
    public static func shard(ofSite name: UnsafeRawBufferPointer, count: Int) -> Int {
        Int(StableHasher.hash(name) % UInt64(count))
    }

    /// The shard (0-based) of a site among `count`.
    public static func shard(ofSite name: String, count: Int) -> Int {
        var copy = name
        return copy.withUTF8 { shard(ofSite: UnsafeRawBufferPointer($0), count: count) }
    }

    /// Whether the site whose name is these bytes (trimmed, as the readers read it) is analysed.
    public func admits(_ name: UnsafeRawBufferPointer) -> Bool {
        switch rule {
        case .shard(let index, let count): Self.shard(ofSite: name, count: count) == index
        case .named(let names): names.contains(String(decoding: name, as: UTF8.self))
        }
    }

    /// Whether the site is analysed.
    public func admits(_ name: String) -> Bool {
        var copy = name
        return copy.withUTF8 { admits(UnsafeRawBufferPointer($0)) }
    }

    /// As the reports say it: `shard 3/8 (0-based)`, `sites ehpad-a, ehpad-b`.
    public var description: String {
        switch rule {
        case .shard(let index, let count): "shard \(index)/\(count) (0-based)"
        case .named(let names): "site\(names.count == 1 ? "" : "s") \(names.sorted().joined(separator: ", "))"
        }
    }
}

/// Per file: which sites of its rows the selection admits, settled once per distinct site (bytes interned), so
/// that a row of another site costs a table lookup and no string.
struct SiteFilter {
    let selection: SiteSelection
    /// The file's own site (its folder), for rows with an empty `site`.
    let admitsFileSite: Bool
    private var seen = ByteStringTable(capacity: 4)
    private var admitted: [Bool] = []
    /// Rows skipped: their site is not selected.
    private(set) var skipped = 0

    init(_ selection: SiteSelection, fileSite: String) {
        self.selection = selection
        admitsFileSite = selection.admits(fileSite)
    }

    /// Whether a row whose `site` value is these bytes (trimmed; empty: the file's site) is read; counts it
    /// skipped when not.
    @inline(__always)
    mutating func admits(_ site: UnsafeRawBufferPointer) -> Bool {
        let verdict: Bool
        if site.isEmpty {
            verdict = admitsFileSite
        } else {
            let (index, inserted) = seen.intern(site)
            if inserted { admitted.append(selection.admits(site)) }
            verdict = admitted[Int(index)]
        }
        if !verdict { skipped += 1 }
        return verdict
    }
}
