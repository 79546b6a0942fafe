import APIModel

/// Every snapshot method, in the order the default choice asks them (DESIGN.md "Snapshot
/// methods"): a logical volume gets `lvm`, a file on btrfs `btrfs`, any other file `qcow2`;
/// `reflink` only by choice, `offline` by itself for a shut-off domain.
///
/// Adding a method adds its type here and its name to `SnapshotMethodName`; planning, jobs and
/// recovery take it from this list.
public enum SnapshotMethods {
    public static let registered: [any SnapshotMethod.Type] = [
        LVMSnapshot.self, BtrfsSnapshot.self, Qcow2Overlay.self, ReflinkCopy.self, OfflineImage.self,
    ]

    /// The type of the method called `name`.
    public static func type(named name: SnapshotMethodName) -> any SnapshotMethod.Type {
        guard let type = registered.first(where: { $0.methodName == name }) else {
            preconditionFailure("snapshot method \(name.rawValue) is not registered")
        }
        return type
    }

    /// The method called `name`, built for one VM.
    public static func make(_ name: SnapshotMethodName, _ environment: SnapshotEnvironment) -> any SnapshotMethod {
        type(named: name).init(environment)
    }

    /// The method chosen by itself for such a disk of a running domain, or `nil` when none fits.
    public static func defaultMethod(kind: DiskKind, facts: DiskFacts) -> SnapshotMethodName? {
        registered.first { $0.isDefault(kind: kind, facts: facts) }?.methodName
    }
}
