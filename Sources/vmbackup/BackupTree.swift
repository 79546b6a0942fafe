import APIModel

/// The backups of a VM drawn as trees of parents and the backups made on top of them, for
/// `vmbackup list --tree`:
///
/// ```
/// 20261122T013000Z-3f9a
/// ├─ 20261123T013000Z-77aa
/// │  └─ 20261124T013000Z-1b2c
/// └─ 20261125T013000Z-9d0e
/// 20261126T013000Z-4e5f  (parent 20261101T013000Z-0000 missing)
/// ```
///
/// Built from the flat list's `parent` fields alone. Roots are the backups without a parent and
/// those whose parent is not in the list. Every backup is drawn exactly once: should parents form a
/// loop, the first backup of the loop in the list is drawn as a root.
struct BackupTree {
    /// One backup, in the order drawn.
    struct Row: Equatable {
        var backup: BackupSummary
        /// What to draw before the id: `├─ `, `│  └─ `; empty for a root.
        var branch: String
        /// The parent the backup names that is not in the list.
        var missingParent: String?

        /// The branch and the id: `│  └─ 20261124T013000Z-1b2c`.
        var label: String { branch + backup.id }

        /// `(parent ID missing)` for a backup whose parent is not in the list.
        var marker: String? { missingParent.map { "(parent \($0) missing)" } }
    }

    var rows: [Row]

    /// Arranges `backups` as trees: roots in the order of the list, each followed by its children
    /// (in the order of the list), depth first.
    init(_ backups: [BackupSummary]) {
        let ids = Set(backups.map(\.id))
        var childrenByParent: [String: [BackupSummary]] = [:]
        for backup in backups {
            if let parent = backup.parent, ids.contains(parent) {
                childrenByParent[parent, default: []].append(backup)
            }
        }
        var rows: [Row] = []
        var drawn = Set<String>()
        func draw(_ backup: BackupSummary, branch: String, indent: String) {
            guard drawn.insert(backup.id).inserted else { return }
            let missingParent = backup.parent.flatMap { ids.contains($0) ? nil : $0 }
            rows.append(Row(backup: backup, branch: branch, missingParent: missingParent))
            let children = (childrenByParent[backup.id] ?? []).filter { !drawn.contains($0.id) }
            for (index, child) in children.enumerated() {
                let isLast = index == children.count - 1
                draw(child, branch: indent + (isLast ? "└─ " : "├─ "), indent: indent + (isLast ? "   " : "│  "))
            }
        }
        for backup in backups where backup.parent.map({ !ids.contains($0) }) ?? true {
            draw(backup, branch: "", indent: "")
        }
        for backup in backups where !drawn.contains(backup.id) {
            draw(backup, branch: "", indent: "")
        }
        self.rows = rows
    }
}
