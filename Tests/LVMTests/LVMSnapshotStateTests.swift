import LVM
import Testing

@testable import Snapshots

struct LVMSnapshotStateTests {
    let snapshot = try! LogicalVolumeReference(parsing: "vg0/web-vmbackup-20261122T013000Z-3f9a")

    @Test func snapshotNamesCarryTheVolumeTheMarkerAndTheBackupID() {
        let name = LVMSnapshot.snapshotName(forLV: "web", backupID: "20261122T013000Z-3f9a")
        #expect(name == "web-vmbackup-20261122T013000Z-3f9a")
    }

    @Test func aLongVolumeNameIsShortenedSoTheMarkerAndBackupIDSurvive() throws {
        let name = LVMSnapshot.snapshotName(
            forLV: String(repeating: "v", count: 200), backupID: "20261122T013000Z-3f9a")
        #expect(name.count == LVMName.maximumLength)
        #expect(name.hasSuffix("vv-vmbackup-20261122T013000Z-3f9a"))
        _ = try LVMName(name)
    }

    @Test func aThickSnapshotWithinItsSpaceIsHealthy() {
        let volume = thick(attributes: "swi-a-s---", percent: 99.9)
        #expect(LVMSnapshot.healthProblem(volume, volume: snapshot, target: "vda") == nil)
    }

    @Test func anInvalidThickSnapshotHasOverflowed() throws {
        let volume = thick(attributes: "swi-I-s---", percent: 100)
        let problem = try #require(LVMSnapshot.healthProblem(volume, volume: snapshot, target: "vda"))
        #expect(problem.contains("vg0/web-vmbackup-20261122T013000Z-3f9a of disk vda overflowed"))
        #expect(problem.contains("32.0 MiB"))
    }

    @Test func aFullThickSnapshotNotYetMarkedInvalidHasOverflowed() {
        let volume = thick(attributes: "swi-a-s---", percent: 100)
        #expect(LVMSnapshot.healthProblem(volume, volume: snapshot, target: "vda") != nil)
    }

    @Test func aFullyMappedThinSnapshotIsHealthy() {
        let volume = thin(attributes: "Vwi-a-tz--", percent: 100)
        #expect(LVMSnapshot.healthProblem(volume, volume: snapshot, target: "vda") == nil)
    }

    @Test func aFailedThinSnapshotIsUnhealthy() {
        let volume = thin(attributes: "Vwi-a-tzF-", percent: 10)
        #expect(LVMSnapshot.healthProblem(volume, volume: snapshot, target: "vda")?.contains("failed") == true)
    }

    @Test(arguments: ["-wi-a-----", "owi-a-s---", "Vwi-a-tz--", "rwi-a-r---"])
    func activeVolumesADiskRunsOnCanBeSnapshotted(_ attributes: String) {
        let volume = LogicalVolume(
            vgName: "vg0", name: "web", path: "/dev/vg0/web", sizeBytes: 1 << 30, attributes: attributes)
        #expect(LVMSnapshot.snapshotProblem(volume) == nil)
    }

    @Test(arguments: ["swi-a-s---", "twi-aotz--", "-wi-------", "Owi-a-s---"])
    func snapshotsPoolsAndInactiveVolumesAreRefused(_ attributes: String) {
        let volume = LogicalVolume(
            vgName: "vg0", name: "web", path: "/dev/vg0/web", sizeBytes: 1 << 30, attributes: attributes)
        #expect(LVMSnapshot.snapshotProblem(volume) != nil)
    }

    private func thick(attributes: String, percent: Double) -> LogicalVolume {
        LogicalVolume(
            vgName: "vg0", name: snapshot.name.rawValue, path: snapshot.devicePath, sizeBytes: 32 << 20,
            attributes: attributes, originName: "web", dataPercent: percent)
    }

    private func thin(attributes: String, percent: Double) -> LogicalVolume {
        LogicalVolume(
            vgName: "vg0", name: snapshot.name.rawValue, path: snapshot.devicePath, sizeBytes: 1 << 30,
            attributes: attributes, poolName: "pool", originName: "web", dataPercent: percent)
    }
}
