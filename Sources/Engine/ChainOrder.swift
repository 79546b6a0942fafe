/// Walks the parent links of a VM's backups (an incremental names its parent).
enum ChainOrder {
    /// Every backup that depends on `id`, directly or through others, ordered so that each comes
    /// before its parent: deleting in this order never leaves a backup without its parent.
    /// Tolerates cycles (each backup appears once) and parents that are not in `backups`.
    static func descendants(of id: String, in backups: [(id: String, parent: String?)]) -> [String] {
        var children: [String: [String]] = [:]
        for backup in backups {
            if let parent = backup.parent { children[parent, default: []].append(backup.id) }
        }
        var seen: Set<String> = [id]
        var order: [String] = []
        // Depth first, each child's subtree before the child itself (post-order).
        func visit(_ node: String) {
            for child in children[node] ?? [] where seen.insert(child).inserted {
                visit(child)
                order.append(child)
            }
        }
        visit(id)
        return order
    }

    /// How many ancestors `id` has among `backups` before its chain's first backup: 0 for a full,
    /// or for a backup whose parent is not among them. Stops at a cycle.
    static func depth(of id: String, in backups: [(id: String, parent: String?)]) -> Int {
        let parents = Dictionary(backups.map { ($0.id, $0.parent) }, uniquingKeysWith: { first, _ in first })
        var seen: Set<String> = [id]
        var depth = 0
        var current = id
        while let parent = parents[current] ?? nil, parents[parent] != nil, seen.insert(parent).inserted {
            depth += 1
            current = parent
        }
        return depth
    }
}
