import APIModel
import Libvirt
import Snapshots
import Testing

@testable import Engine

private let fileDisk = DomainDisk(
    device: "disk", type: "file", target: "vda", sourcePath: "/images/a.qcow2", format: "qcow2", readOnly: false,
    bus: "virtio")
private let blockDisk = DomainDisk(
    device: "disk", type: "block", target: "vdb", sourcePath: "/dev/vg0/data", format: "raw", readOnly: false,
    bus: "virtio")

private func methods(
    _ request: BackupRequest = BackupRequest(), facts: [String: DiskFacts], running: Bool = true,
    disks: [DomainDisk] = [fileDisk, blockDisk]
) throws(EngineError) -> [String: SnapshotMethodName] {
    let plan = try BackupPlan.make(
        vmName: "db", vmUUID: "u", disks: disks, domainRunning: running, request: request, facts: facts)
    return Dictionary(uniqueKeysWithValues: plan.selected.map { ($0.target, $0.method) })
}

@Suite struct MethodChoiceTests {
    @Test func defaultsFollowWhatTheDiskIs() throws {
        #expect(try methods(facts: ["vdb": DiskFacts(isLogicalVolume: true)]) == ["vda": .qcow2, "vdb": .lvm])
        #expect(
            try methods(facts: ["vda": DiskFacts(isOnBtrfs: true), "vdb": DiskFacts(isLogicalVolume: true)])
                == ["vda": .btrfs, "vdb": .lvm])
    }

    @Test func aBlockDeviceThatIsNoLogicalVolumeIsAnErrorUnlessExcluded() throws {
        #expect(throws: EngineError.self) { try methods(facts: [:]) }
        #expect(try methods(BackupRequest(exclude: ["vdb"]), facts: [:]) == ["vda": .qcow2])
    }

    @Test func anOverrideWins() throws {
        let facts = ["vda": DiskFacts(isOnBtrfs: true), "vdb": DiskFacts(isLogicalVolume: true)]
        #expect(try methods(BackupRequest(methods: ["vda": .qcow2]), facts: facts) == ["vda": .qcow2, "vdb": .lvm])
    }

    @Test func reflinkIsChosenOnlyWhenAskedFor() throws {
        let facts = ["vda": DiskFacts(canReflink: true), "vdb": DiskFacts(isLogicalVolume: true)]
        #expect(try methods(facts: facts) == ["vda": .qcow2, "vdb": .lvm])
        #expect(try methods(BackupRequest(methods: ["vda": .reflink]), facts: facts) == ["vda": .reflink, "vdb": .lvm])
    }

    @Test(arguments: [
        ("vda", SnapshotMethodName.lvm, "it is a file, not a block device"),
        ("vda", .btrfs, "its file is not on btrfs"),
        ("vdb", .qcow2, "it is a block device, not a file"),
        ("vdb", .btrfs, "it is a block device, not a file"),
        ("vda", .reflink, "its file is not on XFS or btrfs, which reflink copies need"),
        ("vdb", .reflink, "it is a block device, not a file"),
    ])
    func anImpossibleOverrideIsABadRequestNamingTheReason(disk: String, method: SnapshotMethodName, reason: String) {
        do {
            _ = try methods(BackupRequest(methods: [disk: method]), facts: ["vdb": DiskFacts(isLogicalVolume: true)])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .badRequest)
            #expect(error.message == "disk \(disk) of VM db cannot use the \(method.rawValue) method: \(reason)")
        }
    }

    @Test func anOverrideForAnUnknownDiskIsABadRequest() {
        #expect(throws: EngineError.self) { try methods(BackupRequest(methods: ["vdz": .qcow2]), facts: [:]) }
    }

    @Test func aShutOffDomainIsReadOfflineWhateverItsDisks() throws {
        #expect(
            try methods(facts: ["vda": DiskFacts(isOnBtrfs: true)], running: false) == [
                "vda": .offline, "vdb": .offline,
            ])
    }
}

/// What the registry says of each method, read through the protocol as jobs and recovery read it.
@Suite struct SnapshotMethodsTests {
    @Test func onlyLVMSnapshotsAreWatchedWhileStreaming() {
        let spoiling = SnapshotMethods.registered.filter { $0.snapshotsCanSpoil }.map { $0.methodName }
        #expect(spoiling == [.lvm])
    }

    @Test func everyMethodNameHasExactlyOneType() {
        let names = SnapshotMethods.registered.map { $0.methodName }
        #expect(Set(names) == Set(SnapshotMethodName.allCases))
        #expect(names.count == SnapshotMethodName.allCases.count)
    }

    @Test func theDefaultMethodFollowsWhatTheDiskIs() {
        #expect(SnapshotMethods.defaultMethod(kind: .block, facts: DiskFacts(isLogicalVolume: true)) == .lvm)
        #expect(
            SnapshotMethods.defaultMethod(kind: .file, facts: DiskFacts(isOnBtrfs: true, canReflink: true)) == .btrfs)
        #expect(SnapshotMethods.defaultMethod(kind: .file, facts: DiskFacts(canReflink: true)) == .qcow2)
        #expect(SnapshotMethods.defaultMethod(kind: .block, facts: DiskFacts()) == nil)
    }
}
