import APIModel
import Foundation

/// A backup in full, as `vmbackup show` prints it and as a finished backup task reports it: every
/// field, and each disk with its method, format, size, stored bytes, file and SHA-256, or the
/// reason it was left out.
struct BackupReport {
    var backup: BackupSummary

    func rendered() -> String {
        let fields: [(String, String)] = [
            ("backup", backup.id),
            ("name", backup.name ?? "-"),
            ("vm", "\(backup.vmName) (\(backup.vmUUID))"),
            ("created", DisplayDate.format(backup.created)),
            ("parent", backup.parent ?? "-"),
            ("consistency", backup.consistency.rawValue),
            ("protected", backup.protected ? "yes" : "no"),
            ("description", backup.description.map(Self.oneLine) ?? "-"),
            ("target", backup.target ?? TargetSettings.defaultName),
            ("location", backup.location),
            ("verified", Self.verification(backup.verification)),
        ]
        let header = ["TARGET", "METHOD", "FORMAT", "SIZE", "STORED", "FILE", "DIGEST"]
        return FieldList.render(fields) + "disks:\n"
            + TextTable.render(header: header, rows: backup.disks.map(Self.diskRow), indent: 2)
    }

    private static func diskRow(_ disk: DiskSummary) -> [String] {
        if let reason = disk.excluded {
            return [disk.target, "excluded: \(reason)"]
        }
        return [
            disk.target,
            disk.method?.rawValue ?? "-",
            disk.format ?? "-",
            disk.virtualSize.map(ByteCount.format) ?? "-",
            disk.storedBytes.map(ByteCount.format) ?? "-",
            disk.file ?? "-",
            disk.digest ?? disk.sha256.map { "sha256:" + $0 } ?? "-",
        ]
    }

    /// `ok (2026-11-22 02:10:03)`, `FAILED (...): disk vda, offset 3145728: ...`, or `never`.
    static func verification(_ verification: Verification?) -> String {
        guard let verification else { return "never" }
        let when = DisplayDate.format(verification.verified)
        guard !verification.ok else { return "ok (\(when))" }
        return "FAILED (\(when)): " + oneLine(verification.problem?.description ?? "the verification failed")
    }

    /// Free text on one line, so that it stays in its column.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
