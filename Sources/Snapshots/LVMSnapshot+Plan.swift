import LVM

/// One disk's snapshot as planned: the volume it runs on and the snapshot's size.
struct PlannedLVMSnapshot: Sendable {
    var disk: SelectedDisk
    var origin: LogicalVolumeReference
    var originBytes: UInt64
    var isThin: Bool
    /// The thick snapshot's size; `nil` for a thin snapshot.
    var sizeBytes: UInt64?
}

extension LVMSnapshot {
    /// Checks, before anything is frozen, that every disk is a block device on an active logical
    /// volume and that each volume group has room for the thick snapshots this backup would make
    /// in it. Creates nothing.
    ///
    /// - Throws: `SnapshotError` naming the disk and the problem; for a volume group without room,
    ///   its free space and the size the snapshots need.
    public func check(_ disks: [SelectedDisk]) async throws {
        _ = try await plan(disks)
    }

    /// Finds each disk's volume and sizes its snapshot.
    func plan(_ disks: [SelectedDisk]) async throws -> [PlannedLVMSnapshot] {
        guard policy.isUsable else {
            throw failure(
                .snapshot, disks: disks.map(\.target),
                message: "LVM snapshot fraction \(policy.fraction) is not a number of 0 or more")
        }
        var plans: [PlannedLVMSnapshot] = []
        for disk in disks {
            let origin = try await originVolume(of: disk)
            guard let reference = origin.reference else {
                throw failure(.snapshot, disks: [disk.target], message: "volume \(origin.name) has no usable name")
            }
            if let other = plans.first(where: { $0.origin == reference }) {
                throw failure(
                    .snapshot, disks: [disk.target],
                    message: "runs on \(reference) like disk \(other.disk.target); a volume is snapshotted once")
            }
            plans.append(
                PlannedLVMSnapshot(
                    disk: disk, origin: reference, originBytes: origin.sizeBytes, isThin: origin.isThin))
        }
        let thick = Dictionary(grouping: plans.indices.filter { !plans[$0].isThin }) { plans[$0].origin.volumeGroup }
        for (group, members) in thick.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let sizes = try await snapshotSizes(in: group, for: members.map { plans[$0] })
            for (index, size) in zip(members, sizes) {
                plans[index].sizeBytes = size
            }
        }
        return plans
    }

    /// The active, snapshottable logical volume `disk` runs on.
    private func originVolume(of disk: SelectedDisk) async throws -> LogicalVolume {
        guard disk.kind == .block else {
            throw failure(
                .snapshot, disks: [disk.target],
                message: "is a file; the lvm method needs a block device on a logical volume")
        }
        let reference: LogicalVolumeReference
        do {
            reference = try LVMDevice.logicalVolume(atDevicePath: disk.sourcePath)
        } catch {
            throw failure(.snapshot, disks: [disk.target], message: error.description)
        }
        let found: LogicalVolume?
        do {
            found = try await runner.logicalVolume(reference)
        } catch {
            throw failure(
                .snapshot, disks: [disk.target], message: "could not look up volume \(reference)", cause: error)
        }
        guard let volume = found else {
            throw failure(
                .snapshot, disks: [disk.target], message: "lvm lists no volume \(reference) for \(disk.sourcePath)")
        }
        if let problem = Self.snapshotProblem(volume) {
            throw failure(.snapshot, disks: [disk.target], message: "volume \(reference) \(problem)")
        }
        return volume
    }

    /// Why `volume` cannot be the origin of a backup snapshot, or `nil` when it can.
    static func snapshotProblem(_ volume: LogicalVolume) -> String? {
        if volume.volumeType == "s" || volume.volumeType == "S" {
            return "is itself a thick snapshot, which lvm cannot snapshot"
        }
        if let type = volume.volumeType, "tTeiIlpdDO".contains(type) {
            return "is of type '\(type)' (lv_attr \(volume.attributes)), not a volume a disk runs on"
        }
        if !volume.isActive {
            return "is not active (lv_attr \(volume.attributes))"
        }
        return nil
    }

    /// Sizes the thick snapshots of one volume group by the policy and its free space.
    private func snapshotSizes(in group: LVMName, for plans: [PlannedLVMSnapshot]) async throws -> [UInt64] {
        let targets = plans.map(\.disk.target)
        let volumeGroup: VolumeGroup
        do {
            volumeGroup = try await runner.volumeGroup(group)
        } catch {
            throw failure(
                .snapshot, disks: targets, message: "could not read volume group \(group)", cause: error)
        }
        let extent = volumeGroup.extentSizeBytes
        let requests = plans.map {
            LVMSnapshotRoom.Request(
                wantedBytes: policy.wantedBytes(originBytes: $0.originBytes, extentBytes: extent),
                smallestBytes: policy.smallestBytes(originBytes: $0.originBytes, extentBytes: extent))
        }
        guard let sizes = LVMSnapshotRoom.sizes(for: requests, freeBytes: volumeGroup.freeBytes, extentBytes: extent)
        else {
            throw noRoom(in: volumeGroup, requests: requests, plans: plans)
        }
        let wanted = requests.map(\.wantedBytes)
        if sizes != wanted {
            logger.info(
                "LVM snapshots capped by free space",
                metadata: [
                    "vm.name": "\(vmName)", "lvm.vg": "\(group)",
                    "lvm.vg.free": "\(volumeGroup.freeBytes)",
                    "lvm.snapshot.sizes": "\(sizes.map(String.init).joined(separator: ","))",
                ])
        }
        return sizes
    }

    private func noRoom(
        in group: VolumeGroup, requests: [LVMSnapshotRoom.Request], plans: [PlannedLVMSnapshot]
    ) -> SnapshotError {
        let wanted = requests.reduce(UInt64(0)) { $0 + $1.wantedBytes }
        let smallest = requests.reduce(UInt64(0)) { $0 + $1.smallestBytes }
        let need =
            smallest == wanted
            ? Self.describe(bytes: wanted)
            : "at least \(Self.describe(bytes: smallest)) (\(Self.describe(bytes: wanted)) by the snapshot policy)"
        let origins = plans.map(\.origin.description).joined(separator: ", ")
        let subject = plans.count == 1 ? "the snapshot of \(origins) needs" : "the snapshots of \(origins) need"
        return failure(
            .snapshot, disks: plans.map(\.disk.target),
            message: "no room for LVM snapshots: volume group \(group.name) has "
                + "\(Self.describe(bytes: group.freeBytes)) free, \(subject) \(need); nothing was created. "
                + "Free space in \(group.name) or lower the snapshot fraction")
    }
}
