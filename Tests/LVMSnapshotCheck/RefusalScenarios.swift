import LVM
import Logging
import Snapshots

/// Checks and snapshot calls that must fail and leave nothing behind.
struct RefusalScenarios {
    var runner: LVMCommandRunner
    var logger: Logger

    /// A volume group with too little free space, a disk that is no logical volume, a file disk.
    func checks(into result: inout Refusals) async {
        let method = LVMSnapshot(vmName: "vmbt-guest", runner: runner, logger: logger)
        let tight = SelectedDisk(
            target: "vdc", kind: .block, sourcePath: "/dev/vmbt-tight/full", format: "raw", method: .lvm)
        result.noRoom = await failureText { _ = try await method.snapshot([tight], backupID: "noroom") }
        let left = try? await CheckLayout.volumes(in: CheckLayout.tightGroup, runner: runner)
        result.noRoomCreatedNothing = left?.map(\.name) == ["full"]
        let physical = SelectedDisk(target: "vdd", kind: .block, sourcePath: "/dev/vdb", format: "raw", method: .lvm)
        result.notALogicalVolume = await failureText { try await method.check([physical]) }
        let file = SelectedDisk(target: "vde", kind: .file, sourcePath: "/etc/hostname", format: "raw", method: .lvm)
        result.fileDisk = await failureText { try await method.check([file]) }
    }

    /// The thin volume's snapshot name is taken by a plain volume, so its lvcreate fails after the
    /// thick volume's snapshot was made; that one must be removed again. Releasing the plain volume
    /// must be refused.
    func rollback(into result: inout Rollback) async {
        let method = LVMSnapshot(vmName: "vmbt-guest", runner: runner, logger: logger)
        let decoy = LVMSnapshot.snapshotName(forLV: "thin", backupID: "rollback")
        do {
            try await runner.run("lvcreate -L 4m -n \(decoy) \(CheckLayout.group)")
            result.error = await failureText {
                _ = try await method.snapshot(RoundTripScenario.disks, backupID: "rollback")
            }
            result.markedVolumesAfterFailure = try await markedVolumes()
            let plain = TakenSnapshot(
                disk: RoundTripScenario.disks[1],
                source: BackupSource(target: "vdb", path: "/dev/\(CheckLayout.group)/\(decoy)", format: "raw"),
                artifact: "\(CheckLayout.group)/\(decoy)")
            result.releaseOfPlainVolumeError = await failureText { try await method.release(plain) }
            result.plainVolumeKept = try await markedVolumes() == [decoy]
            try await runner.run("lvremove -f \(CheckLayout.group)/\(decoy)")
        } catch {
            result.error = "unexpected: \(error)"
        }
    }

    func markedVolumes() async throws -> [String] {
        try await CheckLayout.volumes(in: CheckLayout.group, runner: runner).map(\.name).filter {
            $0.contains("-vmbackup-")
        }
    }
}

/// The description of the error `body` throws, or `nil` when it succeeds.
func failureText(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch {
        return "\(error)"
    }
}
