import LVM
import Logging
import Snapshots

/// A thick snapshot of 8 MiB whose 32 MiB origin is overwritten entirely: the snapshot overflows,
/// `health` must say so, release must still remove it, and the origin must hold the new data.
struct OverflowScenario {
    var runner: LVMCommandRunner
    var logger: Logger

    func run(into result: inout Overflow) async {
        let policy = LVMSnapshotPolicy(fraction: 0, minimumBytes: 8 << 20)
        let method = LVMSnapshot(vmName: "vmbt-guest", runner: runner, policy: policy, logger: logger)
        let disk = SelectedDisk(
            target: "vdf", kind: .block, sourcePath: "/dev/vmbt-lvm/burst", format: "raw", method: .lvm)
        let before = BlockPattern(seed: 3)
        let after = BlockPattern(seed: 4)
        let wholeMiB = CheckLayout.overflowBytes / BlockPattern.chunkBytes
        do {
            try before.write(to: disk.sourcePath, bytes: CheckLayout.overflowBytes)
            let taken = try await method.snapshot([disk], backupID: "20261122T020000Z-0f10")
            guard let snapshot = taken.first, let artifact = snapshot.artifact else {
                throw CheckFailure("no snapshot taken")
            }
            let volume = try LogicalVolumeReference(parsing: artifact)
            result.sizeBytes = try await runner.logicalVolume(volume)?.sizeBytes
            result.healthBefore = try await method.health(of: snapshot)
            try after.write(to: disk.sourcePath, bytes: CheckLayout.overflowBytes)
            result.healthAfter = try await method.health(of: snapshot)
            result.attributesAfter = try await runner.logicalVolume(volume)?.attributes
            try await method.release(snapshot)
            result.goneAfterRelease = try await runner.logicalVolume(volume) == nil
            result.originHoldsNewContent = try after.matches(disk.sourcePath, mebibytes: 0..<wholeMiB)
        } catch {
            result.error = "\(error)"
        }
    }
}
