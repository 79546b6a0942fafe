import APIModel

/// The backups of a VM as `vmbackup list` prints them: one row each, flat or as a tree.
enum BackupTable {
    static let header = ["ID", "CREATED", "LEVEL", "CONSISTENCY", "DISKS", "STORED", "PROT", "VERIFIED", "NAME"]

    /// The backups in the order given. A TARGET column comes before NAME when a backup lies on a
    /// target other than `default`.
    static func render(_ backups: [BackupSummary]) -> String {
        let targets = showsTargets(backups)
        return TextTable.render(
            header: header(targets: targets), rows: backups.map { row($0, label: $0.id, target: targets) })
            + fullReasons(backups)
    }

    /// The backups under their parents, the ID column drawing the branches; a backup whose parent
    /// is not in the list ends its row with `(parent ID missing)`.
    static func renderTree(_ backups: [BackupSummary]) -> String {
        let targets = showsTargets(backups)
        let rows = BackupTree(backups).rows.map { treeRow in
            row(treeRow.backup, label: treeRow.label, target: targets) + (treeRow.marker.map { [$0] } ?? [])
        }
        return TextTable.render(header: header(targets: targets), rows: rows) + fullReasons(backups)
    }

    /// Under the table, for each backup made full although a level with a parent was asked:
    /// `* 20261124T013000Z-1b2c is full: backup 20261123T013000Z-77aa in the chain failed verification`.
    private static func fullReasons(_ backups: [BackupSummary]) -> String {
        backups.compactMap { backup in
            backup.fullReason.map { "* \(backup.id) is full: \(BackupReport.oneLine($0))\n" }
        }.joined()
    }

    private static func showsTargets(_ backups: [BackupSummary]) -> Bool {
        backups.contains { ($0.target ?? TargetSettings.defaultName) != TargetSettings.defaultName }
    }

    private static func header(targets: Bool) -> [String] {
        targets ? header.dropLast() + ["TARGET", "NAME"] : header
    }

    /// `ok` or `FAILED` with the day of the last verification; `-` for a backup never verified.
    static func verified(_ verification: Verification?) -> String {
        guard let verification else { return "-" }
        let day = String(DisplayDate.format(verification.verified).prefix(10))
        return (verification.ok ? "ok " : "FAILED ") + day
    }

    private static func row(_ backup: BackupSummary, label: String, target: Bool) -> [String] {
        let stored = backup.disks.filter { $0.excluded == nil }
        return [
            label,
            DisplayDate.format(backup.created),
            (backup.level ?? .full).rawValue + (backup.fullReason == nil ? "" : "*"),
            backup.consistency.rawValue,
            stored.isEmpty ? "-" : stored.map(\.target).joined(separator: ","),
            ByteCount.format(stored.reduce(0) { $0 + ($1.storedBytes ?? 0) }),
            backup.protected ? "yes" : "",
            verified(backup.verification),
        ] + (target ? [backup.target ?? TargetSettings.defaultName] : []) + [backup.name ?? "-"]
    }
}
