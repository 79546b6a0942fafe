import Foundation

/// What `BackupTarget.removePartial` did.
public enum PartialRemoval: Sendable, Equatable {
    /// The work in progress was removed.
    case removed
    /// There was no such work in progress.
    case absent
    /// The work is marked as another daemon's or host's (the directory target: the partial
    /// folder's `owner.json`); it was left alone.
    case leftAlone(WorkOwner)
}

/// What `BackupTarget.sweep` removed, finished or left alone, for the log. Every entry names
/// where the leftover lies (the directory target's: a full path).
public struct SweepReport: Sendable, Equatable {
    /// The `.partial-<id>` folders removed.
    public var partials: [String]
    /// The `.deleting-<id>` folders whose removal was finished.
    public var deletions: [String]
    /// The `.manifest.json.new` files removed from published backups.
    public var manifestScratch: [String]
    /// Leftovers that may be another daemon's work in progress, each with why it was left:
    /// `<path> (<reason>)`.
    public var leftAlone: [String]
    /// What could not be removed or looked at, and leftovers that were not in the expected
    /// state (a `.partial-<id>` that is not a folder, say) and were left alone.
    public var problems: [String]

    public init(
        partials: [String] = [], deletions: [String] = [], manifestScratch: [String] = [],
        leftAlone: [String] = [], problems: [String] = []
    ) {
        self.partials = partials
        self.deletions = deletions
        self.manifestScratch = manifestScratch
        self.leftAlone = leftAlone
        self.problems = problems
    }

    /// Whether the sweep found nothing to do, nothing to leave and nothing wrong.
    public var isEmpty: Bool {
        partials.isEmpty && deletions.isEmpty && manifestScratch.isEmpty && leftAlone.isEmpty
            && problems.isEmpty
    }
}
