import LVM
import Logging
import Snapshots

/// Snapshots a thick and a thin volume together, reads the snapshots, overwrites the origins and
/// reads again, checks health, releases twice.
struct RoundTripScenario {
    var runner: LVMCommandRunner
    var logger: Logger

    static let disks = [
        SelectedDisk(target: "vda", kind: .block, sourcePath: "/dev/vmbt-lvm/thick", format: "raw", method: .lvm),
        SelectedDisk(
            target: "vdb", kind: .block, sourcePath: "/dev/mapper/vmbt--lvm-thin", format: "raw", method: .lvm),
    ]
    static let originals: [String: String] = ["vda": "/dev/vmbt-lvm/thick", "vdb": "/dev/vmbt-lvm/thin"]
    static let overwrittenMiB = 16

    func run(into result: inout RoundTrip) async {
        let method = LVMSnapshot(vmName: "vmbt-guest", runner: runner, logger: logger)
        let before = BlockPattern(seed: 1)
        let after = BlockPattern(seed: 2)
        let wholeMiB = CheckLayout.volumeBytes / BlockPattern.chunkBytes
        do {
            for origin in Self.originals.values {
                try before.write(to: origin, bytes: CheckLayout.volumeBytes)
            }
            try await method.check(Self.disks)
            let taken = try await method.snapshot(Self.disks, backupID: "20261122T013000Z-3f9a")
            for snapshot in taken {
                let target = snapshot.disk.target
                let volume = try await runner.logicalVolume(LogicalVolumeReference(parsing: snapshot.artifact ?? ""))
                result.sources[target] = RoundTrip.Source(
                    path: snapshot.source.path, format: snapshot.source.format, artifact: snapshot.artifact ?? "",
                    sizeBytes: volume.flatMap { $0.isThin ? nil : $0.sizeBytes }, isThin: volume?.isThin ?? false,
                    isSnapshot: volume?.isSnapshot ?? false)
                result.matchedOriginAtSnapshot[target] = try before.matches(
                    snapshot.source.path, mebibytes: 0..<wholeMiB)
            }
            for origin in Self.originals.values {
                try after.write(to: origin, bytes: Self.overwrittenMiB * BlockPattern.chunkBytes)
            }
            for snapshot in taken {
                let target = snapshot.disk.target
                result.keptOldContentAfterOverwrite[target] = try before.matches(
                    snapshot.source.path, mebibytes: 0..<wholeMiB)
                result.healthAfterOverwrite[target] = try await method.health(of: snapshot) ?? "healthy"
            }
            for snapshot in taken {
                try await method.release(snapshot)
            }
            let remaining = try await CheckLayout.volumes(in: CheckLayout.group, runner: runner)
            result.snapshotsGoneAfterRelease = !remaining.contains { $0.isSnapshot }
            for snapshot in taken {
                try await method.release(snapshot)
            }
            result.secondReleaseSucceeded = true
            for (target, origin) in Self.originals {
                result.originsHoldNewContent[target] =
                    try after.matches(origin, mebibytes: 0..<Self.overwrittenMiB)
                    && before.matches(origin, mebibytes: Self.overwrittenMiB..<wholeMiB)
            }
        } catch {
            result.error = "\(error)"
        }
    }
}
