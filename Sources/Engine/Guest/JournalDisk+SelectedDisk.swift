import Catalog
import Snapshots

/// A selected disk as the journal records it, and back: what a job journals before it changes
/// anything is what recovery needs to find the job's snapshots.
extension JournalDisk {
    init(_ disk: SelectedDisk) {
        self.init(
            target: disk.target, kind: disk.kind.rawValue, sourcePath: disk.sourcePath, format: disk.format,
            method: disk.method)
    }
}

extension SelectedDisk {
    init(_ disk: JournalDisk) {
        self.init(
            target: disk.target, kind: DiskKind(rawValue: disk.kind) ?? .file, sourcePath: disk.sourcePath,
            format: disk.format, method: disk.method)
    }
}
