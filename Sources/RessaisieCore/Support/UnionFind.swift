/// Disjoint sets over `0..<count` with path halving and union by size.
public struct UnionFind: Sendable {
    private var parent: [UInt32]
    private var size: [UInt32]

    public init(count: Int) {
        parent = (0..<UInt32(count)).map { $0 }
        size = Array(repeating: 1, count: count)
    }

    public var count: Int { parent.count }

    public mutating func find(_ element: UInt32) -> UInt32 {
        var node = element
        while parent[Int(node)] != node {
            let grandparent = parent[Int(parent[Int(node)])]
            parent[Int(node)] = grandparent
            node = grandparent
        }
        return node
    }

    /// Joins the sets of `a` and `b`; returns the new root.
    @discardableResult
    public mutating func union(_ a: UInt32, _ b: UInt32) -> UInt32 {
        var rootA = find(a), rootB = find(b)
        if rootA == rootB { return rootA }
        if size[Int(rootA)] < size[Int(rootB)] { swap(&rootA, &rootB) }
        parent[Int(rootB)] = rootA
        size[Int(rootA)] += size[Int(rootB)]
        return rootA
    }
}
