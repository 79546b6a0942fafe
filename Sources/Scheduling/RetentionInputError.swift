/// Why a VM's list of backups cannot be planned for.
public enum RetentionInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Two backups have the same id.
    case duplicateID(String)
    /// Following parents from these backups leads back to where it started: no order removes them
    /// without orphaning one. The ids are sorted.
    case cyclicChain([String])

    public var description: String {
        switch self {
        case .duplicateID(let id):
            "backup \(id) is listed twice; refusing to plan retention"
        case .cyclicChain(let ids):
            "backups \(ids.joined(separator: ", ")) are each other's parents in a cycle; refusing to plan retention"
        }
    }
}
