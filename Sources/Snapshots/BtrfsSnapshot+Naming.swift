extension BtrfsSnapshot {
    /// The start of every snapshot subvolume's name; recovery finds leftovers by it.
    public static let snapshotNamePrefix = ".vmbackup-"

    /// Where the snapshot of `subvolume` for one backup goes: inside the subvolume itself,
    /// `<subvolume>/.vmbackup-<backupID>`.
    ///
    /// Inside, not beside: a snapshot must be on the same filesystem as its source, and the folder
    /// beside a subvolume that is a mount point (a btrfs mounted at /var/lib/libvirt/images, say)
    /// is on another filesystem. One name per backup and subvolume; the snapshot of the subvolume
    /// shows other backups' snapshots inside it only as empty folders.
    public static func snapshotPath(forSubvolume subvolume: String, backupID: String) -> String {
        var folder = subvolume
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        let name = snapshotNamePrefix + backupID
        return folder == "/" ? "/" + name : folder + "/" + name
    }

    /// The backup id in a path made by `snapshotPath`, `nil` when its last component does not
    /// carry the marker.
    public static func backupID(fromSnapshotPath path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        guard name.hasPrefix(snapshotNamePrefix) else { return nil }
        let id = String(name.dropFirst(snapshotNamePrefix.count))
        return id.isEmpty ? nil : id
    }

    /// Whether `backupID` can be part of one file name.
    static func isUsableInFileName(_ backupID: String) -> Bool {
        !backupID.isEmpty && !backupID.contains("/") && !backupID.contains("\0")
            && (snapshotNamePrefix + backupID).utf8.count <= 255
    }
}
