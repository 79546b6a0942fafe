import LVM

extension LVMSnapshot {
    /// The snapshot volumes backup `backupID` made of the volumes `disks` run on and that still
    /// exist: `<vg>/<lv>-vmbackup-<backupID>`. `release` removes them.
    public func leftovers(of disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot] {
        var found: [TakenSnapshot] = []
        for disk in disks where disk.kind == .block {
            let origin: LogicalVolumeReference
            let name: LVMName
            do {
                origin = try LVMDevice.logicalVolume(atDevicePath: disk.sourcePath)
                name = try LVMName(Self.snapshotName(forLV: origin.name.rawValue, backupID: backupID))
            } catch {
                throw failure(.cleanup, disks: [disk.target], message: "\(error)")
            }
            let snapshot = LogicalVolumeReference(volumeGroup: origin.volumeGroup, name: name)
            let volume: LogicalVolume?
            do {
                volume = try await runner.logicalVolume(snapshot)
            } catch {
                throw failure(
                    .cleanup, disks: [disk.target], message: "could not look for snapshot \(snapshot)",
                    cause: error)
            }
            guard volume != nil else { continue }
            found.append(
                TakenSnapshot(
                    disk: disk,
                    source: BackupSource(target: disk.target, path: snapshot.devicePath, format: disk.format),
                    artifact: snapshot.description))
        }
        return found
    }
}
