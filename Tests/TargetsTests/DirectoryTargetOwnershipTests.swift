import APIModel
import Foundation
import Testing

@testable import Targets

/// Hosts of a fleet share one target: each daemon's partial and deleting folders say whose they
/// are, and the start-up sweep removes only its own, and what nobody touched for a day.
@Suite struct DirectoryTargetOwnershipTests {
    private let vm = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"
    private let us = DaemonIdentity(host: "kvm01", daemonID: "6c1d1f0e-3b57-4b8e-9f0e-0d5a8f1c2b3a")
    private let neighbour = DaemonIdentity(host: "kvm02", daemonID: "a9e3c4d2-7f61-4e0b-8d3c-5b2a1f0e9d8c")
    /// The same state directory copied to another host is not the same daemon.
    private var copy: DaemonIdentity { DaemonIdentity(host: "kvm03", daemonID: us.daemonID) }

    private static func id(_ text: String) -> BackupID { BackupID(validating: text)! }

    private func folder() -> String { NSTemporaryDirectory() + "vmbt-ownership-" + UUID().uuidString }

    private func manifest(_ id: BackupID) -> Manifest {
        Manifest(
            vmName: "web01", vmUUID: vm, backupID: id.rawValue, created: id.date!, consistency: .crash,
            disks: [ManifestDisk(target: "vda", method: .qcow2, format: "qcow2", file: "vda.qcow2")])
    }

    /// Begins backup `id` as `owner`'s daemon would, with half an image in it.
    @discardableResult
    private func begin(_ id: String, root: String, as owner: DaemonIdentity?) async throws -> String {
        let partial = try await DirectoryTarget(root: root, owner: owner, executor: testExecutor).beginPartial(
            vmUUID: vm, backupID: Self.id(id), job: "job-\(id)")
        try Data("half".utf8).write(to: URL(fileURLWithPath: partial.imagePath(forDisk: "vda")))
        return partial.directory
    }

    @Test func aPartialFolderNamesItsHostDaemonAndJobAndThePublishedBackupDoesNot() async throws {
        let root = folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root, owner: us, executor: testExecutor)
        let id = Self.id("20261122T013000Z-0001")
        let partial = try await target.beginPartial(vmUUID: vm, backupID: id, job: "task-7")

        let owner = try #require(WorkOwner.read(in: partial.directory))
        #expect(owner.identity == us)
        #expect(owner.job == "task-7")
        #expect(owner.pid == getpid())

