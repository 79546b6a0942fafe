/// A backup with the incrementals made on top of it, for `vmbackup list --tree`.
public struct BackupTreeNode: Sendable, Equatable {
    public var backup: CatalogBackup
    /// The incrementals whose parent is ``backup``, oldest first, each with its own.
    public var children: [BackupTreeNode]
    /// Whether the backup names a parent that is not among the backups the tree was built from;
    /// such a backup is shown as a root.
    public var missingParent: Bool

    public init(backup: CatalogBackup, children: [BackupTreeNode] = [], missingParent: Bool = false) {
        self.backup = backup
        self.children = children
        self.missingParent = missingParent
    }

    /// The number of backups in this tree, this one included.
    public var count: Int { children.reduce(1) { $0 + $1.count } }

    /// Arranges `backups` (of one VM) as trees, oldest first at every level.
    ///
    /// Roots are the backups without a parent and those whose parent is not in `backups`.
    /// Every backup appears exactly once: should parents form a loop (only a hand-edited
    /// manifest could), the oldest backup of the loop is shown as a root.
    public static func forest(of backups: [CatalogBackup]) -> [BackupTreeNode] {
        let sorted = backups.sorted(by: CatalogBackup.isOlder)
        let ids = Set(sorted.map(\.id))
        var childrenByParent: [String: [CatalogBackup]] = [:]
        for backup in sorted {
            if let parent = backup.parent, ids.contains(parent) {
                childrenByParent[parent, default: []].append(backup)
            }
        }
        var placed = Set<String>()
        func node(_ backup: CatalogBackup) -> BackupTreeNode {
            placed.insert(backup.id)
            let children = (childrenByParent[backup.id] ?? []).filter { !placed.contains($0.id) }
            children.forEach { placed.insert($0.id) }
            let missingParent = backup.parent.map { !ids.contains($0) } ?? false
            return BackupTreeNode(backup: backup, children: children.map(node), missingParent: missingParent)
        }
        var roots: [BackupTreeNode] = []
        for backup in sorted where backup.parent.map({ !ids.contains($0) }) ?? true {
            roots.append(node(backup))
        }
        for backup in sorted where !placed.contains(backup.id) {
            roots.append(node(backup))
        }
        return roots.sorted { CatalogBackup.isOlder($0.backup, $1.backup) }
    }
}
