import APIModel

/// The bookkeeping of the daemon's exports, without any I/O: which disks of which backups are
/// served (or being started), and which backups are being deleted, so that a mount and a delete
/// of one backup never overlap. ``ExportRegistry`` keeps one behind a lock.
///
/// A backup with an export is in use: deleting or pruning it is refused until the export stops.
/// A backup being deleted cannot be mounted. One disk of one backup is served by one export at a
/// time.
struct ExportTable: Sendable {
    /// A backup, as exports and deletions name it.
    struct BackupKey: Hashable, Sendable {
        var vmUUID: String
        var backupID: String
    }

    private enum Phase: Sendable, Equatable {
        /// qemu-nbd is being started; the export is not listed yet, but its backup is in use.
        case starting
        case serving
    }

    private struct Entry: Sendable {
        var export: ExportSummary
        var phase: Phase
    }

    private var entries: [String: Entry] = [:]
    /// Backups being deleted, each with how many deletions hold it.
    private var deleting: [BackupKey: Int] = [:]
    /// Set when the daemon stops: no export starts any more.
    private(set) var isClosed = false

    /// Records `export` as starting. Throws `shutting_down` once closed, `backup_in_use` while its
    /// backup is being deleted, and `already_exists` when the same disk of the same backup is
    /// served (or being started) already.
    mutating func reserve(_ export: ExportSummary) throws(EngineError) {
        guard !isClosed else {
            throw EngineError(.shuttingDown, "vmbackupd is stopping; it starts no exports any more")
        }
        let backup = BackupKey(vmUUID: export.vmUUID, backupID: export.backupID)
        if deleting[backup] != nil {
            throw EngineError(
                .backupInUse, "backup \(export.backupID) of VM \(export.vmName) is being deleted; it cannot be mounted",
                vm: export.vmName)
        }
        if let other = entries.values.first(where: {
            $0.export.vmUUID == export.vmUUID && $0.export.backupID == export.backupID && $0.export.disk == export.disk
        }) {
            throw EngineError(
                .alreadyExists,
                "disk \(export.disk) of backup \(export.backupID) of VM \(export.vmName) is already served "
                    + "at \(other.export.socket) (export \(other.export.id)); stop it with "
                    + "`vmbackup unmount \(other.export.id)` first",
                vm: export.vmName, disk: export.disk)
        }
        guard entries[export.id] == nil else {
            throw EngineError(.internal, "export id \(export.id) is taken")
        }
        entries[export.id] = Entry(export: export, phase: .starting)
    }

    /// Marks a starting export as served: listed from now on.
    mutating func activate(_ id: String) {
        entries[id]?.phase = .serving
    }

    /// Forgets an export (it stopped, or never started); returns it.
    @discardableResult
    mutating func remove(_ id: String) -> ExportSummary? {
        entries.removeValue(forKey: id)?.export
    }

    /// The export `id` while it is served; nil while it starts or once it stopped.
    func export(_ id: String) -> ExportSummary? {
        guard let entry = entries[id], entry.phase == .serving else { return nil }
        return entry.export
    }

    /// Every served export, oldest first.
    var serving: [ExportSummary] {
        entries.values.filter { $0.phase == .serving }.map(\.export).sorted {
            ($0.started, $0.id) < ($1.started, $1.id)
        }
    }

    /// The ids of every export, served or starting.
    var ids: [String] { Array(entries.keys) }

    /// The backups of `vmUUID` that exports (served or starting) use, each with its exports, oldest
    /// first.
    func backupsInUse(vmUUID: String) -> [String: [ExportSummary]] {
        Dictionary(grouping: entries.values.map(\.export).filter { $0.vmUUID == vmUUID }, by: \.backupID)
            .mapValues { $0.sorted { ($0.started, $0.id) < ($1.started, $1.id) } }
    }

    /// Holds `backups` as being deleted, or throws `backup_in_use`, naming the exports, when an
    /// export uses one of them; then nothing is held.
    mutating func beginDeletion(of backups: [BackupKey], vmName: String) throws(EngineError) {
        let wanted = Set(backups)
        let blocking = entries.values.map(\.export)
            .filter { wanted.contains(BackupKey(vmUUID: $0.vmUUID, backupID: $0.backupID)) }
            .sorted { ($0.backupID, $0.disk) < ($1.backupID, $1.disk) }
        guard blocking.isEmpty else {
            let described = blocking.map { "export \($0.id) serves disk \($0.disk) of backup \($0.backupID)" }
            let commands = blocking.map { "vmbackup unmount \($0.id)" }
            throw EngineError(
                .backupInUse,
                "backup \(Self.list(blocking.map(\.backupID))) of VM \(vmName) is mounted "
                    + "(\(described.joined(separator: "; "))); stop the export first "
                    + "(\(commands.joined(separator: ", "))); nothing was deleted",
                vm: vmName)
        }
        for backup in backups { deleting[backup, default: 0] += 1 }
    }

    /// Releases what ``beginDeletion(of:vmName:)`` held.
    mutating func endDeletion(of backups: [BackupKey]) {
        for backup in backups {
            guard let count = deleting[backup] else { continue }
            deleting[backup] = count > 1 ? count - 1 : nil
        }
    }

    /// Refuses every later ``reserve(_:)``; returns the ids of every export, to be stopped.
    mutating func close() -> [String] {
        isClosed = true
        return ids
    }

    private static func list(_ ids: [String]) -> String {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }.joined(separator: ", ")
    }
}
