import APIModel
import Foundation

/// A backup as the CLI prints it once made: id, consistency, folder, and each disk.
struct BackupReport {
    var backup: BackupSummary

    func rendered() -> String {
        var fields: [(String, String)] = [("backup", backup.id)]
        if let name = backup.name {
            fields.append(("name", name))
        }
        fields += [
            ("vm", backup.vmName),
            ("created", DisplayDate.format(backup.created)),
            ("consistency", backup.consistency.rawValue),
            ("location", backup.location),
        ]
        return FieldList.render(fields) + "disks:\n" + TextTable.render(rows: backup.disks.map(Self.diskRow), indent: 2)
    }

    private static func diskRow(_ disk: DiskSummary) -> [String] {
        if let reason = disk.excluded {
            return [disk.target, "excluded: \(reason)"]
        }
        return [
            disk.target,
            disk.virtualSize.map(ByteCount.format) ?? "size unknown",
            "stored " + (disk.storedBytes.map(ByteCount.format) ?? "unknown"),
            "sha256 " + (disk.sha256 ?? "unknown"),
        ]
    }
}
