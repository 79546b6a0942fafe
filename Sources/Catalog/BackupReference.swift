import Targets

/// How a request names one backup of a VM: by its id, by the keyword `latest`, or by its name.
///
/// The rules, in order:
/// 1. a backup whose id is exactly the text is the one named;
/// 2. `latest` names the VM's newest backup (by creation time, then id), even when a backup is
///    also called `latest`: the keyword wins, and new backups cannot be given that name;
/// 3. otherwise the text is a name: the one backup with exactly that name (case included) is
///    the one named; several backups with that name are ambiguous, and must be named by id.
///
/// Pure: it resolves against the backups it is given, so the catalog's callers and the tests
/// drive it alike.
public struct BackupReference: Sendable, Hashable, CustomStringConvertible {
    /// The keyword that names a VM's newest backup.
    public static let latest = "latest"

    /// The text as the request gave it.
    public var text: String

    public init(_ text: String) {
        self.text = text
    }

    public var description: String { text }

    /// Whether the text is the keyword `latest`.
    public var isLatest: Bool { text == Self.latest }

    /// Why a reference could not name exactly one backup.
    public enum Failure: Error, Sendable, Equatable {
        /// No backup has the text as its id or its name (or, for `latest`, the VM has no backups).
        case notFound
        /// Several backups have the text as their name: their ids, oldest first.
        case ambiguous(ids: [String])
    }

    /// The one backup among `backups` (those of one VM) that the reference names.
    public func resolve(in backups: [CatalogBackup]) throws(Failure) -> CatalogBackup {
        if let exact = backups.first(where: { $0.id == text }) { return exact }
        if isLatest {
            guard let newest = backups.max(by: CatalogBackup.isOlder) else { throw .notFound }
            return newest
        }
        let named = backups.filter { $0.name == text }.sorted(by: CatalogBackup.isOlder)
        guard let first = named.first else { throw .notFound }
        guard named.count == 1 else { throw .ambiguous(ids: named.map(\.id)) }
        return first
    }

    /// Why no backup may be called `name`, or `nil` when it may: a backup called `latest`, or
    /// by something of the form of a backup id, could never be named by its name, since the
    /// keyword and ids come first. An empty name (no name) is fine.
    public static func unreachableName(_ name: String) -> String? {
        if name == latest {
            return "a backup cannot be named \(name.debugDescription): that word names a VM's newest backup"
        }
        if BackupID(validating: name) != nil {
            return "a backup cannot be named \(name.debugDescription): that is the form of a backup id"
        }
        return nil
    }
}
