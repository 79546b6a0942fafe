import Foundation

/// What to do with each of a VM's backups: which to keep and why, and which to remove in which
/// order.
public struct RetentionPlan: Sendable, Equatable {
    /// Whether a backup stays.
    public enum Action: String, Sendable, Hashable {
        case keep
        /// Removed; no kept backup reads through it.
        case remove
        /// Removed after merging it into the kept backups made on top of it (``Row/mergeInto``),
        /// which absorb what they read from it.
        case merge
    }

    /// One backup of the plan, as a dry-run table shows it.
    public struct Row: Sendable, Equatable {
        public let id: String
        public let created: Date
        public let action: Action
        /// Why the backup is kept; empty for a backup to remove.
        public let reasons: [RetentionReason]
        /// For ``Action/merge``: the kept backups that read through it, directly or through other
        /// removed backups, newest first; they absorb its data. Empty otherwise.
        public let mergeInto: [String]

        init(id: String, created: Date, action: Action, reasons: [RetentionReason], mergeInto: [String] = []) {
            self.id = id
            self.created = created
            self.action = action
            self.reasons = reasons
            self.mergeInto = mergeInto
        }
    }

    /// A kept backup and why it is kept.
    public struct KeptBackup: Sendable, Equatable {
        public let id: String
        /// Never empty. The backup's own reason comes first (protected, failed verification, the
        /// keep option that selects it, or no policy), then `newest` if it is the newest good
        /// backup, then `neededBy` for each kept backup that is a direct increment on it, newest
        /// first.
        public let reasons: [RetentionReason]
    }

    /// Every backup, newest first.
    public let rows: [Row]

    /// The ids of the backups to remove (merged ones included), in the order to remove them:
    /// every backup comes after all of its descendants, so stopping part way never leaves an
    /// increment without its parent, and each merge rewrites only kept backups. Among backups at
    /// the same depth of their chains, the oldest comes first.
    public let remove: [String]

    init(rows: [Row], remove: [String]) {
        self.rows = rows
        self.remove = remove
    }

    /// The backups to keep, newest first, each with why.
    public var keep: [KeptBackup] {
        rows.filter { $0.action == .keep }.map { KeptBackup(id: $0.id, reasons: $0.reasons) }
    }

    /// Why the backup `id` is kept; `nil` when it is removed or not part of the plan.
    public func reasons(for id: String) -> [RetentionReason]? {
        rows.first { $0.id == id && $0.action == .keep }?.reasons
    }
}