        let stored = try await partial.commit(manifest(id))
        let files = try FileManager.default.contentsOfDirectory(atPath: stored.location)
        #expect(files == [Manifest.fileName], "no owner.json in a published backup")
    }

    @Test func theSweepRemovesOnlyThisDaemonsPartialsAndLeavesOthersWork() async throws {
        let root = folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ours = try await begin("20261122T013000Z-0001", root: root, as: us)
        let theirs = try await begin("20261122T013000Z-0002", root: root, as: neighbour)
        let copied = try await begin("20261122T013000Z-0003", root: root, as: copy)
        let ownerless = try await begin("20261122T013000Z-0004", root: root, as: nil)

        let report = try await DirectoryTarget(root: root, owner: us, executor: testExecutor).sweep()

        #expect(report.partials == [ours])
        #expect(report.leftAlone.count == 3, "\(report.leftAlone)")
        for path in [theirs, copied, ownerless] {
            #expect(FileManager.default.fileExists(atPath: path + "/vda.qcow2"), "\(path)")
            #expect(report.leftAlone.contains { $0.hasPrefix(path + " (") }, "\(path)")
        }
        #expect(report.leftAlone.contains { $0.contains("kvm02") }, "the log names the other host")
        #expect(report.problems == [])
    }

    @Test func anOwnerlessPartialIsRemovedOnlyOnceNothingInItChangedForADay() async throws {
        let root = folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ownerless = try await begin("20261122T013000Z-0004", root: root, as: nil)
        let theirs = try await begin("20261122T013000Z-0002", root: root, as: neighbour)
        let target = try DirectoryTarget(root: root, owner: us, executor: testExecutor)

        let almost = Date().addingTimeInterval(DirectoryTarget.abandonedAfter - 600)
        #expect(await target.sweep(now: almost).partials == [])
        let day = Date().addingTimeInterval(DirectoryTarget.abandonedAfter + 60)
        let report = await target.sweep(now: day)
        #expect(report.partials == [ownerless])
        #expect(FileManager.default.fileExists(atPath: theirs), "another daemon's work is never taken for abandoned")
    }

    @Test func deletingFoldersAndScratchManifestsOfOthersAreLeftUntilAbandoned() async throws {
        let root = folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let mine = try DirectoryTarget(root: root, owner: us, executor: testExecutor)
        let other = try DirectoryTarget(root: root, owner: neighbour, executor: testExecutor)
        var ids: [BackupID] = []
        for text in ["20261120T013000Z-0001", "20261121T013000Z-0002", "20261122T013000Z-0003"] {
            ids.append(Self.id(text))
            _ = try await mine.beginPartial(vmUUID: vm, backupID: ids.last!).commit(manifest(ids.last!))
        }
        let vmDirectory = root + "/" + vm
        // A delete of ours cut short after its rename, one of another host's under way, and an
        // edit's scratch manifest just written.
        let ourDeleting = vmDirectory + "/.deleting-" + ids[0].rawValue
        #expect(rename(vmDirectory + "/" + ids[0].rawValue, ourDeleting) == 0)
        try WorkOwner(us, job: nil).write(into: ourDeleting)
        let theirDeleting = vmDirectory + "/.deleting-" + ids[1].rawValue
        #expect(rename(vmDirectory + "/" + ids[1].rawValue, theirDeleting) == 0)
        try WorkOwner(neighbour, job: nil).write(into: theirDeleting)
        let scratch = vmDirectory + "/" + ids[2].rawValue + "/.manifest.json.new"
        try manifest(ids[2]).encoded().write(to: URL(fileURLWithPath: scratch))

        let now = await mine.sweep()
        #expect(now.deletions == [ourDeleting])
        #expect(now.manifestScratch == [])
        #expect(now.leftAlone.count == 2, "\(now.leftAlone)")
        #expect(FileManager.default.fileExists(atPath: theirDeleting))
        #expect(FileManager.default.fileExists(atPath: scratch))

        let later = await mine.sweep(now: Date().addingTimeInterval(DirectoryTarget.abandonedAfter + 60))
        #expect(later.deletions == [], "another host's delete is its own to finish")
        #expect(later.manifestScratch == [scratch])
        #expect(await other.sweep().deletions == [theirDeleting], "its own daemon finishes it")
    }

    @Test func aDeleteMarksItsFolderAsThisDaemons() async throws {
        let root = folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root, owner: us, executor: testExecutor)
        let id = Self.id("20261120T013000Z-0001")
        _ = try await target.beginPartial(vmUUID: vm, backupID: id).commit(manifest(id))
        try await target.delete(vmUUID: vm, id: id.rawValue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/" + vm) == [])
    }

    @Test func recoveryOfAJournaledJobLeavesAPartialOfAnotherDaemonAlone() async throws {
        let root = folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let theirs = try await begin("20261122T013000Z-0002", root: root, as: neighbour)
        let ownerless = Self.id("20261122T013000Z-0004")
        try await begin(ownerless.rawValue, root: root, as: nil)
        let target = try DirectoryTarget(root: root, owner: us, executor: testExecutor)

        let removal = try await target.removePartial(vmUUID: vm, backupID: Self.id("20261122T013000Z-0002"))
        guard case .leftAlone(let owner) = removal else {
            Issue.record("expected the partial to be left alone, got \(removal)")
            return
        }
        #expect(owner.identity == neighbour)
        #expect(FileManager.default.fileExists(atPath: theirs))
        #expect(try await target.removePartial(vmUUID: vm, backupID: ownerless) == .removed, "the journal names it")
    }
}
