/// The incremental chains among a VM's backups: who is whose parent, and how deep each backup
/// sits below its full backup.
struct RetentionChains {
    /// Each backup's parent, where that parent is among the backups.
    private let parents: [String: String]
    /// How many ancestors among the backups each backup has: 0 for a full backup, or for one
    /// whose parent is not among them.
    let depths: [String: Int]

    /// - Throws: ``RetentionInputError/cyclicChain(_:)`` when parents form a cycle.
    init(_ backups: [RetentionCandidate]) throws(RetentionInputError) {
        let ids = Set(backups.map(\.id))
        var parents: [String: String] = [:]
        for backup in backups {
            if let parent = backup.parent, ids.contains(parent) { parents[backup.id] = parent }
        }
        var depths: [String: Int] = [:]
        for backup in backups where depths[backup.id] == nil {
            // Climb until a backup of known depth or a root, then assign depths on the way down.
            var path: [String] = []
            var onPath: [String: Int] = [:]
            var current: String? = backup.id
            var base = -1
            while let id = current {
                if let depth = depths[id] {
                    base = depth
                    break
                }
                if let start = onPath[id] { throw .cyclicChain(path[start...].sorted()) }
                onPath[id] = path.count
                path.append(id)
                current = parents[id]
            }
            for (offset, id) in path.reversed().enumerated() { depths[id] = base + 1 + offset }
        }
        self.parents = parents
        self.depths = depths
    }

    /// The parent of `id`, when it is among the backups.
    func parent(of id: String) -> String? { parents[id] }
}
