/// The body of `POST /v1/vms/{vm}/backups`. Every field is optional.
public struct BackupRequest: Codable, Sendable, Equatable {
    /// A human name for the backup.
    public var name: String?
    /// Target devs (`vda`) of the disks to back up; all writable disks when absent.
    public var disks: [String]?
    /// Target devs of disks to leave out.
    public var exclude: [String]?
    public var quiesce: QuiescePolicy?

    public init(name: String? = nil, disks: [String]? = nil, exclude: [String]? = nil, quiesce: QuiescePolicy? = nil) {
        self.name = name
        self.disks = disks
        self.exclude = exclude
        self.quiesce = quiesce
    }
}
