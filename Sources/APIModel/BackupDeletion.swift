/// What `DELETE /v1/vms/{vm}/backups/{id}` does with the backups that depend on the one named
/// (its incrementals, and theirs): the `children` query parameter.
public enum ChildrenDeletion: String, Codable, Sendable, CaseIterable {
    /// Delete the backup and merge it into its children: each child first absorbs what it read
    /// from the backup, so every other backup keeps its content. The default.
    case merge
    /// Delete the backup and every backup that depends on it.
    case delete
    /// Delete only the backups that depend on it; keep the backup itself.
    case only
}

/// The answer of `DELETE /v1/vms/{vm}/backups/{id}`: the ids deleted, in the order they were
/// (children before their parents), and the children that absorbed the deleted backup's data
/// (a merge).
public struct BackupDeletion: Codable, Sendable, Equatable {
    public var deleted: [String]
    /// The backups that were made independent of a deleted one: their images now hold what they
    /// read from it, and their parent is its parent.
    public var merged: [String]

    public init(deleted: [String], merged: [String] = []) {
        self.deleted = deleted
        self.merged = merged
    }
}
