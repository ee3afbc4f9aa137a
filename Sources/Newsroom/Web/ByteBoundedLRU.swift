/// Values bounded by their total size in bytes, least recently used evicted first. Every operation is O(1) (a
/// dictionary lookup plus relinking a doubly linked list kept in an array), so it can sit on the page-view path.
/// Not thread-safe: the owner keeps it behind its lock.
struct ByteBoundedLRU<Key: Hashable, Value> {
    private struct Node {
        var key: Key
        var value: Value?
        var cost: Int
        var newer: Int
        var older: Int
    }
    private static var none: Int { -1 }
    private var nodes: [Node] = []
    private var free: [Int] = []
    private var index: [Key: Int] = [:]
    private var newest = ByteBoundedLRU.none
    private var oldest = ByteBoundedLRU.none
    /// Sum of the costs of the values held; never above `capacity`.
    private(set) var totalCost = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(0, capacity) }

    var count: Int { index.count }

    /// The value, marked as just used.
    mutating func value(for key: Key) -> Value? {
        guard let slot = index[key] else { return nil }
        moveToNewest(slot)
        return nodes[slot].value
    }

    /// The value, leaving its recency alone.
    func peek(_ key: Key) -> Value? { index[key].flatMap { nodes[$0].value } }

    /// Keeps `value` as the most recently used, evicting the least recently used until it fits. A value that costs
    /// more than the whole capacity is not kept (and any older value under the key goes). Returns the evicted keys.
    @discardableResult
    mutating func insert(_ value: Value, for key: Key, cost: Int) -> [Key] {
        removeValue(for: key)
        guard cost <= capacity else { return [] }
        var evicted: [Key] = []
        while totalCost + cost > capacity, oldest != Self.none {
            let key = nodes[oldest].key
            removeValue(for: key)
            evicted.append(key)
        }
        let node = Node(key: key, value: value, cost: cost, newer: Self.none, older: newest)
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
            nodes[slot] = node
        } else {
            slot = nodes.count
            nodes.append(node)
        }
        if newest != Self.none { nodes[newest].newer = slot }
        newest = slot
        if oldest == Self.none { oldest = slot }
        index[key] = slot
        totalCost += cost
        return evicted
    }

    @discardableResult
    mutating func removeValue(for key: Key) -> Value? {
        guard let slot = index.removeValue(forKey: key) else { return nil }
        unlink(slot)
        let value = nodes[slot].value
        nodes[slot].value = nil  // the memory goes now, not when the slot is reused
        totalCost -= nodes[slot].cost
        free.append(slot)
        return value
    }

    mutating func removeAll() { self = ByteBoundedLRU(capacity: capacity) }

    private mutating func moveToNewest(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        nodes[slot].older = newest
        nodes[slot].newer = Self.none
        if newest != Self.none { nodes[newest].newer = slot }
        newest = slot
        if oldest == Self.none { oldest = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let (newer, older) = (nodes[slot].newer, nodes[slot].older)
        if newer != Self.none { nodes[newer].older = older } else { newest = older }
        if older != Self.none { nodes[older].newer = newer } else { oldest = newer }
        nodes[slot].newer = Self.none
        nodes[slot].older = Self.none
    }
}
