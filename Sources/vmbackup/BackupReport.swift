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
            ("level", Self.level(backup)),
            ("parent", backup.parent ?? "-"),
            ("chain depth", backup.chainDepth.map(String.init) ?? "-"),
            ("stored", Self.storedVersusVisible(backup.disks)),
            ("consistency", backup.consistency.rawValue),
            ("protected", backup.protected ? "yes" : "no"),
            ("description", backup.description.map(Self.oneLine) ?? "-"),
            ("target", backup.target ?? TargetSettings.defaultName),
            ("location", backup.location),
            ("verified", Self.verification(backup.verification)),
        ]
        let header = ["TARGET", "METHOD", "FORMAT", "SIZE", "STORED", "FILE", "BACKING FILE", "DIGEST"]
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
            disk.backingFile ?? "-",
            disk.digest ?? disk.sha256.map { "sha256:" + $0 } ?? "-",
        ]
    }

    /// `incremental`, or `full (the VM has no earlier backup)` when a full was made instead.
    static func level(_ backup: BackupSummary) -> String {
        let level = backup.level?.rawValue ?? BackupLevel.full.rawValue
        guard let reason = backup.fullReason else { return level }
        return "\(level) (\(oneLine(reason)))"
    }

    /// `64.0 MiB of 4.0 GiB guest-visible`: what the backup itself stores against the size of
    /// the disks it restores.
    static func storedVersusVisible(_ disks: [DiskSummary]) -> String {
        let stored = disks.compactMap(\.storedBytes).reduce(0, +)
        let visible = disks.compactMap(\.virtualSize).reduce(0, +)
        return "\(ByteCount.format(stored)) of \(ByteCount.format(visible)) guest-visible"
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
