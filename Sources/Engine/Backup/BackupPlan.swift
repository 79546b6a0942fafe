import APIModel
import Libvirt
import Snapshots
import Targets

/// What one backup will do: which disks, by which method, and which are left out and why.
public struct BackupPlan: Sendable, Equatable {
    public var vmName: String
    public var vmUUID: String
    public var domainRunning: Bool
    public var quiesce: QuiescePolicy
    public var selected: [SelectedDisk]
    /// Disks that are not backed up, each with `excluded` set to the reason.
    public var excluded: [DiskSummary]

    /// Chooses the disks and their methods (DESIGN.md "One backup, step by step", step 1).
    ///
    /// Pure: throws `bad_request` for names that are not disks of the domain and
    /// `nothing_to_back_up` when no disk is left.
    public static func make(
        vmName: String, vmUUID: String, disks: [DomainDisk], domainRunning: Bool, request: BackupRequest,
        defaultQuiesce: QuiescePolicy = .preferred, facts: [String: DiskFacts] = [:]
    ) throws(EngineError) -> BackupPlan {
        let known = disks.map(\.target)
        let listed = known.joined(separator: ", ")
        let named = (request.disks ?? []) + (request.exclude ?? []) + (request.methods.map { Array($0.keys) } ?? [])
        for name in named where !known.contains(name) {
            throw EngineError(.badRequest, "VM \(vmName) has no disk named \(name) (its disks: \(listed))")
        }
        if let wanted = request.disks, let both = wanted.first(where: { request.exclude?.contains($0) == true }) {
            throw EngineError(.badRequest, "disk \(both) is both selected and excluded")
        }
        var selected: [SelectedDisk] = []
        var excluded: [DiskSummary] = []
        for disk in disks {
            if let reason = skipReason(disk) {
                if request.disks?.contains(disk.target) == true {
                    throw EngineError(
                        .badRequest, "disk \(disk.target) of VM \(vmName) cannot be backed up: \(reason)")
                }
                excluded.append(DiskSummary(target: disk.target, excluded: reason))
                continue
            }
            if request.exclude?.contains(disk.target) == true {
                excluded.append(DiskSummary(target: disk.target, excluded: "excluded by request"))
                continue
            }
            if let wanted = request.disks, !wanted.contains(disk.target) {
                excluded.append(DiskSummary(target: disk.target, excluded: "not selected by request"))
                continue
            }
            selected.append(
                try select(
                    disk, vmName: vmName, domainRunning: domainRunning, override: request.methods?[disk.target],
                    facts: facts[disk.target] ?? DiskFacts()))
        }
        if selected.isEmpty {
            throw EngineError(
                .nothingToBackUp,
                "VM \(vmName) has no disk left to back up"
                    + (excluded.isEmpty
                        ? ""
                        : " (" + excluded.map { "\($0.target): \($0.excluded ?? "")" }.joined(separator: "; ") + ")"))
        }
        return BackupPlan(
            vmName: vmName, vmUUID: vmUUID, domainRunning: domainRunning,
            quiesce: request.quiesce ?? defaultQuiesce, selected: selected, excluded: excluded)
    }

    /// Why a disk is never backed up, or `nil` when it can be.
    static func skipReason(_ disk: DomainDisk) -> String? {
        switch disk.device {
        case "cdrom": return "cdrom"
        case "floppy": return "floppy"
        case "lun": return "passthrough LUN"
        default: break
        }
        switch disk.type {
        case "network": return "network disk"
        case "file", "block": break
        default: return "\(disk.type) disk not supported"
        }
        if disk.readOnly { return "read-only disk" }
        if disk.sourcePath?.isEmpty ?? true { return "no source (empty drive)" }
        return nil
    }

    private static func select(
        _ disk: DomainDisk, vmName: String, domainRunning: Bool, override: SnapshotMethodName?, facts: DiskFacts
    ) throws(EngineError) -> SelectedDisk {
        guard PathSafety.isSafeComponent(disk.target) else {
            throw EngineError(
                .badRequest, "VM \(vmName) has a disk target \(disk.target.debugDescription) that cannot name a file")
        }
        let kind: DiskKind = disk.type == "block" ? .block : .file
        let format = disk.format ?? "raw"
        guard format == "qcow2" || format == "raw" else {
            throw EngineError(
                .badRequest,
                "disk \(disk.target) of VM \(vmName) has format \(format); only qcow2 and raw are supported")
        }
        let method = try MethodChoice.choose(
            kind: kind, facts: facts, override: override, domainRunning: domainRunning, disk: disk.target, vm: vmName)
        return SelectedDisk(
            target: disk.target, kind: kind, sourcePath: disk.sourcePath ?? "", format: format, method: method)
    }
}
