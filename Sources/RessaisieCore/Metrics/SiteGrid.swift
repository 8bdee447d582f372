/// Values per (site, slot) — categories, professions, authors — in a flat array when sites × slots is
/// small (one pass, no hashing), in one dictionary per site when it is not, so that a hostile export with
/// thousands of sites and thousands of labels costs memory in proportion to what it holds, not to the
/// product.
struct SiteGrid<Value> {
    static var flatLimit: Int { 1 << 22 }

    let slots: Int
    let zero: Value
    private var flat: [Value]
    private var sparse: [[Int: Value]]
    private let isFlat: Bool

    init(sites: Int, slots: Int, zero: Value) {
        self.slots = slots
        self.zero = zero
        isFlat = sites.multipliedReportingOverflow(by: slots).overflow == false && sites * slots <= Self.flatLimit
        flat = isFlat ? Array(repeating: zero, count: sites * slots) : []
        sparse = isFlat ? [] : Array(repeating: [:], count: sites)
    }

    subscript(site: Int, slot: Int) -> Value {
        get { isFlat ? flat[site * slots + slot] : sparse[site][slot] ?? zero }
        set {
            if isFlat { flat[site * slots + slot] = newValue } else { sparse[site][slot] = newValue }
        }
    }

    /// Calls `body` for each slot of `site` that may hold a value, in slot order.
    func forEach(site: Int, _ body: (Int, Value) -> Void) {
        if isFlat {
            for slot in 0..<slots { body(slot, flat[site * slots + slot]) }
        } else {
            for slot in sparse[site].keys.sorted() { body(slot, sparse[site][slot]!) }
        }
    }
}
