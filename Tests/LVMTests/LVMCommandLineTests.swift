import Testing

@testable import LVM

struct LVMCommandLineTests {
    let origin = try! LogicalVolumeReference(parsing: "vg0/web")
    let name = try! LVMName("web-vmbackup-20261122T013000Z-3f9a")

    @Test func aThickSnapshotIsCreatedWithItsSizeInBytes() {
        let command = LVMCommandRunner.createSnapshotCommand(of: origin, name: name, sizeBytes: 33_554_432)
        #expect(command == "lvcreate -s -L 33554432b -n web-vmbackup-20261122T013000Z-3f9a vg0/web")
    }

    @Test func aThinSnapshotTakesNoSizeAndIsActivated() {
        let command = LVMCommandRunner.createSnapshotCommand(of: origin, name: name, sizeBytes: nil)
        #expect(
            command == "lvcreate -s --setactivationskip n --activate y -n web-vmbackup-20261122T013000Z-3f9a vg0/web")
    }

    @Test func removalIsForcedAndNamesOneVolume() {
        #expect(LVMCommandRunner.removeCommand(origin) == "lvremove -f vg0/web")
    }
}
