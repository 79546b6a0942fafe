import Foundation

/// One existing backup of a VM, as the retention logic sees it.
public struct RetentionCandidate: Sendable, Hashable {
    /// The backup's id, unique among the VM's backups.
    public var id: String
    /// When the backup was taken.
    public var created: Date
    /// The backup this one is an increment on, or `nil` for a full backup.
    public var parent: String?
    /// A protected backup is always kept and fills no keep slot.
    public var isProtected: Bool
    /// Whether the backup can be restored as far as is known: `false` when its verification
    /// failed. A backup that is not good never fills a keep slot, and is kept, like a protected
    /// one, until someone deletes it by hand.
    public var isGood: Bool
    /// Whether the backup's images may be rewritten (a removed parent merged into them): `false`
    /// while something reads them in place (an instant copy, an export). A kept backup that may
    /// not be rewritten keeps every ancestor it reads through.
    public var isRewritable: Bool

    public init(
        id: String, created: Date, parent: String? = nil, isProtected: Bool = false, isGood: Bool = true,
        isRewritable: Bool = true
    ) {
        self.id = id
        self.created = created
        self.parent = parent
        self.isProtected = isProtected
        self.isGood = isGood
        self.isRewritable = isRewritable
    }
}
