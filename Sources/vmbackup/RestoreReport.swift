import APIModel

/// A succeeded restore as the CLI prints it: where each disk went and what it was checked against.
struct RestoreReport {
    var restored: RestoreSummary

    func rendered() -> String {
        var fields: [(String, String)] = [("restored", restored.mode.displayName)]
        if let domain = restored.domain {
            fields.append(("vm", domain + (restored.domainUUID.map { " (\($0))" } ?? "")))
        }
        fields.append(("started", restored.started?.rawValue ?? "no"))
        for file in restored.files { fields.append(("file", file)) }
        let rows = restored.disks.map { disk in
            [
                disk.target, disk.backupID, disk.format, ByteCount.format(disk.virtualSize),
                ByteCount.format(disk.writtenBytes), disk.path,
                disk.checkedDigest.map { String($0.prefix(16)) + "…" } ?? "instant: on " + (disk.backingFile ?? "-"),
            ]
        }
        return FieldList.render(fields) + "\n"
            + TextTable.render(
                header: ["DISK", "BACKUP", "FORMAT", "SIZE", "WRITTEN", "PATH", "CHECKED AGAINST"], rows: rows,
                indent: 2)
    }
}

extension RestoreSummary.Mode {
    fileprivate var displayName: String {
        switch self {
        case .files: "to new image files"
        case .domain: "as a new VM"
        case .inPlace: "in place"
        }
    }
}
