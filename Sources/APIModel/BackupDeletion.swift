/// What `DELETE /v1/vms/{vm}/backups/{id}` does with the backups that depend on the one named
/// (its incrementals, and theirs): the `children` query parameter.
public enum ChildrenDeletion: String, Codable, Sendable, CaseIterable {
    /// Delete the backup and every backup that depends on it.
    case delete
    /// Delete only the backups that depend on it; keep the backup itself.
    case only
}

/// The answer of `DELETE /v1/vms/{vm}/backups/{id}`: the ids deleted, in the order they were
/// (children before their parents).
public struct BackupDeletion: Codable, Sendable, Equatable {
    public var deleted: [String]

    public init(deleted: [String]) {
        self.deleted = deleted
    }
}
