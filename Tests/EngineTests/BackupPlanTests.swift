import APIModel
import Libvirt
import Testing

@testable import Engine

private let disks = [
    DomainDisk(
        device: "disk", type: "file", target: "vda", sourcePath: "/images/a.qcow2", format: "qcow2", readOnly: false,
        bus: "virtio"),
    DomainDisk(
        device: "disk", type: "file", target: "vdb", sourcePath: "/images/b.raw", format: "raw", readOnly: false,
        bus: "virtio"),
    DomainDisk(
        device: "cdrom", type: "file", target: "sda", sourcePath: "/iso/x.iso", format: "raw", readOnly: true,
        bus: "sata"),
    DomainDisk(
        device: "disk", type: "network", target: "vdc", sourcePath: nil, format: "raw", readOnly: false, bus: "virtio"),
]

private func plan(_ request: BackupRequest = BackupRequest(), running: Bool = true, disks: [DomainDisk] = disks)
    throws(EngineError) -> BackupPlan
{
    try BackupPlan.make(vmName: "web", vmUUID: "u", disks: disks, domainRunning: running, request: request)
}

@Suite struct BackupPlanTests {
    @Test func allWritableFileDisksAreSelectedWithTheQcow2Method() throws {
        let result = try plan()
        #expect(result.selected.map(\.target) == ["vda", "vdb"])
        #expect(result.selected.allSatisfy { $0.method == .qcow2 })
        #expect(result.excluded.map(\.target) == ["sda", "vdc"])
        #expect(result.excluded.map(\.excluded) == ["cdrom", "network disk"])
        #expect(result.quiesce == .preferred)
    }

    @Test func aShutOffDomainIsReadOffline() throws {
        #expect(try plan(running: false).selected.allSatisfy { $0.method == .offline })
    }

    @Test func excludedDisksAreListedWithTheReason() throws {
        let result = try plan(BackupRequest(exclude: ["vdb"]))
        #expect(result.selected.map(\.target) == ["vda"])
        #expect(result.excluded.first { $0.target == "vdb" }?.excluded == "excluded by request")
    }

    @Test func selectingDisksLeavesTheOthersOut() throws {
        let result = try plan(BackupRequest(disks: ["vdb"]))
        #expect(result.selected.map(\.target) == ["vdb"])
        #expect(result.excluded.first { $0.target == "vda" }?.excluded == "not selected by request")
    }

    @Test func anUnknownDiskIsABadRequest() {
        #expect(throws: EngineError.self) { try plan(BackupRequest(disks: ["vdz"])) }
        do {
            _ = try plan(BackupRequest(exclude: ["vdz"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .badRequest)
            #expect(error.message.contains("vdz") && error.message.contains("vda, vdb"))
        }
    }

    @Test func selectingACdromIsABadRequest() {
        do {
            _ = try plan(BackupRequest(disks: ["sda"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .badRequest)
            #expect(error.message.contains("cdrom"))
        }
    }

    @Test func excludingEverythingLeavesNothingToBackUp() {
        do {
            _ = try plan(BackupRequest(exclude: ["vda", "vdb"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .nothingToBackUp)
        }
    }

    @Test func theRequestedQuiescePolicyWins() throws {
        #expect(try plan(BackupRequest(quiesce: .required)).quiesce == .required)
    }
}
