import APIModel

/// The backups of a VM as `vmbackup list` prints them: one row each, flat or as a tree.
enum BackupTable {
    static let header = ["ID", "CREATED", "CONSISTENCY", "DISKS", "STORED", "PROT", "NAME"]

    /// The backups in the order given.
    static func render(_ backups: [BackupSummary]) -> String {
        TextTable.render(header: header, rows: backups.map { row($0, label: $0.id) })
    }

    /// The backups under their parents, the ID column drawing the branches; a backup whose parent
    /// is not in the list ends its row with `(parent ID missing)`.
    static func renderTree(_ backups: [BackupSummary]) -> String {
        let rows = BackupTree(backups).rows.map { treeRow in
            row(treeRow.backup, label: treeRow.label) + (treeRow.marker.map { [$0] } ?? [])
        }
        return TextTable.render(header: header, rows: rows)
    }

    private static func row(_ backup: BackupSummary, label: String) -> [String] {
        let stored = backup.disks.filter { $0.excluded == nil }
        return [
            label,
            DisplayDate.format(backup.created),
            backup.consistency.rawValue,
            stored.isEmpty ? "-" : stored.map(\.target).joined(separator: ","),
            ByteCount.format(stored.reduce(0) { $0 + ($1.storedBytes ?? 0) }),
            backup.protected ? "yes" : "",
            backup.name ?? "-",
        ]
    }
}
