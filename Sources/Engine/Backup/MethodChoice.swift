import APIModel
import Snapshots

/// Chooses each disk's snapshot method (DESIGN.md "Snapshot methods"): by what the disk is, as
/// ``SnapshotMethods`` orders them, unless overridden; an override that cannot work is an error
/// before anything is frozen.
enum MethodChoice {
    static func choose(
        kind: DiskKind, facts: DiskFacts, override: SnapshotMethodName?, domainRunning: Bool, disk: String, vm: String
    ) throws(EngineError) -> SnapshotMethodName {
        if let override, let reason = impossibility(of: override, kind: kind, facts: facts) {
            throw EngineError(
                .badRequest, "disk \(disk) of VM \(vm) cannot use the \(override.rawValue) method: \(reason)",
                step: .plan, vm: vm, disk: disk)
        }
        guard domainRunning else { return .offline }
        if let override { return override }
        guard let method = SnapshotMethods.defaultMethod(kind: kind, facts: facts) else {
            throw EngineError(
                .badRequest,
                "disk \(disk) of VM \(vm) is a block device that is not a logical volume: no method can snapshot it; exclude it",
                step: .plan, vm: vm, disk: disk)
        }
        return method
    }

    /// Why `method` cannot snapshot such a disk, or nil when it can.
    static func impossibility(of method: SnapshotMethodName, kind: DiskKind, facts: DiskFacts) -> String? {
        SnapshotMethods.type(named: method).impossibility(kind: kind, facts: facts)
    }
}
