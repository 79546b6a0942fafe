/// The name of a checkpoint the daemon made: `vmbackup-<backupID>`.
///
/// Checkpoints of other tools (virtnbdbackup's `virtnbdbackup.N`, an administrator's own) share the
/// domain's list. The daemon creates and deletes only names of this shape, so it never removes a
/// checkpoint, and with it a dirty bitmap, that someone else relies on.
public struct CheckpointName: Sendable, Hashable, CustomStringConvertible {
    /// What every checkpoint name of the daemon starts with.
    public static let prefix = "vmbackup-"

    /// The name as libvirt knows it, e.g. `vmbackup-20261122T013000Z-3f9a`.
    public let rawValue: String

    /// The checkpoint of the backup `backupID`.
    public init(backupID: String) {
        rawValue = Self.prefix + backupID
    }

    /// The name if it is one of the daemon's (the prefix and something after it), else `nil`.
    public init?(_ name: String) {
        guard name.hasPrefix(Self.prefix), name.count > Self.prefix.count else { return nil }
        rawValue = name
    }

    /// The backup id after the prefix.
    public var backupID: String { String(rawValue.dropFirst(Self.prefix.count)) }

    public var description: String { rawValue }
}
