/// One disk a running pull-mode backup exports, as the job's XML describes it.
public struct BackupJobDisk: Sendable, Equatable {
    /// The target dev, e.g. `vda`.
    public var name: String
    /// The NBD export name to connect to (`exportname`; libvirt's default is the target dev).
    public var exportName: String
    /// The dirty bitmap the export offers as the `qemu:dirty-bitmap:<bitmap>` meta context
    /// (`exportbitmap`, e.g. `backup-vda`): set for an incremental backup, `nil` for a full one.
    public var exportBitmap: String?
    /// The checkpoint the disk's changes are counted from (`incremental`), `nil` for a full one.
    public var incrementalSince: String?
    /// The scratch file QEMU copies overwritten blocks into.
    public var scratchPath: String?

    public init(
        name: String, exportName: String, exportBitmap: String?, incrementalSince: String?, scratchPath: String?
    ) {
        self.name = name
        self.exportName = exportName
        self.exportBitmap = exportBitmap
        self.incrementalSince = incrementalSince
        self.scratchPath = scratchPath
    }
}
